import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as aq from 'arquero';
import {
  entropyIndex,
  pcaIndex,
  equalWeightsIndex,
  martinSensitivity,
  martinPhases,
  entropyCore,
} from '../../src/measure';
import { studyPanel } from '../../src/study';
import { winsorize } from '../../src/data';
import { errCode, readJson } from '../helpers';

const ref = readJson('entropy-reference.json');
const inds = [
  { name: 'a', direction: '+' as const, dimension: 'one' },
  { name: 'b', direction: '-' as const, dimension: 'one' },
  { name: 'c', direction: '+' as const, dimension: 'two' },
  { name: 'd', direction: '+' as const, dimension: 'two' },
];
const table = () =>
  aq.table(Object.fromEntries(['a', 'b', 'c', 'd'].map((k) => [k, Float64Array.from(ref.data[k])]))) as any;

test('entropy weights and index equal an independent step-by-step computation in R (1e-12)', () => {
  const r = entropyIndex(table(), inds, { name: 'idx' });
  r.weights.forEach((w, j) => {
    assert.ok(Math.abs(w.entropy - ref.entropy[j]) < 1e-12, `entropy ${j}`);
    assert.ok(Math.abs(w.weight - ref.weights[j]) < 1e-12, `weight ${j}`);
  });
  const idx = r.data.array('idx') as Float64Array;
  ref.index.forEach((v: number, i: number) => assert.ok(Math.abs(idx[i] - v) < 1e-12));
  // Sub-indices add up to the index.
  const s1 = r.data.array('idx_one') as Float64Array,
    s2 = r.data.array('idx_two') as Float64Array;
  for (let i = 0; i < idx.length; i++) assert.ok(Math.abs(s1[i] + s2[i] - idx[i]) < 1e-14);
});

test('hand case: two observations, one indicator each way', () => {
  // z = [0, 1] for both; p = [1e-4, 1 + 1e-4] / (1 + 2e-4); equal entropies → equal weights 0.5.
  const t = aq.table({ x: Float64Array.from([1, 2]), y: Float64Array.from([5, 3]) }) as any;
  const r = entropyIndex(t, [
    { name: 'x', direction: '+' },
    { name: 'y', direction: '-' },
  ]);
  assert.ok(Math.abs(r.weights[0].weight - 0.5) < 1e-15);
  const p = [1e-4 / (1 + 2e-4), (1 + 1e-4) / (1 + 2e-4)];
  const e = -(p[0] * Math.log(p[0]) + p[1] * Math.log(p[1])) / Math.log(2);
  assert.ok(Math.abs(r.weights[0].entropy - e) < 1e-12);
  assert.deepEqual(Array.from(r.data.array('index') as Float64Array), [0, 1]);
});

test('invariances: weights positive, sum to one, unchanged by positive rescaling and row order', () => {
  const base = entropyIndex(table(), inds);
  assert.ok(base.weights.every((w) => w.weight > 0));
  assert.ok(Math.abs(base.weights.reduce((s, w) => s + w.weight, 0) - 1) < 1e-14);
  const scaled = table().derive({ a: (d: any) => d.a * 1000 + 0, c: (d: any) => d.c * 7 });
  const rs = entropyIndex(scaled, inds);
  rs.weights.forEach((w, j) => assert.ok(Math.abs(w.weight - base.weights[j].weight) < 1e-12));
  const order = [7, 2, 5, 0, 3, 6, 1, 4];
  const perm = aq.table(
    Object.fromEntries(['a', 'b', 'c', 'd'].map((k) => [k, Float64Array.from(order, (i) => ref.data[k][i])])),
  ) as any;
  const rp = entropyIndex(perm, inds);
  rp.weights.forEach((w, j) => assert.ok(Math.abs(w.weight - base.weights[j].weight) < 1e-12));
  const ip = rp.data.array('index') as Float64Array,
    ib = base.data.array('index') as Float64Array;
  order.forEach((i, k) => assert.ok(Math.abs(ip[k] - ib[i]) < 1e-12));
});

test('a constant indicator is rejected by name; a negative indicator is reversed', () => {
  const t = table().derive({ k: () => 3 });
  assert.match(
    errCode(() => entropyIndex(t, [...inds, { name: 'k', direction: '+' }])),
    /^CONSTANT_INDICATOR @ indicator "k"/,
  );
  assert.match(
    errCode(() => entropyIndex(t, [{ name: 'zz', direction: '+' }])),
    /^MISSING_COLUMN @ indicator "zz"/,
  );
  const c = entropyCore([Float64Array.from([1, 2, 3])], [-1]);
  assert.deepEqual(Array.from(c.z[0]), [1, 0.5, 0]);
});

test('PCA eigenvalues equal R eigen(cor(X)); equal weights is the mean of min–max values', () => {
  const r = pcaIndex(table(), inds, 'p');
  r.eigenvalues.forEach((v, j) => assert.ok(Math.abs(v - ref.pca_eigenvalues[j]) < 1e-10, `eigenvalue ${j}`));
  assert.equal(r.kept, ref.pca_eigenvalues.filter((v: number) => v > 1).length);
  const p = r.data.array('p') as Float64Array;
  assert.equal(Math.min(...p), 0);
  assert.equal(Math.max(...p), 1);
  const e = equalWeightsIndex(table(), inds, 'e').array('e') as Float64Array;
  const c = entropyCore(
    ['a', 'b', 'c', 'd'].map((k) => Float64Array.from(ref.data[k])),
    [1, -1, 1, 1],
  );
  for (let i = 0; i < 8; i++) assert.ok(Math.abs(e[i] - (c.z[0][i] + c.z[1][i] + c.z[2][i] + c.z[3][i]) / 4) < 1e-15);
});

test("Martin's sensitivity index: (g − g_N) / |g_N|", () => {
  const t = aq.table({
    gdp_growth: Float64Array.from([8, 2.2, -1]),
    nat_gdp_growth: Float64Array.from([6, 2.2, 2]),
  }) as any;
  assert.deepEqual(Array.from(martinSensitivity(t).array('resilience_martin') as Float64Array), [1 / 3, 0, -1.5]);
});

test('study pipeline: indices in [0, 1], pooled weights, reports of every cleaning step', () => {
  const s = studyPanel();
  const nqp = s.data.array('nqp') as Float64Array;
  const fin = Array.from(nqp).filter(Number.isFinite);
  assert.ok(fin.length > 2600 && Math.min(...fin) >= 0 && Math.max(...fin) <= 1);
  assert.equal(s.steps.length, 2);
  assert.ok(Math.abs(s.nqp.weights.reduce((a, w) => a + w.weight, 0) - 1) < 1e-12);
  assert.equal(s.nqp.dimensions.length, 3);
  assert.equal(s.resilience.dimensions.length, 3);
});

test('winsorising within year: each year cut at its own percentiles; the trend survives, a pooled cut clips it', () => {
  // A trending indicator: year t has values 100·t + 0..99. Pooled 1%/99% cut-offs clip whole early and late years.
  const year: number[] = [];
  const x: number[] = [];
  for (let t = 0; t < 10; t++)
    for (let k = 0; k < 100; k++) {
      year.push(2010 + t);
      x.push(100 * t + k);
    }
  const data = aq.table({ year, x }) as any;
  const within = winsorize(data, ['x'], { by: 'year' });
  const pooled = winsorize(data, ['x']);
  // Within year equals the pooled rule applied to each year's rows alone.
  const w = within.data.array('x') as Float64Array;
  for (let t = 0; t < 10; t++) {
    const rows = Array.from({ length: 100 }, (_, k) => 100 * t + k);
    const one = winsorize(aq.table({ x: rows.map((i) => x[i]) }) as any, ['x']);
    assert.deepEqual(
      Array.from(rows, (i) => w[i]),
      Array.from(one.data.array('x') as Float64Array),
    );
  }
  assert.equal(within.report.changed[0].count, 20); // one value cut at each end of every year
  assert.equal(pooled.report.changed[0].count, 20); // the same number of cells, all in the first and last year
  const yearMeans = (a: Float64Array) =>
    Array.from({ length: 10 }, (_, t) => a.slice(100 * t, 100 * t + 100).reduce((s, v) => s + v, 0) / 100);
  const slope = (m: number[]) => m[9] - m[0];
  assert.ok(Math.abs(slope(yearMeans(w)) - 900) < 1e-9, 'the trend is intact within year');
  assert.ok(slope(yearMeans(pooled.data.array('x') as Float64Array)) < 900, 'the pooled cut shortens it');
  assert.match(within.report.step, /within year/);
  assert.throws(
    () => studyPanel(undefined, { winsorizeWithin: 'city' as any }),
    /winsorizeWithin is 'pooled' or 'year'/,
  );
  assert.throws(() => winsorize(data, ['x'], { by: 'nope' }), /Column "nope" is not in the data/);
});

test("Martin's phases: slowdowns and recoveries of national growth, cumulative growth over each phase", () => {
  // National growth 2010–2021 as in the default panel: it falls every year to 2016, rises in 2017, falls to 2020
  // and rises in 2021, so the phases are 2011–2016, 2017, 2018–2020, 2021.
  const nat = [10.6, 9.6, 7.9, 7.8, 7.4, 7.0, 6.8, 6.9, 6.7, 6.0, 2.2, 8.4];
  const rows: { city_code: number; year: number; gdp_growth: number; nat_gdp_growth: number; x: number }[] = [];
  nat.forEach((g, t) => {
    rows.push({ city_code: 1, year: 2010 + t, gdp_growth: g, nat_gdp_growth: g, x: t });
    rows.push({ city_code: 2, year: 2010 + t, gdp_growth: g + 1, nat_gdp_growth: g, x: 2 * t });
  });
  const r = martinPhases(aq.from(rows.map((d) => ({ ...d, province: `p${d.city_code}` }))) as any, {
    means: ['x'],
    carry: ['province'],
  });
  assert.deepEqual(
    r.phases.map((p) => [p.kind, p.label]),
    [
      ['contraction', '2011–2016'],
      ['recovery', '2017'],
      ['contraction', '2018–2020'],
      ['recovery', '2021'],
    ],
  );
  // 2018–2020: national (1.067 · 1.06 · 1.022) − 1 = 15.59…%; city 2 grows one point faster each year.
  const gN = (1.067 * 1.06 * 1.022 - 1) * 100;
  const g2 = (1.077 * 1.07 * 1.032 - 1) * 100;
  assert.ok(Math.abs(r.phases[2].nationalGrowth - gN) < 1e-10);
  const row = r.data.objects().find((d: any) => d.city_code === 2 && d.phase === '2018–2020') as any;
  assert.ok(Math.abs(row.martin - (g2 - gN) / gN) < 1e-12);
  assert.equal(row.kind, 'contraction');
  assert.equal(row.province, 'p2');
  assert.equal(row.x, (16 + 18 + 20) / 3); // mean of x = 2t over t = 8, 9, 10
  const one = r.data.objects().find((d: any) => d.city_code === 1 && d.phase === '2017') as any;
  assert.equal(one.martin, 0); // a city growing with the nation
  assert.equal(r.incomplete, 0);
  // Refusals: two national values in one year, a gap in the years.
  const bad = rows.map((d) => (d.city_code === 2 && d.year === 2012 ? { ...d, nat_gdp_growth: 8 } : d));
  assert.throws(() => martinPhases(aq.from(bad) as any), /has two values in 2012/);
  const moving = rows.map((d) => ({ ...d, province: `p${d.year}` }));
  assert.throws(() => martinPhases(aq.from(moving) as any, { carry: ['province'] }), /"province" changes within/);
  const gap = rows.filter((d) => d.year !== 2015);
  assert.throws(() => martinPhases(aq.from(gap) as any), /2014 is followed by 2016/);
});
