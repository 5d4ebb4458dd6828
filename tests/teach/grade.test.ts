import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gradeRun } from '../../src/teach/grade';
import type { ClassManifest, StudentKey } from '../../src/teach/class';
import type { Execution } from '../../src/teach/execute';
import { DEFAULT_TOLERANCE } from '../../src/teach/exercises';

const q = (question: string, cell: number) => ({
  question,
  points: 1,
  cellId: `c${cell}`,
  prompt: question,
  tolerance: DEFAULT_TOLERANCE,
});
const manifest: ClassManifest = {
  section: 'mechanisms',
  seed: 1,
  lang: 'en',
  questions: [q('q1', 1), q('q2', 2), q('q3', 3), q('q4', 4)],
  students: [{ student_id: 'ann', seed: 5, extra: {} }],
};
const key: StudentKey = {
  student_id: 'ann',
  section: 'mechanisms',
  seed: 5,
  questions: ['q1', 'q2', 'q3', 'q4'].map((question, i) => ({
    question,
    points: 1,
    value: i === 2 ? [0.1, 0.3] : 0.5 + i,
    tolerance: DEFAULT_TOLERANCE,
    truth: i === 2 ? { value: 0.2 } : null,
  })),
};
const cell = (id: string) => ({ cell_type: 'code' as const, id, source: '', metadata: {} });

test('a missing submission is listed: every question missing, with the reason', () => {
  const rows = gradeRun(manifest, key, undefined, 'No submission (looked for ann/mechanisms.ipynb and ann.ipynb).');
  assert.deepEqual(
    rows.map((r) => [r.question, r.status, r.points]),
    ['q1', 'q2', 'q3', 'q4'].map((x) => [x, 'missing', 0]),
  );
  assert.match(rows[0].feedback, /No submission/);
});

test('one run: correct, error (with the failing cell), missing, an interval against the truth', () => {
  const run: Execution = {
    notebook: { cells: ['c1', 'c2', 'c3', 'c4'].map(cell), metadata: {}, nbformat: 4, nbformat_minor: 5 },
    answers: new Map<string, { value: any; cell: number }>([
      ['q1', { value: 0.5000001, cell: 1 }],
      ['q3', { value: [0.1000001, 0.3], cell: 3 }],
    ]),
    failures: [
      { cell: 2, cellId: 'c2', source: 'feols(panel, "y ~")', error: 'NqpError: formula ends early' },
      { cell: 4, cellId: 'c4', source: '', error: 'Error: q4: not answered yet' },
    ],
    timedOut: false,
    seconds: 1,
  };
  const rows = gradeRun(manifest, key, run);
  assert.deepEqual(
    rows.map((r) => r.status),
    ['correct', 'error', 'correct', 'missing'],
  );
  assert.equal(rows[1].failedCell?.cell, 2);
  assert.match(rows[1].feedback, /formula ends early; expected 1\.5/);
  assert.match(rows[2].feedback, /covers it/);
});

// A class's kernels get the cores' share of V8's worker threads: executeOnPanel passes its count to the kernel.
test('executeOnPanel starts its kernel with the worker threads it is given', async () => {
  const { executeOnPanel } = await import('../../src/teach/execute');
  const src = (s: string) => ({
    cell_type: 'code' as const,
    source: s,
    metadata: {},
    outputs: [],
    execution_count: null,
  });
  const nb = {
    cells: [
      src('const DATA: string | undefined = undefined;'),
      src(`console.log(process.execArgv.filter((a) => a.startsWith('--v8-pool-size')).join(' ') || 'node default');`),
    ],
    metadata: { kernelspec: { name: 'tslab', display_name: 'TypeScript', language: 'typescript' } },
    nbformat: 4,
    nbformat_minor: 5,
  };
  const run = await executeOnPanel(
    nb,
    require('node:path').join(__dirname, '..', '..', 'data', 'panel.csv'),
    120_000,
    3,
  );
  assert.deepEqual(run.failures, []);
  assert.equal((run.notebook.cells[1].outputs?.[0] as { text?: string } | undefined)?.text, '--v8-pool-size=3\n');
});
