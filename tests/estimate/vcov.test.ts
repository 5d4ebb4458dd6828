import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clusterMeat, computeVcov, feDof, heteroMeat, smallSample } from '../../src/estimate';

// Four rows, one regressor of ones, residuals 1..4: every number below is checked on paper.
const X = [Float64Array.from([1, 1, 1, 1])];
const e = Float64Array.from([1, 2, 3, 4]);
const A = { name: 'a', codes: Int32Array.from([0, 0, 1, 1]), nLevels: 2 };
const B = { name: 'b', codes: Int32Array.from([0, 1, 0, 1]), nLevels: 2 };
const on = { adj: true, clusterAdj: true };

test('meats by hand: cluster sums (1+2, 3+4) give 3² + 7² = 58; hetero gives Σe² = 30', () => {
  assert.deepEqual(clusterMeat(X, e, A.codes, 2), [[58]]);
  assert.deepEqual(heteroMeat(X, e), [[30]]);
});

test('the small-sample rule (fixest): factors and t degrees of freedom', () => {
  assert.deepEqual(smallSample('iid', 4, 1, NaN, on), { factor: 1 / 3, dfT: 3 });
  assert.deepEqual(smallSample('iid', 4, 1, NaN, { adj: false, clusterAdj: true }), { factor: 1 / 3, dfT: 3 });
  assert.deepEqual(smallSample('hc1', 4, 2, NaN, on), { factor: (4 / 3) * (3 / 2), dfT: 2 });
  assert.deepEqual(smallSample('cluster', 4, 1, A.nLevels, on), { factor: 2, dfT: 1 });
  assert.deepEqual(smallSample('cluster', 4, 1, A.nLevels, { adj: true, clusterAdj: false }), { factor: 1, dfT: 1 });
  // B = (X'X)⁻¹ = 1/4: cluster V = 2 · 58 / 16.
  assert.equal(computeVcov('cluster', X, e, [[0.25]], 4, 1, [A], on).matrix[0][0], (2 * 58) / 16);
  assert.equal(computeVcov('iid', X, e, [[0.25]], 4, 1, [], on).matrix[0][0], (30 / 3) * 0.25);
});

test('fixed-effect parameters: fixest counts one redundancy per extra effect, reghdfe finds them exactly', () => {
  const crossed = [
    { name: 'a', codes: A.codes, nLevels: 2 },
    { name: 'b', codes: B.codes, nLevels: 2 },
  ];
  // Crossed 2 × 2: rank 3. Clustered by a, the nested a leaves b's 2 levels (fixest) = 1 + 1 (reghdfe).
  assert.deepEqual(feDof({ fes: crossed, clusters: [], fixefK: 'nested', preset: 'fixest' }).k, 3);
  assert.deepEqual(feDof({ fes: crossed, clusters: [A], fixefK: 'nested', preset: 'fixest' }).k, 2);
  assert.deepEqual(feDof({ fes: crossed, clusters: [A], fixefK: 'nested', preset: 'reghdfe' }).k, 2);
  assert.deepEqual(feDof({ fes: crossed, clusters: [A], fixefK: 'full', preset: 'fixest' }).k, 3);
  assert.deepEqual(feDof({ fes: crossed, clusters: [A], fixefK: 'none', preset: 'fixest' }).k, 0);
  // Two identical effects: two components, true rank 2. fixest (force_exact = FALSE) says 3, reghdfe 2.
  const same = [
    { name: 'a', codes: A.codes, nLevels: 2 },
    { name: 'a2', codes: A.codes, nLevels: 2 },
  ];
  assert.equal(feDof({ fes: same, clusters: [], fixefK: 'nested', preset: 'fixest' }).k, 3);
  assert.equal(feDof({ fes: same, clusters: [], fixefK: 'nested', preset: 'reghdfe' }).k, 2);
  // Every effect nested in the cluster: K_fe = 1 (the absorbed intercept).
  assert.equal(feDof({ fes: same, clusters: [A], fixefK: 'nested', preset: 'fixest' }).k, 1);
});
