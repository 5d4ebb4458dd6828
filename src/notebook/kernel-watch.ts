/**
 * Loaded first (`node --require`) in a tslab kernel that the Jupyter launcher (launch.ts) starts. It tells the
 * launcher that node is up (a line on file descriptor 3: node got past reading the snapshot it was given), then
 * ends the kernel when the launcher is gone: the kernel's stdin is a pipe from the launcher, which closes when the
 * launcher exits for any reason, killed included. So no kernel outlives the process Jupyter manages.
 */
import { closeSync, writeSync } from 'node:fs';

if (process.env.NQP_KERNEL_LAUNCHER === '1') {
  delete process.env.NQP_KERNEL_LAUNCHER; // not for processes a cell starts
  try {
    writeSync(3, 'up\n');
    closeSync(3);
  } catch {
    // no such descriptor: the launcher reads the kernel's exit instead
  }
  const gone = () => process.exit(0);
  process.stdin.on('end', gone);
  process.stdin.on('error', gone);
  process.stdin.resume();
}
