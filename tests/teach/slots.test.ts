import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Notebook } from '../../src/notebook/html';
import { kernelSnapshot } from '../../src/notebook/snapshot';
import { executeOnPanel, kernelSlots, STUDENTS_PER_SNAPSHOT } from '../../src/teach/execute';

// `nqp class` and `nqp grade` run their students in one folder per kernel running at once, each with a kernel
// snapshot of its own, when each folder serves enough students; one student's files never reach the next.
const PANEL = join(__dirname, '..', '..', 'data', 'panel.csv');

function notebook(sources: string[]): Notebook {
  const cells = sources.map((src) => ({
    cell_type: 'code',
    metadata: {},
    execution_count: null,
    outputs: [],
    source: [src],
  }));
  return { cells, metadata: {}, nbformat: 4, nbformat_minor: 5 } as unknown as Notebook;
}

test('folders with their own snapshots only when each serves enough students, and not when turned off', async () => {
  assert.equal(STUDENTS_PER_SNAPSHOT, 3);
  assert.equal(await kernelSlots(2, 5), undefined, '2.5 students per folder: fresh folders');
  const before = process.env.NQP_KERNEL_SNAPSHOT;
  process.env.NQP_KERNEL_SNAPSHOT = 'off';
  try {
    assert.equal(await kernelSlots(1, 30), undefined, 'NQP_KERNEL_SNAPSHOT=off');
  } finally {
    if (before === undefined) delete process.env.NQP_KERNEL_SNAPSHOT;
    else process.env.NQP_KERNEL_SNAPSHOT = before;
  }
});

test('students in turn in one folder: each kernel from its snapshot, none sees the last one’s files', async () => {
  const slots = await kernelSlots(1, 3);
  assert.ok(slots);
  const [folder] = slots.folders;
  assert.equal(slots.folders.length, 1);
  const blob = kernelSnapshot(folder);
  assert.ok(blob, 'the folder has a current snapshot');
  try {
    const nb = notebook([
      "import { settings } from 'nqp-resilience';\nconst DATA: string | undefined = undefined;",
      "const snap = (process as any)[Symbol.for('nqp.kernelSnapshot')];\n" +
        "console.log(snap ? snap.first : 'as usual', require('fs').readdirSync('.').join(','));",
      "require('fs').writeFileSync('left-behind.txt', 'from the last student');",
    ]);
    const check = async () => {
      const run = await executeOnPanel(nb, PANEL, 120_000, 1, folder);
      assert.equal(run.fatal, undefined);
      assert.deepEqual(run.failures, []);
      assert.deepEqual(run.notebook.cells[1].outputs, [
        { output_type: 'stream', name: 'stdout', text: 'from the snapshot data\n' },
      ]);
    };
    await check();
    await check();
    // A student whose notebook loops for ever is stopped at the deadline; the next one runs as before.
    const loop = notebook([
      "require('fs').writeFileSync('left-behind.txt', 'x');\nconst DATA: string | undefined = undefined;",
      'while (true) {}',
    ]);
    const stopped = await executeOnPanel(loop, PANEL, 8_000, 1, folder);
    assert.equal(stopped.timedOut, true);
    assert.equal(stopped.stoppedAt, 2);
    await check();
  } finally {
    slots.done();
  }
  assert.equal(existsSync(folder), false, 'done() removes the folders');
  assert.equal(existsSync(blob), false, 'and their snapshots');
});
