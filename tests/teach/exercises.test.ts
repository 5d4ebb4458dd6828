import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cellSource, type Notebook } from '../../src/notebook/html';
import { NOTEBOOKS } from '../../src/notebook/run';
import {
  answerRecord,
  exercisesOf,
  matches,
  studentVersion,
  drawModel,
  studentSeed,
  readRoster,
} from '../../src/teach';
import { panelCsv } from '../../src/simulate';

const ROOT = join(__dirname, '..', '..');
const notebook = (name: string): Notebook => JSON.parse(readFileSync(join(ROOT, 'notebooks', `${name}.ipynb`), 'utf8'));

test('every source notebook marks at least three exercises, each recording its answer in its solution region', () => {
  for (const name of NOTEBOOKS) {
    const qs = exercisesOf(notebook(name), name);
    assert.ok(qs.length >= 3, `${name}: ${qs.length} exercises`);
    const ids = notebook(name)
      .cells.map((c) => (c as { id?: string }).id)
      .filter(Boolean);
    assert.equal(new Set(ids).size, ids.length, `${name}: cell ids unique`);
  }
});

test('the student version has no solution code, throws "not answered yet", and keeps every other cell', () => {
  for (const name of NOTEBOOKS) {
    const src = notebook(name);
    const st = studentVersion(src, name);
    assert.equal(st.cells.length, src.cells.length);
    const text = st.cells.map(cellSource).join('\n');
    assert.doesNotMatch(text, /BEGIN SOLUTION|END SOLUTION/);
    for (const q of exercisesOf(src, name)) {
      const cell = st.cells.find((c) => (c as { id?: string }).id === q.cellId);
      assert.ok(cell, `${name} ${q.question}`);
      assert.match(
        cellSource(cell),
        new RegExp(`// YOUR CODE HERE\\nthrow new Error\\('${q.question}: not answered yet'\\);`),
      );
      const code = cellSource(cell)
        .split('\n')
        .filter((l) => !l.trim().startsWith('//'));
      assert.doesNotMatch(code.join('\n'), new RegExp(`answer\\('${q.question}'`));
    }
    for (const c of st.cells) if (c.cell_type === 'code') assert.deepEqual(c.outputs, []);
  }
});

test('--lang zh gives the Chinese prompt where the source has one', () => {
  const st = studentVersion(notebook('mechanisms'), 'mechanisms', 'zh');
  assert.match(st.cells.map(cellSource).join('\n'), /练习 q1/);
  // Headings and prose in Chinese too, and the settings cell set to Chinese for the tables and charts.
  assert.match(st.cells.map(cellSource).join('\n'), /# 4 · 机制检验/);
  assert.match(st.cells.map(cellSource).join('\n'), /const LANG = 'zh' as 'en' \| 'zh';/);
});

test('answers: numbers, intervals, sets within tolerance; bad values are refused with a readable message', () => {
  const tol = { rel: 1e-3, abs: 1e-8 };
  assert.ok(matches(0.25001, 0.25, tol));
  assert.ok(!matches(0.26, 0.25, tol));
  assert.ok(matches([0.1, 0.2], [0.1, 0.2000001], tol));
  assert.ok(!matches([0.1], [0.1, 0.2], tol));
  assert.ok(matches(['innov', 'indus'], ['indus', 'innov'], { ...tol, unordered: true }));
  assert.ok(!matches(['innov', 'indus'], ['indus', 'innov'], tol));
  assert.ok(matches(true, true, tol) && !matches('0.25', 0.25, tol));
  assert.deepEqual(answerRecord('q1', Number.NaN), { question: 'q1', value: null });
  assert.deepEqual(answerRecord('q2', Float64Array.of(1, 2)), { question: 'q2', value: [1, 2] });
  assert.throws(() => answerRecord('q1', undefined as never), /must be a number/);
  assert.throws(() => answerRecord('no spaces', 1), /question id/);
});

test('student draws: seeds depend on class seed and id only; at least one channel on and one off', () => {
  assert.equal(studentSeed(1, 'alice'), studentSeed(1, 'alice'));
  assert.notEqual(studentSeed(1, 'alice'), studentSeed(2, 'alice'));
  for (let s = 1; s <= 200; s++) {
    const { draw } = drawModel(studentSeed(7, `s${s}`));
    assert.ok(draw.active_channels.length >= 1 && draw.inactive_channels.length >= 1);
    assert.ok(draw.beta_direct >= 0.15 && draw.beta_direct <= 0.4);
    assert.ok(Math.abs(draw.resource_gap) >= 0.15 && Math.abs(draw.resource_gap) <= 0.3);
  }
  // A student's own model changes the panel; the default options keep the default panel.
  const own = panelCsv({ seed: 5, model: drawModel(5).model });
  assert.notEqual(own.panel, panelCsv({ seed: 5 }).panel);
});

test('roster: ids checked (unique, safe as folder names), other columns kept', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nqp-roster-'));
  const p = (text: string) => {
    const f = join(dir, `${Math.random()}.csv`);
    writeFileSync(f, text);
    return f;
  };
  assert.deepEqual(readRoster(p('student_id,name\na1,Ann\nb2,Bo\n'))[1], { student_id: 'b2', extra: { name: 'Bo' } });
  assert.throws(
    () => readRoster(p('student_id\na1\na1\n')),
    (e: any) => e.code === 'DUPLICATE_KEY',
  );
  assert.throws(
    () => readRoster(p('student_id\n../x\n')),
    (e: any) => e.code === 'BAD_CELL',
  );
  assert.throws(
    () => readRoster(p('id\na\n')),
    (e: any) => e.code === 'MISSING_COLUMN',
  );
});
