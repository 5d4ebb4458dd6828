import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as aq from 'arquero';
import { mediation, feols, percentileInterval, biasCorrectedInterval } from '../../src/estimate';
import { Rng } from '../../src/math';
import { normalTwoSided } from '../../src/math';

/** Panel with x → m → y and known a, b (unit and year effects, a control). */
function simulated(seed: number, a = 0.5, b = 0.4) {
  const rng = new Rng(seed);
  const G = 50,
    T = 6;
  const rows: Record<string, number[]> = { unit: [], year: [], x: [], m: [], y: [], c: [] };
  for (let u = 0; u < G; u++) {
    const al = rng.normal();
    for (let t = 0; t < T; t++) {
      const c = rng.normal(),
        x = rng.normal() + 0.5 * al;
      const m = al + a * x + 0.2 * c + rng.normal();
      const y = al + 0.05 * t + 0.3 * x + b * m + 0.2 * c + rng.normal();
      rows.unit.push(u);
      rows.year.push(t);
      rows.x.push(x);
      rows.m.push(m);
      rows.y.push(y);
      rows.c.push(c);
    }
  }
  return aq.table(Object.fromEntries(Object.entries(rows).map(([k, v]) => [k, Float64Array.from(v)])));
}
const o = { x: 'x', y: 'y', mediators: ['m'], controls: ['c'], unit: 'unit', time: 'year' };

test('Sobel and Aroian equal the hand computation from the path coefficients', async () => {
  const r = await mediation(simulated(1), { ...o, reps: 10 });
  const { a, b } = r.mediators[0];
  const z =
    (a.estimate * b.estimate) / Math.sqrt(b.estimate ** 2 * a.std_error ** 2 + a.estimate ** 2 * b.std_error ** 2);
  assert.ok(Math.abs(r.mediators[0].sobel.z - z) < 1e-12);
  assert.ok(Math.abs(r.mediators[0].sobel.p - normalTwoSided(z)) < 1e-15);
  const za =
    (a.estimate * b.estimate) /
    Math.sqrt(
      b.estimate ** 2 * a.std_error ** 2 + a.estimate ** 2 * b.std_error ** 2 + a.std_error ** 2 * b.std_error ** 2,
    );
  assert.ok(Math.abs(r.mediators[0].aroian.z - za) < 1e-12);
  // The paths are the coefficients of the stepwise regressions.
  const am = feols(simulated(1), 'm ~ x + c | unit + year', { vcov: { cluster: 'unit' } });
  assert.ok(Math.abs(am.coefficients[0].estimate - a.estimate) < 1e-12);
});

test('bootstrap draws equal slow refits on resampled cities; same seed, same intervals', async () => {
  const d = simulated(2);
  const r1 = await mediation(d, { ...o, reps: 3, seed: 11 });
  const r2 = await mediation(d, { ...o, reps: 3, seed: 11 });
  assert.deepEqual(r1.bootstrap.draws, r2.bootstrap.draws);
  // Redo draw 1 by hand: cities drawn with replacement, each copy its own unit.
  const rng = new Rng(11);
  const chosen = Array.from({ length: 50 }, () => rng.int(50));
  const rows: any[] = [];
  const all = d.objects() as any[];
  chosen.forEach((u, k) => all.filter((r) => r.unit === u).forEach((r) => rows.push({ ...r, unit: k })));
  const bd = aq.from(rows);
  const a = feols(bd, 'm ~ x + c | unit + year', { vcov: 'iid' }).coefficients[0].estimate;
  const b = feols(bd, 'y ~ x + m + c | unit + year', { vcov: 'iid' }).coefficients[1].estimate;
  assert.ok(Math.abs(r1.bootstrap.draws.m[0] - a * b) < 1e-10, `${r1.bootstrap.draws.m[0]} vs ${a * b}`);
});

test('intervals: percentile and bias-corrected on a known sample', () => {
  const draws = Array.from({ length: 1001 }, (_, i) => i / 1000); // uniform grid on [0, 1]
  const [lo, hi] = percentileInterval(draws, 0.9);
  assert.ok(Math.abs(lo - 0.05) < 1e-12 && Math.abs(hi - 0.95) < 1e-12);
  // Estimate at the median: z0 ≈ 0, so the bias-corrected interval is the percentile interval.
  const [blo, bhi] = biasCorrectedInterval(draws, 0.5, 0.9);
  assert.ok(Math.abs(blo - 0.05) < 2e-3 && Math.abs(bhi - 0.95) < 2e-3);
});

test('bootstrap percentile CI covers the true a·b in most of 40 seeded panels', async () => {
  let covered = 0;
  for (let s = 1; s <= 40; s++) {
    const r = await mediation(simulated(1000 + s), { ...o, reps: 199, seed: s });
    const [lo, hi] = r.mediators[0].percentileCI;
    if (lo <= 0.2 && 0.2 <= hi) covered++;
  }
  console.log(`95% percentile CI covered a·b = 0.2 in ${covered}/40 panels`);
  // Binomial(40, 0.95): P(X ≤ 33) < 0.01.
  assert.ok(covered >= 34, `covered ${covered}/40`);
});

test('progress: reported every tenth of the draws (at least 25) and at the end; the draws do not change', async () => {
  const d = simulated(4);
  for (const [reps, expected] of [
    [1000, [100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]],
    [99, [25, 50, 75, 99]],
  ] as [number, number[]][]) {
    const seen: number[] = [];
    const r = await mediation(d, {
      ...o,
      reps,
      seed: 3,
      onProgress: (done, total) => seen.push(total === reps ? done : -1),
    });
    assert.deepEqual(seen, expected);
    const quiet = await mediation(d, { ...o, reps, seed: 3 });
    assert.deepEqual(r.bootstrap.draws, quiet.bootstrap.draws);
  }
});
