import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as aq from 'arquero';
import { groupDiff, feols } from '../../src/estimate';
import { Rng } from '../../src/math';
import { errCode, fixtureTable, readJson, relDiff } from '../helpers';

const ref = readJson('groupdiff-reference.json');
const produc = () => fixtureTable('produc.csv').derive({ g: (d: any) => (d.region <= 4 ? 1 : 0) });
const opts = { x: 'lpcap', y: 'lgsp', group: 'g', controls: ['lpc', 'lemp', 'unemp'], unit: 'state', time: 'year' };

test('interaction and SUEST tests equal R (tests/reference/groupdiff.R)', async () => {
  const h = await groupDiff(produc(), { ...opts, reps: 20, seed: 1 });
  assert.ok(relDiff(h.interaction.estimate, ref.interaction.estimate) < 1e-8);
  assert.ok(relDiff(h.interaction.std_error, ref.interaction.std_error) < 1e-8);
  assert.ok(relDiff(h.interaction.p_value, ref.interaction.p_value) < 1e-8);
  // With group-specific year effects (fixest: | state + g^year).
  const gy = h.interactionGroupYear!;
  assert.ok(relDiff(gy.estimate, ref.interaction_group_year.estimate) < 1e-8);
  assert.ok(relDiff(gy.std_error, ref.interaction_group_year.std_error) < 1e-8, `${gy.std_error}`);
  assert.ok(relDiff(gy.p_value, ref.interaction_group_year.p_value) < 1e-8);
  assert.ok(relDiff(h.coefs[0].estimate, ref.suest.b1) < 1e-8);
  assert.ok(relDiff(h.coefs[1].estimate, ref.suest.b0) < 1e-8);
  assert.ok(relDiff(h.suest.std_error, ref.suest.std_error) < 1e-8);
  assert.ok(relDiff(h.suest.p_value, ref.suest.p_value) < 1e-8);
});

/** The table with `gp`, the group labels of groupDiff's first permutation draw under `seed` (states reshuffled). */
function firstPermutation(d: any, seed: number) {
  const states = [...new Set(d.array('state') as string[])];
  const n1 = new Set(d.filter((r: any) => r.g === 1).array('state') as string[]).size;
  const perm = Int32Array.from(states.keys());
  new Rng(seed).shuffle(perm);
  const in1 = new Set(Array.from(perm.subarray(0, n1), (i) => states[i]));
  return d.derive({ gp: aq.escape((r: any) => (in1.has(r.state) ? 1 : 0)) });
}

test('permutation draws (raw, studentised) equal refits on permuted labels; same seed, same draws', async () => {
  const d = produc();
  const a = await groupDiff(d, { ...opts, reps: 3, seed: 7 });
  const b = await groupDiff(d, { ...opts, reps: 3, seed: 7 });
  assert.deepEqual(a.permutation.draws, b.permutation.draws);
  // Rebuild the first permutation with the same generator and refit with feols.
  const dp = firstPermutation(d, 7);
  const fit = (v: number, cluster: string) =>
    feols(dp.filter(aq.escape((r: any) => r.gp === v)), 'lgsp ~ lpcap + lpc + lemp + unemp | state + year', {
      vcov: { cluster },
    }).coefficients[0];
  const t = (cluster: string) => {
    const [c1, c0] = [fit(1, cluster), fit(0, cluster)];
    return (c1.estimate - c0.estimate) / Math.sqrt(c1.std_error ** 2 + c0.std_error ** 2);
  };
  assert.ok(Math.abs(a.permutation.draws[0] - (fit(1, 'state').estimate - fit(0, 'state').estimate)) < 1e-10);
  // The studentised draw: each subsample's clustered SE recomputed from per-city statistics equals feols's.
  assert.ok(relDiff(a.studentized.draws[0], t('state')) < 1e-9, `${a.studentized.draws[0]} vs ${t('state')}`);
  // Clusters coarser than the units (regions): city scores summed within clusters.
  const byRegion = await groupDiff(d, { ...opts, cluster: 'region', minClusters: 3, reps: 3, seed: 7 });
  assert.ok(relDiff(byRegion.studentized.draws[0], t('region')) < 1e-9);
  // The observed t uses the subsample SEs of the reported models.
  const [o1, o0] = a.coefs;
  assert.equal(a.studentized.t, (o1.estimate - o0.estimate) / Math.sqrt(o1.std_error ** 2 + o0.std_error ** 2));
});

test('ssc reaches the permutation draws and SUEST: each draw equals feols refits, same correction', async () => {
  const d = produc();
  const dp = firstPermutation(d, 7);
  const base = await groupDiff(d, { ...opts, reps: 3, seed: 7 });
  for (const [ssc, time] of [
    [{ fixefK: 'full' }, 'year'],
    [{ adj: false }, 'year'],
    [{ clusterAdj: false }, 'year'],
    [{ preset: 'reghdfe' }, 'year'],
    [{}, null],
    [{ fixefK: 'full' }, null],
  ] as const) {
    const fe = time ? 'state + year' : 'state';
    const fit = (v: number) =>
      feols(dp.filter(aq.escape((r: any) => r.gp === v)), `lgsp ~ lpcap + lpc + lemp + unemp | ${fe}`, {
        vcov: { cluster: 'state' },
        ssc,
      }).coefficients[0];
    const [c1, c0] = [fit(1), fit(0)];
    const tRefit = (c1.estimate - c0.estimate) / Math.hypot(c1.std_error, c0.std_error);
    const h = await groupDiff(d, { ...opts, time, reps: 3, seed: 7, ssc });
    const what = `ssc ${JSON.stringify(ssc)}, time ${time}`;
    assert.ok(relDiff(h.studentized.draws[0], tRefit) < 1e-9, `${what}: ${h.studentized.draws[0]} vs ${tRefit}`);
    if (time && 'clusterAdj' in ssc) {
      // SUEST's only correction is G/(G − 1): switched off, the variance shrinks by exactly (G − 1)/G.
      const G = 48;
      assert.ok(relDiff(h.suest.std_error ** 2, (base.suest.std_error ** 2 * (G - 1)) / G) < 1e-12, what);
    }
  }
});

/** A panel with a known difference in the slope between two groups of units. */
function simulated(seed: number, diff: number) {
  const rng = new Rng(seed);
  const G = 60,
    T = 8;
  const rows: Record<string, number[]> = { unit: [], year: [], x: [], y: [], g: [], c: [] };
  for (let u = 0; u < G; u++) {
    const g = u < G / 2 ? 1 : 0,
      a = rng.normal();
    for (let t = 0; t < T; t++) {
      const x = rng.normal() + 0.5 * a,
        c = rng.normal();
      rows.unit.push(u);
      rows.year.push(t);
      rows.g.push(g);
      rows.x.push(x);
      rows.c.push(c);
      rows.y.push(a + 0.1 * t + (0.5 + diff * g) * x + 0.3 * c + rng.normal());
    }
  }
  return aq.table(Object.fromEntries(Object.entries(rows).map(([k, v]) => [k, Float64Array.from(v)])));
}

test('permutation p: agrees with interaction on a big gap, uniform under none (seeds 1–30)', async () => {
  const o = { x: 'x', y: 'y', group: 'g', controls: ['c'], unit: 'unit', time: 'year', reps: 199 };
  for (let s = 1; s <= 5; s++) {
    const h = await groupDiff(simulated(s, 0.6), { ...o, seed: s });
    assert.ok(
      h.permutation.pTwoSided <= 0.01 && h.interaction.p_value < 0.01,
      `seed ${s}: large difference detected by both`,
    );
  }
  const ps: number[] = [];
  const ts: number[] = [];
  for (let s = 1; s <= 30; s++) {
    const h = await groupDiff(simulated(100 + s, 0), { ...o, seed: s });
    ps.push(h.permutation.pTwoSided);
    ts.push(h.studentized.pTwoSided);
  }
  const tMean = ts.reduce((a, b) => a + b, 0) / ts.length;
  assert.ok(tMean > 0.33 && tMean < 0.67, `studentised: mean p ${tMean}`);
  const mean = ps.reduce((a, b) => a + b, 0) / ps.length;
  const below10 = ps.filter((p) => p < 0.1).length;
  console.log(`null: mean permutation p ${mean.toFixed(3)}, ${below10}/30 below 0.10`);
  // Uniform p: mean 0.5 (sd of the mean of 30 ≈ 0.053), about 3 of 30 below 0.10.
  assert.ok(mean > 0.33 && mean < 0.67, `mean p ${mean}`);
  assert.ok(below10 <= 8, `${below10} of 30 below 0.10`);
});

/** No difference in slopes, but a small group with noisy errors beside a large quiet one. */
function unequal(seed: number) {
  const rng = new Rng(seed);
  const rows: Record<string, number[]> = { unit: [], year: [], x: [], y: [], g: [] };
  for (let u = 0; u < 60; u++) {
    const g = u < 12 ? 1 : 0;
    for (let t = 0; t < 8; t++) {
      const x = rng.normal();
      rows.unit.push(u);
      rows.year.push(t);
      rows.g.push(g);
      rows.x.push(x);
      // Error variance rises with x in the small group: its slope estimate is far noisier.
      rows.y.push(0.5 * x + (g ? 3 * (1 + Math.abs(x)) : 0.3) * rng.normal());
    }
  }
  return aq.table(Object.fromEntries(Object.entries(rows).map(([k, v]) => [k, Float64Array.from(v)])));
}

test('studentised permutation keeps its size where the raw one does not (unequal groups and variances)', async () => {
  const o = { x: 'x', y: 'y', group: 'g', unit: 'unit', time: 'year', reps: 199, minClusters: 10 };
  let raw = 0,
    stud = 0;
  const runs = 60;
  for (let s = 1; s <= runs; s++) {
    const h = await groupDiff(unequal(500 + s), { ...o, seed: s });
    if (h.permutation.pTwoSided <= 0.05) raw++;
    if (h.studentized.pTwoSided <= 0.05) stud++;
  }
  console.log(`no difference, ${runs} panels: raw permutation rejects ${raw}, studentised ${stud} at 5%`);
  // Nominal 3 of 60. The raw difference's permutation distribution mixes the two groups' noise and is too narrow.
  assert.ok(raw >= 8, `raw permutation rejected ${raw} of ${runs}`);
  assert.ok(stud <= 7, `studentised rejected ${stud} of ${runs}`);
});

test('bad splits: a group missing, a group varying within a city, a tiny group, no within variation', async () => {
  const d = produc();
  const e = async (fn: () => Promise<unknown>) => {
    try {
      await fn();
      return 'no error';
    } catch (x: any) {
      return `${x.code} @ ${x.where}`;
    }
  };
  assert.match(
    await e(() => groupDiff(d.derive({ g: (r: any) => (r.year === 1970 ? NaN : r.g) }), { ...opts, reps: 5 })),
    /^MISSING_CLUSTER/,
  );
  assert.match(
    await e(() => groupDiff(d.derive({ g: (r: any) => (r.year > 1980 ? 1 : 0) }), { ...opts, reps: 5 })),
    /^BAD_GROUP @ group "g", state/,
  );
  assert.match(
    await e(() => groupDiff(d.derive({ g: (r: any) => (r.state === 'ALABAMA' ? 1 : 0) }), { ...opts, reps: 5 })),
    /^EMPTY_GROUP @ group "g = 1"/,
  );
  assert.match(
    await e(() =>
      groupDiff(d.derive({ g: (r: any) => (r.region <= 4 ? 1 : 0), z: (r: any) => r.year * 2 }), {
        ...opts,
        x: 'z',
        reps: 5,
      }),
    ),
    /^NO_WITHIN_VARIATION/,
  );
  void errCode;
});
