import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as aq from 'arquero';
import { feols } from '../../src/estimate';
import { loadCities } from '../../src/data';
import { Rng } from '../../src/math';
import { simulateLatent } from '../../src/simulate';
import { monteCarlo } from '../../src/study';

// The default panel's structural model (src/data/generate.ts) on its latent variables. Given the time-varying
// confounder and economic development as controls, two-way fixed effects recover the average total effect of
// NQP* on resilience; pooled OLS does not, because city effects in resilience are correlated with NQP.
test('Monte Carlo, seeds 1–100: two-way FE covers the truth within 2 SE in ≥ 93; pooled OLS is biased', () => {
  const cities = loadCities();
  let covered = 0;
  let pooledCovered = 0;
  const feEst: number[] = [],
    poolEst: number[] = [];
  let truth = 0;
  for (let seed = 1; seed <= 100; seed++) {
    const L = simulateLatent(cities, new Rng(seed));
    const t = aq.table({ city: L.city, year: L.year, r: L.resilience, q: L.nqp, u: L.confounder, dev: L.development });
    const m = feols(t, 'r ~ q + u + dev | city + year', {
      vcov: { cluster: 'city' },
      panel: { id: 'city', time: 'year' },
    });
    const p = feols(t, 'r ~ q + u + dev', { vcov: { cluster: 'city' }, panel: { id: 'city', time: 'year' } });
    const b = m.coefficients[0],
      bp = p.coefficients[1];
    if (Math.abs(b.estimate - L.totalEffect) <= 2 * b.std_error) covered++;
    if (Math.abs(bp.estimate - L.totalEffect) <= 2 * bp.std_error) pooledCovered++;
    feEst.push(b.estimate);
    poolEst.push(bp.estimate);
    truth = L.totalEffect;
  }
  // Bias in Monte Carlo standard errors of the mean (sd / √100).
  const summary = (x: number[]) => {
    const m = x.reduce((a, v) => a + v, 0) / x.length;
    const sd = Math.sqrt(x.reduce((a, v) => a + (v - m) ** 2, 0) / (x.length - 1));
    return { mean: m, z: (m - truth) / (sd / Math.sqrt(x.length)) };
  };
  const f = summary(feEst),
    p = summary(poolEst);
  console.log(
    `seeds 1-100, truth ${truth.toFixed(4)}: two-way FE mean ${f.mean.toFixed(4)} (bias ${f.z.toFixed(1)} MC ` +
      `s.e.), covers ${covered}/100; pooled OLS mean ${p.mean.toFixed(4)} (bias ${p.z.toFixed(1)} MC s.e.), covers ` +
      `${pooledCovered}/100`,
  );
  assert.ok(covered >= 93, `FE covered ${covered}/100`);
  assert.ok(Math.abs(f.z) < 3, 'FE unbiased');
  assert.ok(p.z > 10, 'pooled OLS biased upward by more than 10 Monte Carlo standard errors');
});

test("monteCarlo (the notebooks' small Monte Carlo): same seeds, same numbers; FE biased, 2SLS not", () => {
  const a = monteCarlo({ draws: 20, firstSeed: 101 });
  assert.deepEqual(a, monteCarlo({ draws: 20, firstSeed: 101 }));
  assert.deepEqual(
    a.seeds,
    Array.from({ length: 20 }, (_, i) => 101 + i),
  );
  const row = (name: string) => a.rows.find((r) => r.estimator === name)!;
  assert.ok(row('Two-way FE').biasMcSe > 10, 'the confounder biases two-way FE upward');
  assert.ok(Math.abs(row('Two-way FE + confounder').biasMcSe) < 3);
  assert.ok(Math.abs(row('2SLS (latent instrument)').biasMcSe) < 3);
  assert.ok(row('2SLS (latent instrument)').coverage >= 0.8);
  assert.throws(() => monteCarlo({ draws: 1 }), /draws must be a whole number from 2/);
});
