/**
 * The exact two-way absorption (model/demean-two-way.ts) when a unit level has no rows: demeanColumns is public and
 * FeGroup promises only codes in 0..nLevels−1. The answer must be M_D x whatever the unused levels: x − out lies in
 * the span of the dummies by construction, so out is M_D x exactly when it sums to zero within every unit and every
 * period (checked here directly, outside the code under test), and it must not depend on an unused level.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { demeanColumns } from '../../src/estimate/model/demean';

/** Largest |Σ out| within any level of `codes`. */
function worstLevelSum(out: Float64Array, codes: Int32Array): number {
  const sums = new Map<number, number>();
  codes.forEach((c, i) => sums.set(c, (sums.get(c) ?? 0) + out[i]));
  return Math.max(...[...sums.values()].map(Math.abs));
}

// Unit 0's rows come back after unit 1's: two runs for unit 0, one for unit 1, three runs for two used units.
const unit = Int32Array.from([0, 0, 1, 1, 1, 0]);
const time = Int32Array.from([0, 1, 0, 1, 2, 2]);
const x = Float64Array.from([1, 5, 2, 7, 4, 8]);

test('an unused unit level changes nothing: the answer sums to zero within every unit and period', () => {
  const fit = (nUnits: number) =>
    demeanColumns(
      [x],
      [
        { codes: unit, nLevels: nUnits },
        { codes: time, nLevels: 3 },
      ],
    ).out[0];
  const used = fit(2);
  const withUnused = fit(3);
  for (const out of [used, withUnused]) {
    assert.ok(worstLevelSum(out, unit) < 1e-12, `unit sums ${worstLevelSum(out, unit)}`);
    assert.ok(worstLevelSum(out, time) < 1e-12, `period sums ${worstLevelSum(out, time)}`);
  }
  withUnused.forEach((v, i) => assert.ok(Math.abs(v - used[i]) < 1e-12, `row ${i}: ${v} vs ${used[i]}`));
});
