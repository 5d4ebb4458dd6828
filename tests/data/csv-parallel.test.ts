/**
 * The two-thread CSV reader (csv-parallel.ts) must give exactly the frame a single read gives (values, interned
 * codes, line numbers, facts, the same refused-cell error), or decline (undefined) so that the file is read in one
 * piece. Small files here: readCsvParallel is called directly (readCsvFrame uses it from 32 MB).
 */
import assert from 'node:assert/strict';
import { closeSync, fstatSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileSource } from '../../src/data/byte-source';
import { readCsvParallel } from '../../src/data/csv-parallel';
import { readCsvFrame } from '../../src/data/csv-read';
import { parse, toFrame } from '../../src/data/csv-stream';
import type { Frame } from '../../src/data/frame';
import { Rng } from '../../src/math/rng';
import { scratch } from '../helpers';

const DIR = scratch('csv-parallel');
const KEYS = new Set(['city', 'region']);

function both(text: string, name: string): { par: Frame | undefined | Error; seq: Frame | Error } {
  const file = join(DIR, name);
  writeFileSync(file, text);
  const fd = openSync(file, 'r');
  const attempt = <T>(f: () => T): T | Error => {
    try {
      return f();
    } catch (e) {
      return e as Error;
    }
  };
  try {
    const size = fstatSync(fd).size;
    const par = attempt(() => readCsvParallel(file, fd, size, name, ',', { textColumns: KEYS }));
    const seq = attempt(() =>
      toFrame(parse(fileSource(openSync(file, 'r')), name, ',', { textColumns: KEYS }, 'utf-8', size), name, 'utf-8'),
    );
    return { par, seq };
  } finally {
    closeSync(fd);
  }
}

function assertSameFrame(a: Frame, b: Frame): void {
  assert.deepEqual(a.names, b.names);
  assert.equal(a.n, b.n);
  assert.deepEqual([...a.lines], [...b.lines]);
  for (const nm of a.names) {
    const x = a.columns.get(nm);
    const y = b.columns.get(nm);
    if (x instanceof Float64Array || y instanceof Float64Array) {
      assert.ok(x instanceof Float64Array && y instanceof Float64Array, nm);
      assert.equal(x.length, y.length);
      for (let i = 0; i < x.length; i++) assert.ok(Object.is(x[i], y[i]), `${nm}[${i}]: ${x[i]} vs ${y[i]}`);
    } else {
      assert.deepEqual(x?.labels, y?.labels, nm);
      assert.deepEqual([...(x?.codes ?? [])], [...(y?.codes ?? [])], nm);
    }
    assert.deepEqual(a.facts.get(nm), b.facts.get(nm), nm);
  }
}

/** A panel with integer and text keys, missing cells, blank lines and both line endings. */
function panel(seed: number, rows: number, eol: string, opts: { bom?: boolean; lastNewline?: boolean } = {}): string {
  const rng = new Rng(seed);
  const regions = ['east', 'west', '012', '7', 'A12'];
  const out = [`${opts.bom ? '\ufeff' : ''}city,region,year,y,x`];
  for (let r = 0; r < rows; r++) {
    const u = rng.uniform();
    const y = u < 0.05 ? '' : u < 0.08 ? 'NA' : (rng.normal() * 100).toPrecision(8);
    const city = 1000 + Math.floor(rng.uniform() * 300);
    const region = rng.uniform() < 0.03 ? '' : regions[Math.floor(rng.uniform() * regions.length)];
    out.push(`${city},${region},${2010 + (r % 12)},${y},${rng.normal().toFixed(6)}`);
    if (rng.uniform() < 0.01) out.push('');
  }
  return out.join(eol) + (opts.lastNewline === false ? '' : eol);
}

test('two parts give the frame a single read gives: codes in first-seen order, line numbers, facts', () => {
  const cases: [string, string][] = [
    ['lf.csv', panel(1, 4000, '\n')],
    ['crlf.csv', panel(2, 3001, '\r\n')],
    ['bom-no-final-newline.csv', panel(3, 2500, '\n', { bom: true, lastNewline: false })],
    ['small.csv', panel(4, 3, '\n')],
  ];
  for (const [name, text] of cases) {
    const { par, seq } = both(text, name);
    assert.ok(par && !(par instanceof Error), `${name}: the parallel reader declined or failed: ${par}`);
    assert.ok(!(seq instanceof Error), String(seq));
    assertSameFrame(par, seq);
  }
});

test('rows beyond the estimate from the first megabyte: the parts grow out of the shared memory, same frame', () => {
  // Long rows first (a wide text cell), then short ones: both parts' row counts are far above the estimate.
  const rng = new Rng(9);
  const part = (from: number): string[] => {
    const rows: string[] = [];
    for (let r = 0; r < 1100; r++) rows.push(`${from + r},${'w'.repeat(1000)},2010,${rng.normal().toFixed(4)},1`);
    for (let r = 0; r < 30000; r++) rows.push(`${from + (r % 97)},east,2011,${rng.normal().toFixed(4)},2`);
    return rows;
  };
  const text = ['city,region,year,y,x', ...part(0), ...part(5000), ''].join('\n');
  const { par, seq } = both(text, 'estimate-low.csv');
  assert.ok(par && !(par instanceof Error), `the parallel reader declined or failed: ${par}`);
  assert.ok(!(seq instanceof Error), String(seq));
  assertSameFrame(par, seq);
  assert.equal(par.n, 62200);
});

test('a refused cell in the second part is reported as a single read reports it (same line)', () => {
  const lines = panel(5, 3000, '\n').split('\n');
  let at = Math.floor(lines.length * 0.75);
  while (lines[at].split(',')[3] === '') at++;
  lines[at] = lines[at].replace(/^(\d+,[^,]*,\d+,)[^,]*/, '$10x1F');
  const { par, seq } = both(lines.join('\n'), 'bad-cell.csv');
  assert.ok(par instanceof Error && seq instanceof Error);
  assert.equal(par.message, seq.message);
  assert.match(par.message, new RegExp(`line ${at + 1}, column "y"`));
});

test('declines what a part cannot read alone; readCsvFrame then reads it in one piece', () => {
  const base = panel(6, 3000, '\n');
  const lines = base.split('\n');
  const late = Math.floor(lines.length * 0.8);
  const edit = (f: (l: string) => string) => lines.map((l, i) => (i === late ? f(l) : l)).join('\n');
  const cases: [string, string][] = [
    ['quote.csv', edit((l) => l.replace(/^(\d+),/, '"$1",'))],
    ['turns-to-text.csv', edit((l) => l.replace(/^(\d+,[^,]*,\d+,)[^,]*/, '$1high'))],
    ['lone-cr.csv', base.replace(/\n/g, '\r')],
    ['ragged.csv', edit((l) => `${l},extra`)],
  ];
  for (const [name, text] of cases) {
    const { par, seq } = both(text, name);
    assert.equal(par, undefined, `${name}: expected the parallel reader to decline`);
    let whole: Frame | Error;
    try {
      whole = readCsvFrame(join(DIR, name), name, ',', { textColumns: KEYS });
    } catch (e) {
      whole = e as Error;
    }
    if (seq instanceof Error || whole instanceof Error) assert.equal(String(whole), String(seq), name);
    else assertSameFrame(whole, seq);
  }
  const bytes = Buffer.from(base, 'utf8');
  const latin = Buffer.concat([bytes.subarray(0, bytes.length - 40), Buffer.from([0xe9]), bytes.subarray(-39)]);
  const file = join(DIR, 'latin.csv');
  writeFileSync(file, latin);
  const fd = openSync(file, 'r');
  try {
    assert.equal(readCsvParallel(file, fd, latin.length, 'latin.csv', ',', {}), undefined);
  } finally {
    closeSync(fd);
  }
});

test('NQP_THREADS=1: the file is left to the one-piece reader (no worker thread)', () => {
  const saved = process.env.NQP_THREADS;
  process.env.NQP_THREADS = '1';
  try {
    const { par, seq } = both(panel(7, 3000, '\n'), 'one-thread.csv');
    assert.equal(par, undefined);
    assert.ok(!(seq instanceof Error));
  } finally {
    if (saved === undefined) delete process.env.NQP_THREADS;
    else process.env.NQP_THREADS = saved;
  }
  const { par } = both(panel(7, 3000, '\n'), 'two-threads.csv');
  assert.ok(par && !(par instanceof Error), 'without NQP_THREADS the same file is read in two parts');
});
