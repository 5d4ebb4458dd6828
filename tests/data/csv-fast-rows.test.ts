/**
 * The CSV reader's fast path for plain rows (src/data/csv-rows.ts) must give the frame the general path gives.
 * The oracle: the same file with ':' as its delimiter, which the fast path does not take, so every row goes the
 * general way. Rows mix plain cells with every kind the fast path must leave alone (missing, padded, text, long or
 * non-canonical numbers, a quote, CRLF, blank lines, a column turning to text late, a last row without newline).
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readCsvFrame } from '../../src/data/csv-read';
import { FastRows } from '../../src/data/csv-rows';
import { ColumnBuilder, type Frame, type FrameColumn } from '../../src/data/frame';
import { Rng } from '../../src/math/rng';
import { scratch } from '../helpers';

const DIR = scratch('csv-fast-rows');
const KEYS = new Set(['city']);

const ODD_NUMBERS = ['', 'NA', ' 2.5', '2.5 ', '1e5', '-0', '0012', '12345678901234567', '.5', '5.', '+3', '1E-3'];
const ODD_KEYS = ['012', '-0', '-5', 'abc', '', '1234567890123456', ' 7', '0', '"12"', '-'];

function file(
  seed: number,
  rows: number,
  opts: { eol?: string; turns?: boolean; odd?: number; empty?: number } = {},
): string[] {
  const rng = new Rng(seed);
  const odd = opts.odd ?? 0.05;
  const pick = (a: string[]) => a[Math.floor(rng.uniform() * a.length)];
  const out = ['city,year,y,x'];
  for (let r = 0; r < rows; r++) {
    const num = () =>
      rng.uniform() < (opts.empty ?? 0)
        ? ''
        : rng.uniform() < odd
          ? pick(ODD_NUMBERS)
          : (rng.normal() * 100).toPrecision(1 + (r % 15));
    const city = rng.uniform() < odd ? pick(ODD_KEYS) : String(Math.floor(rng.uniform() * 500));
    const y = opts.turns && r === Math.floor(rows * 0.9) ? 'high' : num();
    out.push(`${city},${2000 + (r % 20)},${y},${num()}`);
    if (rng.uniform() < odd / 5) out.push('');
  }
  return out;
}

function read(lines: string[], eol: string, delimiter: string, name: string): Frame | string {
  const path = join(DIR, name);
  writeFileSync(path, lines.map((l) => (delimiter === ',' ? l : l.replace(/,/g, delimiter))).join(eol));
  try {
    return readCsvFrame(path, name, delimiter, { textColumns: KEYS });
  } catch (e) {
    return String(e);
  }
}

function assertSame(a: Frame | string, b: Frame | string, name: string): void {
  if (typeof a === 'string' || typeof b === 'string') {
    assert.equal(String(a).replace(/colon/g, 'comma'), String(b).replace(/colon/g, 'comma'), name);
    return;
  }
  assert.deepEqual(a.names, b.names, name);
  assert.equal(a.n, b.n, name);
  assert.deepEqual([...a.lines], [...b.lines], `${name}: lines`);
  for (const nm of a.names) {
    const x: FrameColumn | undefined = a.columns.get(nm);
    const y: FrameColumn | undefined = b.columns.get(nm);
    if (x instanceof Float64Array && y instanceof Float64Array) {
      assert.equal(x.length, y.length);
      for (let i = 0; i < x.length; i++) assert.ok(Object.is(x[i], y[i]), `${name} ${nm}[${i}]: ${x[i]} vs ${y[i]}`);
    } else {
      assert.ok(!(x instanceof Float64Array) && !(y instanceof Float64Array), `${name} ${nm}: types differ`);
      assert.deepEqual(x?.labels, y?.labels, `${name} ${nm}`);
      assert.deepEqual([...(x?.codes ?? [])], [...(y?.codes ?? [])], `${name} ${nm}`);
    }
    assert.deepEqual(a.facts.get(nm), b.facts.get(nm), `${name} ${nm}`);
  }
}

test('plain and odd rows mixed: the fast path gives the frame the general path gives', () => {
  const cases: [string, string[], string][] = [
    ['mixed', file(1, 3000), '\n'],
    ['mostly-odd', file(2, 2000, { odd: 0.5 }), '\n'],
    ['odd-then-plain', [...file(8, 3000, { odd: 0.6 }), ...file(9, 3000, { odd: 0 }).slice(1)], '\n'],
    ['all-plain', file(3, 2000, { odd: 0 }), '\n'],
    // Empty number cells (first, middle and last field) are read on the fast path as missing.
    ['many-empty', file(10, 2000, { odd: 0, empty: 0.3 }), '\n'],
    ['empty-and-odd', file(11, 2000, { empty: 0.2 }), '\n'],
    ['crlf', file(4, 2000), '\r\n'],
    ['turns-to-text', file(5, 3000, { turns: true }), '\n'],
    ['one-column', ['x', '1', '2.5', '', '-3', 'NA', '4'], '\n'],
  ];
  for (const [name, lines, eol] of cases) {
    for (const last of ['', eol]) {
      const fast = read([...lines, last], eol, ',', `${name}.csv`);
      const general = read([...lines, last], eol, ':', `${name}-colon.csv`);
      if (name === 'all-plain') assert.equal(typeof fast, 'object', String(fast));
      assertSame(fast, general, `${name}${last ? '' : ' (no final newline)'}`);
    }
  }
});

test('a plain row with a field too many or too few is refused as the general path refuses it', () => {
  for (const [name, extra] of [
    ['too-many', '1,2001,3.5,4.5,9'],
    ['too-few', '1,2001,3.5'],
  ]) {
    const lines = [...file(6, 500, { odd: 0 }), extra, ...file(7, 10, { odd: 0 }).slice(1), ''];
    const fast = read(lines, '\n', ',', `${name}.csv`);
    assert.equal(typeof fast, 'string');
    assert.match(String(fast), /line 502: \d fields where the header has 4/);
  }
});

test('after many rows that are not plain the fast path rests (one try in 1024) and resumes on a plain row', () => {
  const builders = [new ColumnBuilder('id', true), new ColumnBuilder('y', false)];
  const rows = FastRows.for(builders, ',');
  assert.ok(rows);
  const odd = Buffer.from('1,NA\n');
  const plain = Buffer.from('2,2.5\n');
  for (let r = 0; r < 300; r++) assert.equal(rows.row(odd, 0, odd.length), -1);
  let taken = 0;
  for (let r = 0; r < 2048; r++) if (rows.row(plain, 0, plain.length) >= 0) taken++;
  assert.ok(taken > 1000 && taken < 2048, `${taken} plain rows taken`);
  assert.equal(builders[1].n, taken);
  assert.equal(rows.row(plain, 0, plain.length), plain.length);
});
