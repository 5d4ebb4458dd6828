import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as aq from 'arquero';
import { dimensionShares, type IndexResult } from '../../src/measure';

// Hand case: two years, two dimensions; a missing sub-index cell is left out of its year's total, and a row whose
// year is missing counts in no year. Shares are each dimension's total over the year's total.
test('dimensionShares: each year, each dimension, its share of the summed sub-indices', () => {
  const data = aq.table({
    year: Float64Array.from([2011, 2010, 2011, 2010, NaN]),
    ix_a: Float64Array.from([1, 3, NaN, 1, 100]),
    ix_b: Float64Array.from([2, 1, 1, 3, 100]),
  });
  const r = {
    data,
    dimensions: [
      { dimension: 'a', column: 'ix_a', weight: 0.5 },
      { dimension: 'b', column: 'ix_b', weight: 0.5 },
    ],
  } as unknown as IndexResult;
  const rows = dimensionShares(r).objects() as { year: number; dimension: string; share: number }[];
  const at = (y: number, d: string) => rows.find((x) => x.year === y && x.dimension === d)?.share;
  assert.equal(at(2010, 'a'), 4 / 8);
  assert.equal(at(2010, 'b'), 4 / 8);
  assert.equal(at(2011, 'a'), 1 / 4);
  assert.equal(at(2011, 'b'), 3 / 4);
  // The missing year is a level of its own with nothing in it (0 / 0).
  assert.ok(rows.filter((x) => Number.isNaN(x.year)).every((x) => Number.isNaN(x.share)));
  assert.equal(rows.length, 6);
});
