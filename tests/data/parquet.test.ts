import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPanel, readFrame } from '../../src/data';
import { isText } from '../../src/data/frame';
import { errCode } from '../helpers';

// Parquet files written by DuckDB (tests/reference/parquet.js): the reader must give exactly what the CSV reader
// gives for the same rows, under every compression, and refuse by name what it cannot hold exactly.
const FIX = join(__dirname, '..', 'fixtures', 'parquet');
const ROOT = join(__dirname, '..', '..');

function csvSample(): string {
  const lines = readFileSync(join(ROOT, 'data', 'panel.csv'), 'utf8').split('\n');
  const file = join(mkdtempSync(join(tmpdir(), 'nqp-pq-')), 'sample.csv');
  writeFileSync(file, `${lines.slice(0, 241).join('\n')}\n`);
  return file;
}

test('Parquet (Snappy and Zstandard, several row groups) reads exactly as the same rows in CSV', () => {
  const csv = readFrame(csvSample());
  for (const f of ['panel-sample-snappy.parquet', 'panel-sample-zstd.parquet']) {
    const pq = readFrame(join(FIX, f));
    assert.equal(pq.format, 'parquet');
    assert.deepEqual(pq.names, csv.names, f);
    assert.equal(pq.n, 240);
    for (const name of csv.names) {
      const a = csv.columns.get(name)!;
      const b = pq.columns.get(name)!;
      assert.ok(!isText(a) && !isText(b), `${f} ${name}: numbers`);
      assert.deepEqual(Array.from(b as Float64Array), Array.from(a as Float64Array), `${f} ${name}`);
      assert.equal(pq.facts.get(name)!.missing, csv.facts.get(name)!.missing, `${f} ${name}: missing count`);
    }
  }
  // The whole pipeline: the panel loads from Parquet with the same report as from CSV.
  const fromPq = loadPanel(join(FIX, 'panel-sample-zstd.parquet'));
  const fromCsv = loadPanel(csvSample());
  assert.equal(fromPq.report.format, 'parquet');
  assert.deepEqual(fromPq.report.missing, fromCsv.report.missing);
  assert.deepEqual(fromPq.data.objects(), fromCsv.data.objects());
  // Key columns read as text: the same labels and codes as from the CSV (integers interned by value, in order).
  const keys = { textColumns: ['city_code', 'year'] };
  const pqKeys = readFrame(join(FIX, 'panel-sample-zstd.parquet'), keys);
  const csvKeys = readFrame(csvSample(), keys);
  for (const name of keys.textColumns) {
    const a = csvKeys.columns.get(name)!;
    const b = pqKeys.columns.get(name)!;
    assert.ok(isText(a) && isText(b), name);
    assert.deepEqual(b.labels, a.labels, name);
    assert.deepEqual(Array.from(b.codes), Array.from(a.codes), name);
  }
});

test('Parquet types: integers, booleans, decimals and strings under the cell rule; NaN and NULL are missing', () => {
  const f = readFrame(join(FIX, 'types.parquet'));
  const num = (n: string) => Array.from(f.columns.get(n) as Float64Array);
  assert.deepEqual(num('i'), [1, 2, 3]);
  assert.deepEqual(num('b'), [7, 8, 9]);
  assert.deepEqual(num('flag'), [1, 0, 1]);
  assert.deepEqual(num('d'), [1.25, 2.5, 3.75]);
  assert.deepEqual(
    num('f').map((v) => (Number.isNaN(v) ? null : v)),
    [1.5, null, null],
  );
  assert.equal(f.facts.get('f')!.missing, 2);
  // Numbers stored as text become numbers, as in a CSV.
  assert.deepEqual(
    num('numtext').map((v) => (Number.isNaN(v) ? null : v)),
    [3.5, 4, null],
  );
  const s = f.columns.get('s')!;
  assert.ok(isText(s));
  assert.deepEqual(
    Array.from(s.codes, (c) => (c < 0 ? null : s.labels[c])),
    ['a', null, 'c'],
  );
  // A key column read as text: integer codes become their text.
  const k = readFrame(join(FIX, 'types.parquet'), { textColumns: ['b'] }).columns.get('b')!;
  assert.ok(isText(k));
  assert.deepEqual(
    Array.from(k.codes, (c) => k.labels[c]),
    ['7', '8', '9'],
  );
});

test('Parquet refusals name the column: dates, nested lists, integers beyond 2^53, a file that is not Parquet', () => {
  assert.match(
    errCode(() => readFrame(join(FIX, 'date.parquet'))),
    /^BAD_FILE @ .*column "day"/,
  );
  assert.throws(() => readFrame(join(FIX, 'date.parquet')), /"day" is a date column/);
  assert.throws(() => readFrame(join(FIX, 'nested.parquet')), /"xs" is nested \(a list, map or struct\)/);
  assert.throws(
    () => readFrame(join(FIX, 'big.parquet')),
    /row 1, column "big": the integer 1152921504606846976 is beyond 2\^53/,
  );
  const fake = join(mkdtempSync(join(tmpdir(), 'nqp-pq-')), 'fake.parquet');
  writeFileSync(fake, 'city_code,year\n1,2010\n');
  assert.match(
    errCode(() => readFrame(fake)),
    /^BAD_FILE @ .*fake\.parquet/,
  );
});
