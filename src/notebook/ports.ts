/** Ports for a kernel's sockets, and the lock that starts kernels one at a time. */
import { createServer } from 'node:net';

/** `n` distinct free ports: all listened on at once (so none repeats), then released. */
export async function freePorts(n: number): Promise<number[]> {
  const servers = Array.from({ length: n }, () => createServer());
  const ports = await Promise.all(
    servers.map(
      (srv) =>
        new Promise<number>((resolve, reject) => {
          srv.unref();
          srv.on('error', reject);
          srv.listen(0, '127.0.0.1', () => {
            const addr = srv.address();
            resolve(typeof addr === 'object' && addr ? addr.port : 0);
          });
        }),
    ),
  );
  await Promise.all(servers.map((srv) => new Promise<void>((resolve) => srv.close(() => resolve()))));
  return ports;
}

/**
 * Kernels start one at a time (the runner may run several notebooks at once): between releasing its ports and the
 * kernel binding them, another start could be handed the same ports. The lock is held until the kernel answers.
 */
let launchLock: Promise<void> = Promise.resolve();

export async function oneAtATime(launch: () => Promise<void>): Promise<void> {
  const previous = launchLock;
  let release = () => {};
  launchLock = new Promise<void>((r) => {
    release = r;
  });
  await previous;
  try {
    await launch();
  } finally {
    release();
  }
}
