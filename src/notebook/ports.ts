/** Ports for a kernel's sockets, reserved within this process so that kernels can start at the same time. */
import { createServer } from 'node:net';

/**
 * Ports handed to kernels that may not have bound them yet. Between releasing a probe port and the kernel binding
 * it, the operating system could hand the same port to another probe: a port in this set is never handed out again
 * until its kernel has shut down, so several kernels can start at once without a lock.
 */
const reserved = new Set<number>();

async function probe(): Promise<number> {
  const srv = createServer();
  srv.unref();
  const port = await new Promise<number>((resolve, reject) => {
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      resolve(typeof addr === 'object' && addr ? addr.port : 0);
    });
  });
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

/** `n` distinct free ports, none handed out before and not yet released; release them with `releasePorts`. */
export async function freePorts(n: number): Promise<number[]> {
  const ports: number[] = [];
  for (let tries = 0; ports.length < n; tries++) {
    if (tries > 100 * n) throw new Error('no free local ports for the kernel');
    const p = await probe();
    if (p > 0 && !reserved.has(p)) {
      reserved.add(p);
      ports.push(p);
    }
  }
  return ports;
}

export function releasePorts(ports: number[]): void {
  for (const p of ports) reserved.delete(p);
}
