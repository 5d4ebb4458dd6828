/**
 * The resampling loops' buffered arithmetic (flat statistics, reused buffers: sufficient-stats.ts, flat-linalg.ts,
 * cluster-se.ts) against the straightforward version it replaced, kept below as the reference: every draw's
 * coefficient, standard error and cross-product must be the same double, bit for bit, on balanced and unbalanced
 * panels, with and without year effects, with clusters coarser than cities, with cities drawn twice, and when a
 * draw's regression is not identified.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cholesky, choleskySolve, Rng } from '../../src/math';
import { drawClusterSe, newClusterSeWorkspace } from '../../src/estimate/resample/cluster-se';
import { newOlsBuffers, olsInto } from '../../src/estimate/resample/flat-linalg';
import { blocksOf, type ClusterBlocks, type CityStats, cityStats } from '../../src/estimate/resample/city-stats';
import {
  complementSums,
  gramInto,
  newGram,
  newSums,
  type StatSums,
  sumStats,
} from '../../src/estimate/resample/sufficient-stats';
import { DEFAULT_SSC, type SmallSampleCorrection } from '../../src/estimate/model/types';
import { panelFeParams } from '../../src/estimate/vcov/fe-dof';
import { smallSample } from '../../src/estimate/vcov/rule';

// ---- The reference: the code before the buffers (commit 66d461d), unchanged but for names. ----
function ref_olsFromGram(C: number[][], xs: number[], y: number): Float64Array {
  const A = xs.map((a) => xs.map((b) => C[a][b]));
  const v = xs.map((a) => C[a][y]);
  const k = xs.length;
  const L = cholesky(A);
  return L ? choleskySolve(L, v) : new Float64Array(k).fill(NaN);
}
function addInto(acc: Float64Array, x: Float64Array): void {
  for (let j = 0; j < acc.length; j++) acc[j] += x[j];
}
function ref_sumStats(st: CityStats, chosen: ArrayLike<number>, timeFe: boolean, into?: StatSums): StatSums {
  const out = into ?? newSums(st);
  if (into) for (const a of [out.S, out.R, out.Q, out.N]) a.fill(0);
  const times = new Float64Array(st.patterns.length);
  for (let q = 0; q < chosen.length; q++) {
    const u = chosen[q];
    addInto(out.S, st.S[u]);
    if (timeFe) {
      addInto(out.R, st.P[u]);
      times[st.pattern[u]]++;
    }
  }
  if (timeFe)
    st.patterns.forEach((p, i) => {
      const m = times[i];
      if (!m) return;
      for (let j = 0; j < out.Q.length; j++) out.Q[j] += m * p.Q[j];
      for (let j = 0; j < out.N.length; j++) out.N[j] += m * p.c[j];
    });
  return out;
}
function ref_gramAndEffects(
  st: CityStats,
  chosen: ArrayLike<number>,
  timeFe: boolean,
  sums?: StatSums,
): { C: number[][]; gamma: Float64Array | null; N: Float64Array } {
  const { k, nTime: T } = st;
  const { S: sumS, R, Q: Qs, N } = sums ?? ref_sumStats(st, chosen, timeFe);
  const C = Array.from({ length: k }, (_, a) => Array.from({ length: k }, (_, c) => sumS[a * k + c]));
  if (!timeFe) return { C, gamma: null, N };
  // (D̃'D̃) restricted to periods 0..T−2 (the last is the reference): diag(N) − Q.
  const T1 = T - 1;
  const A = Array.from({ length: T1 }, (_, t) =>
    Array.from({ length: T1 }, (_, r) => (t === r ? N[t] : 0) - Qs[t * T + r]),
  );
  const L = cholesky(A);
  if (!L) return { C: C.map((r) => r.map(() => NaN)), gamma: null, N };
  const gamma = new Float64Array(T * k);
  const z = new Float64Array(T1);
  for (let c = 0; c < k; c++) {
    for (let i = 0; i < T1; i++) {
      let s = R[i * k + c];
      for (let j = 0; j < i; j++) s -= L[i][j] * z[j];
      z[i] = s / L[i][i];
    }
    for (let i = T1 - 1; i >= 0; i--) {
      let s = z[i];
      for (let j = i + 1; j < T1; j++) s -= L[j][i] * gamma[j * k + c];
      gamma[i * k + c] = s / L[i][i];
    }
  }
  // Σ r r' = ΣS − Σ_t (R_t γ_t' + γ_t R_t') + Σ_t N_t γ_t γ_t' − Γ' Q Γ
  const QG = new Float64Array(T * k);
  for (let t = 0; t < T; t++)
    for (let r = 0; r < T; r++) {
      const w = Qs[t * T + r];
      if (w) for (let c = 0; c < k; c++) QG[t * k + c] += w * gamma[r * k + c];
    }
  for (let t = 0; t < T; t++)
    for (let a = 0; a < k; a++) {
      const ga = gamma[t * k + a],
        ra = R[t * k + a];
      const row = C[a];
      for (let c = 0; c < k; c++)
        row[c] += -ra * gamma[t * k + c] - ga * R[t * k + c] + N[t] * ga * gamma[t * k + c] - ga * QG[t * k + c];
    }
  return { C, gamma, N };
}
function ref_drawClusterSe(
  st: CityStats,
  chosen: ArrayLike<number>,
  xs: number[],
  y: number,
  timeFe: boolean,
  clusterOf: Int32Array,
  ssc: SmallSampleCorrection,
  j = 0,
  sums?: StatSums,
): { b: Float64Array; se: number } {
  const { k, nTime: T } = st;
  const { C, gamma, N } = ref_gramAndEffects(st, chosen, timeFe, sums);
  const p = xs.length;
  // One factorisation of X̃'X̃ serves both the coefficients (as olsFromGram solves them) and row j of its inverse.
  const L = cholesky(xs.map((a) => xs.map((c) => C[a][c])));
  if (!L) return { b: new Float64Array(p).fill(NaN), se: NaN };
  const b = choleskySolve(
    L,
    xs.map((a) => C[a][y]),
  );
  const e = new Array<number>(p).fill(0);
  e[j] = 1;
  const row = choleskySolve(L, e);
  const v = new Float64Array(k),
    w = new Float64Array(k);
  w[y] = 1;
  for (let q = 0; q < p; q++) {
    v[xs[q]] = row[q];
    w[xs[q]] -= b[q];
  }
  const gv = new Float64Array(T),
    gw = new Float64Array(T);
  if (gamma)
    for (let t = 0; t < T; t++)
      for (let c = 0; c < k; c++) {
        gv[t] += gamma[t * k + c] * v[c];
        gw[t] += gamma[t * k + c] * w[c];
      }
  let maxCluster = 0;
  for (let q = 0; q < chosen.length; q++) if (clusterOf[chosen[q]] > maxCluster) maxCluster = clusterOf[chosen[q]];
  const psi = new Float64Array(maxCluster + 1);
  const seen = new Uint8Array(maxCluster + 1);
  let G = 0;
  let n = 0;
  for (let q = 0; q < chosen.length; q++) {
    const u = chosen[q];
    const S = st.S[u],
      P = st.P[u],
      cu = st.c[u];
    let f = 0;
    for (let a = 0; a < k; a++) {
      const va = v[a];
      if (va === 0) continue;
      const base = a * k;
      let r = 0;
      for (let c = 0; c < k; c++) r += S[base + c] * w[c];
      f += va * r;
    }
    let nu = 0;
    for (let t = 0; t < T; t++) nu += cu[t];
    n += nu;
    if (gamma) {
      let gbv = 0,
        gbw = 0;
      for (let t = 0, base = 0; t < T; t++, base += k) {
        const ct = cu[t];
        if (ct === 0) continue;
        let pv = 0,
          pw = 0;
        for (let c = 0; c < k; c++) {
          const x = P[base + c];
          pv += x * v[c];
          pw += x * w[c];
        }
        const gvt = gv[t],
          gwt = gw[t];
        f -= pv * gwt + gvt * pw - ct * gvt * gwt;
        gbv += ct * gvt;
        gbw += ct * gwt;
      }
      f -= (gbv * gbw) / nu;
    }
    const g = clusterOf[u];
    if (!seen[g]) {
      seen[g] = 1;
      G++;
    }
    psi[g] += f;
  }
  let meat = 0;
  for (let g = 0; g <= maxCluster; g++) meat += psi[g] * psi[g];
  let periods = 0;
  for (let t = 0; t < T; t++) if (N[t] > 0) periods++;
  // K and the factor from the rule's owners: the unit effects are nested in the clusters (the frame checks that).
  const K = p + panelFeParams(chosen.length, gamma ? periods : 0, ssc);
  if (G < 2 || n <= K) return { b, se: NaN };
  return { b, se: Math.sqrt(smallSample('cluster', n, K, G, ssc).factor * meat) };
}

// ---- Panels to compare on ----

/** A panel of `units` cities × `periods` years with k columns; `holes` drops that share of rows (unbalanced). */
function panel(seed: number, units: number, periods: number, k: number, holes: number): CityStats {
  const rng = new Rng(seed);
  const n = units * periods;
  const unit = Array.from({ length: n }, (_, i) => `c${Math.floor(i / periods)}`);
  const year = Array.from({ length: n }, (_, i) => 2000 + (i % periods));
  const cols = Array.from({ length: k }, (_, j) =>
    Float64Array.from({ length: n }, (_, i) => (j === k - 1 ? Math.floor(i / periods) : 0) + rng.normal() * (j + 1)),
  );
  // The first four cities lack the first year: a draw of only those cannot identify that year's effect.
  const keep = Uint8Array.from({ length: n }, (_, i) =>
    (i % periods === 0 && i < 4 * periods) || rng.uniform() < holes ? 0 : 1,
  );
  return cityStats(blocksOf(unit, year, cols, keep));
}

/** Two doubles are the same bits (NaN equals NaN; 0 and −0 differ). */
function same(a: ArrayLike<number>, b: ArrayLike<number>, what: string): void {
  assert.equal(a.length, b.length, what);
  for (let i = 0; i < a.length; i++) assert.ok(Object.is(a[i], b[i]), `${what}[${i}]: ${a[i]} vs ${b[i]}`);
}

const SSC: SmallSampleCorrection = { ...DEFAULT_SSC };
const configs = [
  { name: 'balanced, year effects', holes: 0, timeFe: true, coarse: false },
  { name: 'unbalanced, year effects', holes: 0.1, timeFe: true, coarse: false },
  { name: 'unbalanced, city effects only', holes: 0.1, timeFe: false, coarse: false },
  { name: 'unbalanced, clusters coarser than cities', holes: 0.1, timeFe: true, coarse: true },
];

for (const cfg of configs) {
  test(`permutation draws (seed 11): buffered fits equal the reference bit for bit — ${cfg.name}`, () => {
    const k = 6;
    const st = panel(11, 40, 9, k, cfg.holes);
    const U = st.S.length;
    const clusterOf = Int32Array.from({ length: U }, (_, u) => (cfg.coarse ? u % 7 : u));
    const xs = [1, 2, 3, 4];
    const rng = new Rng(11);
    const perm = Int32Array.from({ length: U }, (_, i) => i);
    const total = sumStats(st, perm, cfg.timeFe);
    same(total.S, ref_sumStats(st, perm, cfg.timeFe).S, 'total S');
    const ws = [newClusterSeWorkspace(st, xs.length), newClusterSeWorkspace(st, xs.length)];
    const small = newSums(st),
      big = newSums(st);
    for (let r = 0; r < 60; r++) {
      rng.shuffle(perm);
      const n1 = 5 + (r % 20);
      const g1 = perm.subarray(0, n1),
        g0 = perm.subarray(n1);
      sumStats(st, g1, cfg.timeFe, small);
      complementSums(total, small, big);
      const refSmall = ref_sumStats(st, g1, cfg.timeFe);
      same(small.R, refSmall.R, 'R');
      same(small.Q, refSmall.Q, 'Q');
      const refBig = complementSums(total, refSmall);
      const j = r % xs.length;
      const a = drawClusterSe(st, g1, xs, 0, cfg.timeFe, clusterOf, SSC, j, small, ws[0]);
      const b = drawClusterSe(st, g0, xs, 0, cfg.timeFe, clusterOf, SSC, j, big, ws[1]);
      const ra = ref_drawClusterSe(st, g1, xs, 0, cfg.timeFe, clusterOf, SSC, j, refSmall);
      const rb = ref_drawClusterSe(st, g0, xs, 0, cfg.timeFe, clusterOf, SSC, j, refBig);
      same(a.b, ra.b, `draw ${r}, group 1, b`);
      same([a.se], [ra.se], `draw ${r}, group 1, se`);
      same(b.b, rb.b, `draw ${r}, group 0, b`);
      same([b.se], [rb.se], `draw ${r}, group 0, se`);
      // Without precomputed sums, and with a fresh workspace.
      const c = drawClusterSe(st, g1, xs, 0, cfg.timeFe, clusterOf, SSC, j);
      same(c.b, ra.b, `draw ${r}, own sums, b`);
      same([c.se], [ra.se], `draw ${r}, own sums, se`);
    }
  });

  test(`bootstrap draws (seed 5, cities twice): cross-products and solves equal the reference — ${cfg.name}`, () => {
    const k = 7;
    const st = panel(5, 30, 8, k, cfg.holes);
    const U = st.S.length;
    const rng = new Rng(5);
    const chosen = new Int32Array(U);
    const sums = newSums(st),
      gram = newGram(st),
      ols = newOlsBuffers(4);
    for (let r = 0; r < 60; r++) {
      for (let g = 0; g < U; g++) chosen[g] = rng.int(U);
      const len = r === 0 ? U : U - (r % 5);
      const C = gramInto(st, sumStats(st, chosen, cfg.timeFe, sums, len), cfg.timeFe, gram).C;
      const refC = ref_gramAndEffects(st, chosen.subarray(0, len), cfg.timeFe).C;
      same(C, refC.flat(), `draw ${r}, C`);
      for (const [xs, y] of [
        [[1, 3, 4], 2],
        [[1, 2, 3, 4], 0],
        [[1, 5], 6],
      ] as [number[], number][]) {
        same(olsInto(C, k, xs, y, ols), ref_olsFromGram(refC, xs, y), `draw ${r}, y ${y} on ${xs}`);
      }
    }
  });
}

test('degenerate draws agree: a year no city has, one city, a repeated column, a mis-sized workspace', () => {
  const k = 6;
  const st = panel(3, 12, 5, k, 0);
  const clusterOf = Int32Array.from({ length: st.S.length }, (_, u) => u);
  const ws = newClusterSeWorkspace(st, 3);
  // Cities 0–3 lack the first year: (D̃'D̃) is singular, the cross-product all NaN.
  const only = Int32Array.from([0, 1, 2, 3]);
  const a = drawClusterSe(st, only, [1, 2, 3], 0, true, clusterOf, SSC, 0, undefined, ws);
  const ra = ref_drawClusterSe(st, only, [1, 2, 3], 0, true, clusterOf, SSC, 0);
  assert.ok(Number.isNaN(a.se) && Number.isNaN(a.b[0]));
  same(a.b, ra.b, 'b');
  // A draw of one city leaves fewer than two clusters: the SE is NaN. The workspace was made for three
  // regressors, this fit has two: it gets buffers of its own.
  const one = Int32Array.from([7]);
  const b = drawClusterSe(st, one, [1, 5], 0, true, clusterOf, SSC, 1, undefined, ws);
  const rb = ref_drawClusterSe(st, one, [1, 5], 0, true, clusterOf, SSC, 1);
  same(b.b, rb.b, 'b, one city');
  same([b.se], [rb.se], 'se, one city');
  assert.ok(Number.isNaN(b.se));
  const all = Int32Array.from({ length: st.S.length }, (_, u) => u);
  const c = drawClusterSe(st, all, [1, 2, 2], 0, true, clusterOf, SSC, 0, undefined, ws);
  const rc = ref_drawClusterSe(st, all, [1, 2, 2], 0, true, clusterOf, SSC, 0);
  same(c.b, rc.b, 'b, repeated column');
  same([c.se], [rc.se], 'se, repeated column');
});

// The per-city statistics as they were computed before (one callback per city, x̃ formed inside each product).
function ref_cityStats(b: ClusterBlocks) {
  const k = b.cols.length,
    T = b.nTime;
  const S: Float64Array[] = [],
    P: Float64Array[] = [],
    Q: Float64Array[] = [],
    cnt: Float64Array[] = [];
  const mean = new Float64Array(k);
  for (const rows of b.rows) {
    const m = rows.length;
    mean.fill(0);
    for (let q = 0; q < m; q++) for (let c = 0; c < k; c++) mean[c] += b.cols[c][rows[q]] / m;
    const s = new Float64Array(k * k),
      p = new Float64Array(T * k),
      cu = new Float64Array(T),
      qu = new Float64Array(T * T);
    for (let q = 0; q < m; q++) {
      const i = rows[q],
        t = b.time[i];
      cu[t]++;
      for (let a = 0; a < k; a++) {
        const xa = b.cols[a][i] - mean[a];
        p[t * k + a] += xa;
        for (let c = a; c < k; c++) s[a * k + c] += xa * (b.cols[c][i] - mean[c]);
      }
    }
    for (let a = 0; a < k; a++) for (let c = 0; c < a; c++) s[a * k + c] = s[c * k + a];
    for (let t = 0; t < T; t++) for (let r = 0; r < T; r++) qu[t * T + r] = (cu[t] * cu[r]) / m;
    S.push(s);
    P.push(p);
    Q.push(qu);
    cnt.push(cu);
  }
  const key = new Map<string, number>();
  const patterns: { Q: Float64Array; c: Float64Array }[] = [];
  const pattern = Int32Array.from(cnt, (cu, u) => {
    const id = cu.join(',');
    let p = key.get(id);
    if (p === undefined) {
      p = patterns.length;
      key.set(id, p);
      patterns.push({ Q: Q[u], c: cu });
    }
    return p;
  });
  return { S, P, Q, c: cnt, pattern };
}

test('per-city statistics (seed 13) equal the reference bit for bit, balanced and unbalanced', () => {
  for (const holes of [0, 0.15]) {
    const rng = new Rng(13);
    const units = 25,
      periods = 7,
      n = units * periods;
    const unit = Array.from({ length: n }, (_, i) => Math.floor(i / periods));
    const year = Array.from({ length: n }, (_, i) => i % periods);
    const cols = Array.from({ length: 5 }, () => Float64Array.from({ length: n }, () => rng.normal() * 3 + 1));
    const keep = Uint8Array.from({ length: n }, () => (rng.uniform() < holes ? 0 : 1));
    const blocks = blocksOf(unit, year, cols, keep);
    const st = cityStats(blocks),
      ref = ref_cityStats(blocks);
    assert.equal(st.S.length, ref.S.length);
    same(st.pattern, ref.pattern, 'pattern');
    for (let u = 0; u < ref.S.length; u++) {
      same(st.S[u], ref.S[u], `S of city ${u}`);
      same(st.P[u], ref.P[u], `P of city ${u}`);
      same(st.Q[u], ref.Q[u], `Q of city ${u}`);
      same(st.c[u], ref.c[u], `c of city ${u}`);
    }
  }
});
