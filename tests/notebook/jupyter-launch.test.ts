import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeKernelspec } from '../../src/notebook';
import { LAUNCHER } from '../../src/notebook/launch';
import { buildKernelSnapshot, kernelSnapshot, NOTEBOOKS_DIR, removeKernelSnapshot } from '../../src/notebook/snapshot';
import { damageSnapshot, scratch } from '../helpers';

// The kernel Jupyter starts from the project's kernelspec (`nqp kernel install`), as JupyterLab holds one: through
// Debian's jupyter_client (tests/notebook/jupyter-session.py) a session starts the kernel in a folder, runs cells,
// interrupts a long one, runs another, and shuts the kernel down or kills it. The kernelspec runs the launcher
// (src/notebook/launch.ts), which starts tslab from the folder's kernel snapshot when there is a current one.
const TMP = scratch('jupyter-launch');
const PY = '/usr/bin/python3';
const SESSION = join(__dirname, 'jupyter-session.py');
const jupyter = existsSync(PY) && spawnSync(PY, ['-c', 'import jupyter_client'], { encoding: 'utf8' }).status === 0;
const skip = jupyter ? false : 'jupyter_client (Debian: python3-jupyter-client) not installed';

const JP = join(TMP, 'jupyter');
writeKernelspec(JP);

interface Seen {
  ready_s: number;
  launcher_pid: number;
  first_converter: string;
  kernel_pid: string;
  kernel_ppid: string;
  interrupted: string;
  interrupted_error: string | null;
  after_interrupt: string;
  after_interrupt_error: string | null;
}

function session(folder: string, ending: 'shutdown' | 'kill'): { seen: Seen; stderr: string } {
  const r = spawnSync(PY, [SESSION, folder, ending], {
    encoding: 'utf8',
    env: { ...process.env, JUPYTER_PATH: JP },
    timeout: 180_000,
  });
  assert.equal(r.status, 0, r.stderr.slice(-3000));
  return { seen: JSON.parse(r.stdout.trim().split('\n').pop() ?? ''), stderr: r.stderr };
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Whether `pid` has ended within `ms` (checked every 100 ms). */
async function ends(pid: number, ms = 5000): Promise<boolean> {
  for (let t = 0; t < ms; t += 100) {
    if (!alive(pid)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return !alive(pid);
}

/** The cells ran, the long one was interrupted once: the next cell ran. */
function cellsRan(seen: Seen): void {
  assert.match(seen.interrupted, /Interrupted asynchronously/);
  assert.equal(seen.interrupted_error, null);
  assert.equal(seen.after_interrupt, '42', 'the cell after the interrupt runs (the kernel got the signal once)');
  assert.equal(seen.after_interrupt_error, null);
  assert.equal(Number(seen.kernel_ppid), seen.launcher_pid, 'the launcher is the kernel parent');
}

test('the tslab kernelspec runs the launcher', () => {
  const spec = JSON.parse(readFileSync(join(JP, 'kernels', 'nqp-tslab', 'kernel.json'), 'utf8'));
  assert.deepEqual(spec.argv, [process.execPath, LAUNCHER, '{connection_file}']);
  assert.ok(existsSync(LAUNCHER), `${LAUNCHER} is built`);
});

test('in notebooks/ the kernel starts from the snapshot; interrupt, shut down: nothing left', { skip }, async () => {
  assert.ok(kernelSnapshot(NOTEBOOKS_DIR), 'the build made a current snapshot for notebooks/');
  const { seen } = session(NOTEBOOKS_DIR, 'shutdown');
  assert.equal(seen.first_converter, 'from the snapshot');
  cellsRan(seen);
  assert.ok(await ends(seen.launcher_pid), 'the launcher ended');
  assert.ok(await ends(Number(seen.kernel_pid)), 'the kernel ended');
});

test('elsewhere the kernel starts as usual; a killed launcher takes its kernel with it', { skip }, async () => {
  const folder = join(TMP, 'own');
  mkdirSync(folder, { recursive: true });
  const { seen } = session(folder, 'kill');
  assert.equal(seen.first_converter, 'no snapshot');
  cellsRan(seen);
  assert.ok(await ends(seen.launcher_pid), 'the launcher was killed');
  assert.ok(await ends(Number(seen.kernel_pid)), 'the kernel ended with it');
});

test('a kernel that fails to start from its snapshot starts as usual, and says so', { skip }, async () => {
  const folder = join(TMP, 'broken');
  mkdirSync(folder, { recursive: true });
  const made = await buildKernelSnapshot(folder);
  assert.ok(made.ok, made.ok ? '' : made.why);
  try {
    damageSnapshot(made.file);
    assert.equal(kernelSnapshot(folder), made.file, 'the stamp cannot see the damage');
    const { seen, stderr } = session(folder, 'shutdown');
    assert.equal(seen.first_converter, 'no snapshot');
    cellsRan(seen);
    assert.match(stderr, /did not start from the snapshot \S+\.blob \(node ended with \w+\); starting it as usual/);
    assert.ok(await ends(Number(seen.kernel_pid)), 'the kernel ended');
  } finally {
    removeKernelSnapshot(folder);
  }
});
