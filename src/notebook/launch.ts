/**
 * The program Jupyter runs for the project's tslab kernelspec (`nqp kernel install`, kernelspec.ts):
 * `node dist/notebook/launch.js CONNECTION_FILE`, in the notebook's folder. It starts tslab's kernel there from the
 * folder's kernel snapshot when there is a current one (snapshot.ts: the project's notebooks/ after the build), so
 * the kernel starts with tslab's converter built and the package's declarations read; in any other folder, or with
 * NQP_KERNEL_SNAPSHOT=off, as tslab's own command starts it. It stays the kernel's parent, so that Jupyter's
 * signals, exit codes and kills mean what they meant:
 *   - the kernel runs in a process group of its own and gets every interrupt, terminate, hang-up and quit signal
 *     from this process, once (Jupyter signals this process's group, which no longer holds the kernel);
 *   - when this process ends, killed included, the kernel's stdin (a pipe from here) closes and the kernel exits
 *     (kernel-watch.ts);
 *   - a kernel that ends before node is up from the snapshot (node refusing the file) is started again as usual, and
 *     stderr says so;
 *   - this process ends as the kernel ended: its exit code, or the same signal.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { kernelCommand } from './kernels';
import { kernelSnapshot } from './snapshot';

/** Where the two programs are built (the same path from src/ under tsx, where the tests run). */
const BUILT = join(__dirname, '..', '..', 'dist', 'notebook');
/** This file as built: the program the tslab kernelspec runs (kernelspec.ts). */
export const LAUNCHER = join(BUILT, 'launch.js');
/** kernel-watch.ts as built, loaded first in the kernel. */
const WATCH = join(BUILT, 'kernel-watch.js');
/** The signals passed on to the kernel. */
export const PASSED_ON = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'] as const;

/** Start the kernel for `connFile` in `cwd` and stay its parent until it ends; then end the same way. */
export function launchKernel(connFile: string, cwd = process.cwd()): void {
  let kernel: ChildProcess | undefined;
  let stopping = false;
  for (const s of PASSED_ON)
    process.on(s, () => {
      stopping ||= s !== 'SIGINT';
      kernel?.kill(s);
    });
  const start = (snapshot?: string) => {
    const { cmd, args } = kernelCommand('tslab', connFile, undefined, snapshot);
    const child = spawn(cmd, ['--require', WATCH, ...args], {
      cwd,
      env: { ...process.env, NQP_KERNEL_LAUNCHER: '1' },
      stdio: ['pipe', 'inherit', 'inherit', 'pipe'],
      detached: true,
    });
    kernel = child;
    let up = false;
    child.stdio[3]?.on('data', () => {
      up = true;
    });
    child.stdio[3]?.on('error', () => {});
    child.on('error', (e) => {
      process.stderr.write(`nqp: the tslab kernel could not be started (${e.message})\n`);
      process.exit(1);
    });
    // 'close', not 'exit': the line on descriptor 3 has been read by then.
    child.on('close', (code, signal) => {
      if (snapshot && !up && !stopping) {
        process.stderr.write(
          `nqp: the tslab kernel in ${cwd} did not start from the snapshot ${snapshot} (node ended with ` +
            `${signal ?? `code ${code}`}); starting it as usual. \`npm run build\` makes the snapshot again.\n`,
        );
        start();
        return;
      }
      for (const s of PASSED_ON) process.removeAllListeners(s);
      if (signal) process.kill(process.pid, signal);
      else process.exit(code ?? 1);
    });
  };
  start(kernelSnapshot(cwd));
}

if (require.main === module) {
  const conn = process.argv[2];
  if (!conn) {
    process.stderr.write('usage: node launch.js CONNECTION_FILE (Jupyter runs it from the nqp-tslab kernelspec)\n');
    process.exit(2);
  }
  launchKernel(conn);
}
