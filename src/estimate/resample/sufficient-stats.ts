/**
 * Fast repeated fits for the cluster bootstrap and permutation tests. Per-city sufficient statistics are computed
 * once (cityStats); the two-way within cross-product matrix of any resample or subsample of whole cities then
 * follows without touching the rows (drawGram), and each small regression is solved from it (olsFromGram).
 * Point estimates equal feols on the same cities (tests check this against slow refits).
 */
import { cholesky, choleskySolve } from '../../math/linalg';

export interface ClusterBlocks {
  /** Rows of each cluster (city), in the order of `ids`. */
  rows: Int32Array[];
  ids: unknown[];
  /** Time index per row (0..T−1) for the second fixed effect. */
  time: Int32Array;
  nTime: number;
  cols: Float64Array[];
}

export function blocksOf(
  clusterCol: ArrayLike<unknown>,
  timeCol: ArrayLike<unknown>,
  cols: Float64Array[],
  keep: Uint8Array,
): ClusterBlocks {
  const map = new Map<unknown, number[]>();
  const tmap = new Map<unknown, number>();
  const time = new Int32Array(clusterCol.length);
  for (let i = 0; i < clusterCol.length; i++) {
    if (!keep[i]) continue;
    const g = map.get(clusterCol[i]);
    if (g) g.push(i);
    else map.set(clusterCol[i], [i]);
    let t = tmap.get(timeCol[i]);
    if (t === undefined) {
      t = tmap.size;
      tmap.set(timeCol[i], t);
    }
    time[i] = t;
  }
  return { rows: [...map.values()].map((r) => Int32Array.from(r)), ids: [...map.keys()], time, nTime: tmap.size, cols };
}

/** Least-squares coefficients of column y on columns xs, from the cross-product matrix C (no data pass). */
export function olsFromGram(C: number[][], xs: number[], y: number): Float64Array {
  const A = xs.map((a) => xs.map((b) => C[a][b]));
  const v = xs.map((a) => C[a][y]);
  const k = xs.length;
  const L = cholesky(A);
  return L ? choleskySolve(L, v) : new Float64Array(k).fill(NaN);
}

/**
 * Per-city sufficient statistics for two-way (city + year) within cross-products. A resample or subsample of
 * whole cities never changes a city's own within-city demeaned values x̃, so the two-way residual cross-product
 * matrix of any multiset of cities follows from per-city sums without touching the rows again:
 *   r_i = x̃_i − (γ_{t_i} − ḡ_u),  (D̃'D̃) γ = R with R_t = Σ_{i: t_i = t} x̃_i,
 *   Σ r r' = Σ_u S_u − Σ_t (R_t γ_t' + γ_t R_t') + Σ_t N_t γ_t γ_t' − Σ_u n_u ḡ_u ḡ_u'.
 */
export interface CityStats {
  k: number;
  nTime: number;
  /**
   * Per city, flattened: S_u = Σ x̃x̃' (k×k), P_u = period sums of x̃ (T×k), Q_u = c_u c_u' / n_u (T×T), c_u = period
   * counts (T).
   */
  S: Float64Array[];
  P: Float64Array[];
  Q: Float64Array[];
  c: Float64Array[];
  /**
   * Cities with the same period counts share Q and c: `pattern[u]` indexes `patterns`, so sums of Q and c over a
   * draw cost one count per city (balanced panels have one pattern) instead of T² additions.
   */
  pattern: Int32Array;
  patterns: { Q: Float64Array; c: Float64Array }[];
}

export function cityStats(b: ClusterBlocks): CityStats {
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
  return { k, nTime: T, S, P, Q, c: cnt, pattern, patterns };
}

function addInto(acc: Float64Array, x: Float64Array): void {
  for (let j = 0; j < acc.length; j++) acc[j] += x[j];
}

/** Cross-product matrix of two-way within residuals for the chosen cities (a city chosen twice counts twice). */
export function drawGram(st: CityStats, chosen: ArrayLike<number>, timeFe = true): number[][] {
  return gramAndEffects(st, chosen, timeFe).C;
}

/** Sums of the per-city statistics over the chosen cities (S, period sums R, Q, period counts N). */
export interface StatSums {
  S: Float64Array;
  R: Float64Array;
  Q: Float64Array;
  N: Float64Array;
}

export function newSums(st: CityStats): StatSums {
  const { k, nTime: T } = st;
  return { S: new Float64Array(k * k), R: new Float64Array(T * k), Q: new Float64Array(T * T), N: new Float64Array(T) };
}

/** Sums over the chosen cities, into `out` when given (its contents are replaced), else into new arrays. */
export function sumStats(st: CityStats, chosen: ArrayLike<number>, timeFe: boolean, into?: StatSums): StatSums {
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

/**
 * total − part: the sums over the cities not in `part` (two subsamples for the price of the smaller one), into
 * `into` when given.
 */
export function complementSums(total: StatSums, part: StatSums, into?: StatSums): StatSums {
  const out = into ?? {
    S: new Float64Array(total.S.length),
    R: new Float64Array(total.R.length),
    Q: new Float64Array(total.Q.length),
    N: new Float64Array(total.N.length),
  };
  for (const key of ['S', 'R', 'Q', 'N'] as const) {
    const a = total[key],
      b = part[key],
      o = out[key];
    for (let i = 0; i < a.length; i++) o[i] = a[i] - b[i];
  }
  return out;
}

/** drawGram, also returning the year effects γ (T×k, the last period the reference) and the period counts N. */
export function gramAndEffects(
  st: CityStats,
  chosen: ArrayLike<number>,
  timeFe: boolean,
  sums?: StatSums,
): { C: number[][]; gamma: Float64Array | null; N: Float64Array } {
  const { k, nTime: T } = st;
  const { S: sumS, R, Q: Qs, N } = sums ?? sumStats(st, chosen, timeFe);
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
