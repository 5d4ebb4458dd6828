/**
 * Key codes found again across fits by content (model/code-cache.ts): a hit only where the rows and every key value
 * at those rows are the same, so a column edited in place, other rows, another kind of column or missing values
 * never get the codes of an earlier fit.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { codesFor, codesForCached, type ColumnSource } from '../../src/estimate/model/columns';
import { feols } from '../../src/estimate';

function source(cols: Record<string, ArrayLike<unknown>>): ColumnSource {
  const names = Object.keys(cols);
  return { columnNames: () => names, numRows: () => cols[names[0]].length, array: (nm) => cols[nm] };
}

const n = 120;
const rowsAll = () => Int32Array.from({ length: n }, (_, i) => i);
const fresh = (c: { codes: Int32Array; nLevels: number; labels: string[]; notes: string[]; warnings: string[] }) => ({
  codes: Array.from(c.codes),
  nLevels: c.nLevels,
  labels: c.labels,
  notes: c.notes,
  warnings: c.warnings,
});

test('codes are found again for new rows arrays with the same rows and values, and made anew otherwise', () => {
  const city = Int32Array.from({ length: n }, (_, i) => 1000 + Math.floor(i / 4));
  const year = Float64Array.from({ length: n }, (_, i) => 2010 + (i % 4));
  const d = source({ city, year });
  const a = codesForCached(d, ['city'], rowsAll());
  // The same rows in a new array, and the same values in a new column: the same codes object.
  assert.equal(codesForCached(d, ['city'], rowsAll()), a);
  assert.equal(codesForCached(source({ city: city.slice(), year }), ['city'], rowsAll()), a);
  // Edited in place: a miss, and the codes are those made from scratch.
  city[5] = 1003;
  city[6] = 9999;
  const b = codesForCached(d, ['city'], rowsAll());
  assert.notEqual(b, a);
  assert.deepEqual(fresh(b), fresh(codesFor(d, ['city'], rowsAll())));
  assert.equal(b.nLevels, a.nLevels + 1);
  // Other rows of the same length.
  const other = Int32Array.from({ length: n }, (_, i) => (i * 7) % n);
  assert.deepEqual(fresh(codesForCached(d, ['city'], other)), fresh(codesFor(d, ['city'], other)));
  // The same numbers as text: another kind of column, its own codes.
  const text = source({ city: Array.from(city, (v, i) => (i % 2 ? `${v}.0` : String(v))), year });
  const t = codesForCached(text, ['city'], rowsAll());
  assert.deepEqual(fresh(t), fresh(codesFor(text, ['city'], rowsAll())));
  assert.ok(t.notes.length > 0);
  // Interactions compare every part.
  const ab = codesForCached(d, ['city', 'year'], rowsAll());
  year[0] = 2013;
  const ab2 = codesForCached(d, ['city', 'year'], rowsAll());
  assert.notEqual(ab2, ab);
  assert.deepEqual(fresh(ab2), fresh(codesFor(d, ['city', 'year'], rowsAll())));
  // A missing value never matches (NaN is not equal to itself): made anew, the same as from scratch.
  year[1] = NaN;
  const m1 = codesForCached(d, ['year'], rowsAll());
  const m2 = codesForCached(d, ['year'], rowsAll());
  assert.notEqual(m1, m2);
  assert.deepEqual(fresh(m2), fresh(codesFor(d, ['year'], rowsAll())));
});

test('feols after a key column is edited in place uses the new groups', () => {
  const G = 30;
  const T = 5;
  const N = G * T;
  const id = Int32Array.from({ length: N }, (_, i) => Math.floor(i / T));
  const t = Int32Array.from({ length: N }, (_, i) => i % T);
  let s = 7;
  const rnd = () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648 - 0.5;
  };
  const x = Float64Array.from({ length: N }, () => rnd());
  const y = Float64Array.from(x, (v, i) => 2 * v + id[i] / G + rnd());
  const cols = { id, t, x, y };
  const data = source(cols);
  const f = 'y ~ x | id + t';
  const before = feols(data, f, { vcov: { cluster: 'id' } });
  // Merge units 0 and 1 in place: one level and one cluster fewer, and the estimate of a fresh copy's fit.
  for (let i = 0; i < T; i++) id[T + i] = 0;
  const after = feols(data, f, { vcov: { cluster: 'id' } });
  assert.equal(before.fixedEffects[0].levels, G);
  assert.equal(after.fixedEffects[0].levels, G - 1);
  assert.equal(after.vcov.clusters?.[0].count, G - 1);
  const copy = feols(source({ id: Array.from(id), t: Array.from(t), x: x.slice(), y: y.slice() }), f, {
    vcov: { cluster: 'id' },
  });
  assert.deepEqual(JSON.parse(JSON.stringify(after.coefficients)), JSON.parse(JSON.stringify(copy.coefficients)));
});
