import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as aq from 'arquero';
import { entropyIndex, pcaIndex, equalWeightsIndex, martinSensitivity, entropyCore } from '../../src/measure';
import { studyPanel } from '../../src/study';
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
