/**
 * A teacher's journey, end to end through the real kernel: `nqp class` for three students, then `nqp grade` on
 * (a) the solution as everyone's submission, (b) the untouched exercise notebooks, (c)–(e) a wrong model, an
 * endless loop and answers copied from another student. Slow (about 15 notebook runs): it is the one such test.
 * Both ways class and grade run kernels go through it: in turns in shared folders started from snapshots
 * (`--jobs 1`: the first class, (a), (c)–(e)) and in fresh folders started as usual (`--jobs 3`: the second class,
 * (b)).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { cellSource, type Notebook } from '../../src/notebook/html';

const ROOT = join(__dirname, '..', '..');
const nqp = (...args: string[]) =>
  spawnSync(process.execPath, [join(ROOT, 'bin', 'nqp.js'), ...args], { cwd: ROOT, encoding: 'utf8' });
const IDS = ['ana', 'ben', 'chen'];
const SECTION = 'mechanisms';
const tmp = mkdtempSync(join(tmpdir(), 'nqp-class-'));
const roster = join(tmp, 'roster.csv');
writeFileSync(roster, `student_id,name\n${IDS.map((id) => `${id},${id.toUpperCase()}`).join('\n')}\n`);
const CLASS = join(tmp, 'class');
const read = (p: string) => JSON.parse(readFileSync(p, 'utf8'));
const keyOf = (id: string) => read(join(CLASS, 'instructor', 'keys', `${id}.json`));
const solution = (): Notebook => read(join(CLASS, 'instructor', 'solutions', `${SECTION}.ipynb`));

function gradebook(dir: string): Record<string, string>[] {
  const [head, ...rows] = readFileSync(join(dir, 'gradebook.csv'), 'utf8').trim().split('\n');
  const names = head.split(',');
  // The first five fields never hold commas; feedback (last) may.
  return rows.map((r) => {
    const f = r.split(',');
    return Object.fromEntries(names.map((n, i) => [n, i < 5 ? f[i] : f.slice(5).join(',')]));
  });
}

/**
 * Kernels one at a time (`--jobs 1`): three students take turns in one folder whose kernel snapshot has tslab's
 * converter built (src/teach/execute.ts, kernelSlots); three at once: a fresh folder each, kernels started as usual.
 */
const SHARED =
  /kernels: 1 at once, each in a folder of its own where the students take turns.*each with a kernel snapshot/;
const FRESH = /kernels: 3 at once, a fresh folder for each student, started as usual/;

function grade(
  subs: Record<string, Notebook>,
  name: string,
  jobs: '1' | '3',
  timeout = '300',
): Record<string, string>[] {
  const dir = join(tmp, `sub-${name}`);
  for (const [id, nb] of Object.entries(subs)) {
    mkdirSync(join(dir, id), { recursive: true });
    writeFileSync(join(dir, id, `${SECTION}.ipynb`), JSON.stringify(nb));
  }
  const out = join(tmp, `report-${name}`);
  const r = nqp('grade', '--class', CLASS, '--submissions', dir, '--out', out, '--timeout', timeout, '--jobs', jobs);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, jobs === '1' ? SHARED : FRESH);
  return gradebook(out);
}

/** Replace the code of one exercise cell (found by its question id). */
function editExercise(nb: Notebook, q: string, edit: (src: string) => string): Notebook {
  const copy: Notebook = JSON.parse(JSON.stringify(nb));
  const cell = copy.cells.find((c) => (c.metadata?.nqp as { exercise?: string } | undefined)?.exercise === q);
  assert.ok(cell, q);
  cell.source = edit(cellSource(cell));
  return copy;
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

test('nqp class: own panel and exercise notebook per student, keys that differ, the same folder twice', () => {
  const r = nqp('class', '--section', SECTION, '--students', roster, '--out', CLASS, '--seed', '11', '--jobs', '1');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, SHARED);
  for (const id of IDS) {
    const nb: Notebook = read(join(CLASS, 'students', id, `${SECTION}.ipynb`));
    const text = nb.cells.map(cellSource).join('\n');
    assert.doesNotMatch(text, /BEGIN SOLUTION/);
    assert.match(text, /const DATA: string \| undefined = "data\/panel.csv";/);
    assert.ok(statSync(join(CLASS, 'students', id, 'data', 'panel.csv')).size > 100_000);
  }
  assert.notEqual(
    readFileSync(join(CLASS, 'students', 'ana', 'data', 'panel.csv'), 'utf8'),
    readFileSync(join(CLASS, 'students', 'ben', 'data', 'panel.csv'), 'utf8'),
  );
  // The keys of two students differ on every numeric question.
  const [a, b] = [keyOf('ana'), keyOf('ben')];
  for (const [i, q] of a.questions.entries()) {
    const nums = (v: unknown) => (Array.isArray(v) ? v : [v]).filter((x) => typeof x === 'number');
    const [x, y] = [nums(q.value), nums(b.questions[i].value)];
    x.forEach((v: number, k: number) => assert.ok(Math.abs(v - y[k]) > 1e-3 * Math.abs(v), `${q.question}[${k}]`));
  }
  assert.ok(readFileSync(join(CLASS, 'instructor', 'HANDOUT.md'), 'utf8').includes('nqp grade'));
  // Same seed, same class folder, byte for byte: the keys computed in turns in one folder from its snapshot above,
  // here each in a fresh folder with its kernel started as usual.
  const again = join(tmp, 'class-again');
  const r2 = nqp('class', '--section', SECTION, '--students', roster, '--out', again, '--seed', '11', '--jobs', '3');
  assert.equal(r2.status, 0, r2.stderr);
  assert.match(r2.stderr, FRESH);
  const listing = files(CLASS).map((p) => relative(CLASS, p));
  assert.deepEqual(
    files(again).map((p) => relative(again, p)),
    listing,
  );
  for (const f of listing) assert.ok(readFileSync(join(CLASS, f)).equals(readFileSync(join(again, f))), f);
});

test('(a) the solution as every submission: full marks for all', () => {
  const rows = grade(Object.fromEntries(IDS.map((id) => [id, solution()])), 'a', '1');
  assert.equal(rows.length, IDS.length * keyOf('ana').questions.length);
  for (const r of rows) assert.equal(r.status, 'correct', `${r.student_id} ${r.question}: ${r.feedback}`);
});

test('(b) the untouched exercise notebooks: zero, every question missing', () => {
  const subs = Object.fromEntries(IDS.map((id) => [id, read(join(CLASS, 'students', id, `${SECTION}.ipynb`))]));
  for (const r of grade(subs, 'b', '3')) {
    assert.equal(r.status, 'missing', `${r.student_id} ${r.question}: ${r.feedback}`);
    assert.equal(r.points, '0');
  }
});

test('(c) pooled OLS, (d) an endless loop, (e) copied answers: incorrect, timeout, incorrect', () => {
  // (c) ana fits pooled OLS where q1 asks for two-way fixed effects.
  const pooled = editExercise(solution(), 'q1', (s) => s.replace(' | city_code + year`', '`'));
  // (d) ben answers q1, then loops for ever in q2.
  const loop = editExercise(solution(), 'q2', (s) =>
    s.replace('// BEGIN SOLUTION\n', '// BEGIN SOLUTION\nlet spin = 0;\nwhile (spin >= 0) spin = (spin + 1) % 1000;\n'),
  );
  // (e) chen types in ana's answers.
  let copied = solution();
  for (const q of keyOf('ana').questions) {
    copied = editExercise(copied, q.question, (s) =>
      s.replace(/\/\/ BEGIN SOLUTION[\s\S]*\/\/ END SOLUTION/, `answer('${q.question}', ${JSON.stringify(q.value)});`),
    );
  }
  // In turns in one folder: ben's kernel is stopped at its deadline, and chen's runs after it in the same folder.
  const rows = grade({ ana: pooled, ben: loop, chen: copied }, 'cde', '1', '90');
  const row = (id: string, q: string) => rows.find((r) => r.student_id === id && r.question === q)!;
  const expected = keyOf('ana').questions[0].value as number;
  assert.equal(row('ana', 'q1').status, 'incorrect');
  assert.match(row('ana', 'q1').feedback, new RegExp(`expected ${String(Number(expected.toPrecision(6)))}`));
  for (const q of ['q2', 'q3', 'q4']) assert.equal(row('ana', q).status, 'correct');
  assert.equal(row('ben', 'q1').status, 'correct', 'answers recorded before the loop keep their points');
  for (const q of ['q2', 'q3', 'q4']) assert.equal(row('ben', q).status, 'timeout');
  for (const q of keyOf('ana').questions.filter(
    (e: any) => typeof e.value === 'number' || typeof e.value[0] === 'number',
  ))
    assert.equal(row('chen', q.question).status, 'incorrect', q.question);
  const page = readFileSync(join(tmp, 'report-cde', 'feedback', 'ana.html'), 'utf8');
  assert.match(page, /incorrect/);
  assert.match(readFileSync(join(tmp, 'report-cde', 'summary.html'), 'utf8'), /most missed/);
});
