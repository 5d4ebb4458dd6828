import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkOutputFolder, writeWhole } from '../../src/notebook';
import type { NqpError } from '../../src/errors';
import { nqpCli, scratch } from '../helpers';

const ROOT = join(__dirname, '..', '..');
const TMP = scratch('reproduce-out');

/** Every file of a folder with its content hash and modification time. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of readdirSync(dir)) {
    const p = join(dir, f);
    if (statSync(p).isFile())
      out[f] = `${createHash('sha256').update(readFileSync(p)).digest('hex')} ${statSync(p).mtimeMs}`;
  }
  return out;
}

test('nqp reproduce refuses an --out that would harm the user’s files, naming the problem, and changes nothing', () => {
  const notebooks = snapshot(join(ROOT, 'notebooks'));
  const data = snapshot(join(ROOT, 'data'));
  const mine = join(TMP, 'mine.csv');
  writeFileSync(mine, readFileSync(join(ROOT, 'data', 'panel.csv')));
  const existing = join(TMP, 'notes.txt');
  writeFileSync(existing, 'keep me\n');
  const cases: [string[], RegExp][] = [
    [['--out', 'notebooks'], /--out \S*notebooks is the project's notebooks\/ folder/],
    [['--out', join(ROOT, 'notebooks', 'runs')], /is inside the project's notebooks\/ folder/],
    [['--out', 'notebooks/../notebooks/'], /is the project's notebooks\/ folder/],
    [['--data', mine, '--out', mine], /is the data file; nothing was written/],
    [['--out', existing], /is an existing file, not a folder; nothing was written/],
  ];
  for (const [args, message] of cases) {
    const r = nqpCli('reproduce', '--only', 'index', ...args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  }
  assert.deepEqual(snapshot(join(ROOT, 'notebooks')), notebooks);
  assert.deepEqual(snapshot(join(ROOT, 'data')), data);
  assert.equal(readFileSync(existing, 'utf8'), 'keep me\n');
  assert.equal(existsSync(join(ROOT, 'notebooks', 'runs')), false);
});

test('--only with a notebook from another folder protects that folder; a subfolder of it is fine', () => {
  const nb = join(TMP, 'elsewhere.ipynb');
  writeFileSync(nb, '{}');
  assert.throws(
    () => checkOutputFolder(TMP, [nb]),
    (e: NqpError) => e.code === 'UNSAFE_OUTPUT' && e.where === '--out',
  );
  assert.doesNotThrow(() => checkOutputFolder(join(TMP, 'out'), [nb]));
});

test('pages are written whole: the target appears only complete, and no temporary file is left behind', () => {
  const page = join(TMP, 'page.html');
  writeWhole(page, 'first');
  writeWhole(page, 'x'.repeat(1 << 20));
  assert.equal(readFileSync(page, 'utf8').length, 1 << 20);
  assert.deepEqual(
    readdirSync(TMP).filter((f) => f.endsWith('.tmp')),
    [],
  );
  // A write that fails (the target is a folder) leaves neither a partial file nor its temporary.
  assert.throws(() => writeWhole(TMP, 'never'));
  assert.deepEqual(
    readdirSync(join(TMP, '..')).filter((f) => f.includes('reproduce-out') && f.endsWith('.tmp')),
    [],
  );
});

test('--jobs sets how many notebooks run at once: 1 runs them in turn, 2 starts both before either ends', () => {
  const nbs = ['one', 'two'].map((n) => {
    const p = join(TMP, `${n}.ipynb`);
    const cell = { cell_type: 'code', metadata: {}, execution_count: null, outputs: [], source: ['1 + 1'] };
    const meta = { kernelspec: { name: 'tslab', display_name: 'TypeScript', language: 'typescript' } };
    writeFileSync(p, JSON.stringify({ cells: [cell], metadata: meta, nbformat: 4, nbformat_minor: 5 }));
    return p;
  });
  // Each notebook's start (▶) and its one cell run (a notebook's page is written while the next one runs).
  const order = (jobs: string) => {
    const r = nqpCli('reproduce', '--only', nbs.join(','), '--jobs', jobs, '--out', join(TMP, `jobs-${jobs}`));
    assert.equal(r.status, 0, r.stderr);
    for (const n of ['one', 'two']) assert.match(r.stderr, new RegExp(`✓ ${n}: 1 cells in `));
    return r.stderr
      .split('\n')
      .filter((l) => /^▶ | cell 1\/1 /.test(l))
      .map((l) => l.trim().slice(0, 5));
  };
  assert.deepEqual(order('1'), ['▶ one', 'one  ', '▶ two', 'two  ']);
  assert.deepEqual(order('2').slice(0, 2), ['▶ one', '▶ two']);
});
