/**
 * Fast repeated fits for the cluster bootstrap and permutation tests. Per-city sufficient statistics are computed
 * once (cityStats); the two-way within cross-product matrix of any resample or subsample of whole cities then
 * follows without touching the rows (sumStats, then gramInto), and each small regression is solved from it (olsInto,
 * flat-linalg.ts). A loop of draws keeps its sums, matrix and solves in buffers made once (newSums, newGram).
 * Point estimates equal feols on the same cities (tests check this against slow refits).
 */
import { choleskyFlat } from './flat-linalg';

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
   * counts (T). S, P and c are views into the contiguous arrays below.
   */
  S: Float64Array[];
  P: Float64Array[];
  Q: Float64Array[];
  c: Float64Array[];
  /** All cities' S (city u at u·k²), P (at u·T·k) and c (at u·T) in one array each, so draws read them in place. */
  flatS: Float64Array;
  flatP: Float64Array;
  flatC: Float64Array;
  /** Rows of each city: Σ_t c_ut, summed over t in order. */
  nRows: Float64Array;
  /**
   * Cities with the same period counts share Q and c: `pattern[u]` indexes `patterns`, so sums of Q and c over a
   * draw cost one count per city (balanced panels have one pattern) instead of T² additions.
   */
  pattern: Int32Array;
  patterns: { Q: Float64Array; c: Float64Array }[];
}

export function cityStats(b: ClusterBlocks): CityStats {
  const k = b.cols.length,
    T = b.nTime,
    nu = b.rows.length,
    { cols, time } = b;
  const flatS = new Float64Array(nu * k * k),
    flatP = new Float64Array(nu * T * k),
    flatC = new Float64Array(nu * T),
    nRows = new Float64Array(nu);
  const S: Float64Array[] = [],
    P: Float64Array[] = [],
    Q: Float64Array[] = [],
    cnt: Float64Array[] = [];
  const key = new Map<string, number>();
  const patterns: { Q: Float64Array; c: Float64Array }[] = [];
  const pattern = new Int32Array(nu);
  const mean = new Float64Array(k),
    x = new Float64Array(k);
  // One plain loop over cities (no callback per city): it runs a handful of times per notebook, so it must be quick
  // before the JIT has seen it. Within a city, x̃ = x − x̄ is formed once per row (the same double as forming it
  // again for every product).
  for (let u = 0; u < nu; u++) {
    const rows = b.rows[u],
      m = rows.length,
      sOff = u * k * k,
      pOff = u * T * k,
      cOff = u * T;
    mean.fill(0);
    for (let q = 0; q < m; q++) for (let c = 0; c < k; c++) mean[c] += cols[c][rows[q]] / m;
    for (let q = 0; q < m; q++) {
      const i = rows[q],
        t = time[i];
      flatC[cOff + t]++;
      for (let a = 0; a < k; a++) x[a] = cols[a][i] - mean[a];
      for (let a = 0; a < k; a++) {
        const xa = x[a];
        flatP[pOff + t * k + a] += xa;
        for (let c = a, o = sOff + a * k + a; c < k; c++, o++) flatS[o] += xa * x[c];
      }
    }
    for (let a = 0; a < k; a++) for (let c = 0; c < a; c++) flatS[sOff + a * k + c] = flatS[sOff + c * k + a];
    const cu = flatC.subarray(cOff, cOff + T);
    for (let t = 0; t < T; t++) nRows[u] += cu[t];
    // Cities with the same period counts share c_u c_u' / n_u (n_u is the sum of the counts).
    const id = cu.join(',');
    let pi = key.get(id);
    if (pi === undefined) {
      pi = patterns.length;
      key.set(id, pi);
      const qu = new Float64Array(T * T);
      for (let t = 0; t < T; t++) for (let r = 0; r < T; r++) qu[t * T + r] = (cu[t] * cu[r]) / m;
      patterns.push({ Q: qu, c: cu });
    }
    pattern[u] = pi;
    S.push(flatS.subarray(sOff, sOff + k * k));
    P.push(flatP.subarray(pOff, pOff + T * k));
    Q.push(patterns[pi].Q);
    cnt.push(cu);
  }
  return { k, nTime: T, S, P, Q, c: cnt, flatS, flatP, flatC, nRows, pattern, patterns };
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

/**
 * out[j] = Σ_q flat[chosen[q]·m + j] over q = 0…count−1 (m = out.length), each element summed from 0 in the order
 * chosen. Eight (then four) elements at a time, each in its own accumulator, and the cities inside: the same
 * additions in the same order as adding city after city into `out`, at a fraction of the loads and stores.
 */
function sumRows(chosen: ArrayLike<number>, count: number, out: Float64Array, flat: Float64Array): void {
  const m = out.length;
  let j = 0;
  for (; j + 7 < m; j += 8) {
    let s0 = 0,
      s1 = 0,
      s2 = 0,
      s3 = 0,
      s4 = 0,
      s5 = 0,
      s6 = 0,
      s7 = 0;
    for (let q = 0; q < count; q++) {
      const o = chosen[q] * m + j;
      s0 += flat[o];
      s1 += flat[o + 1];
      s2 += flat[o + 2];
      s3 += flat[o + 3];
      s4 += flat[o + 4];
      s5 += flat[o + 5];
      s6 += flat[o + 6];
      s7 += flat[o + 7];
    }
    out[j] = s0;
    out[j + 1] = s1;
    out[j + 2] = s2;
    out[j + 3] = s3;
    out[j + 4] = s4;
    out[j + 5] = s5;
    out[j + 6] = s6;
    out[j + 7] = s7;
  }
  for (; j + 3 < m; j += 4) {
    let s0 = 0,
      s1 = 0,
      s2 = 0,
      s3 = 0;
    for (let q = 0; q < count; q++) {
      const o = chosen[q] * m + j;
      s0 += flat[o];
      s1 += flat[o + 1];
      s2 += flat[o + 2];
      s3 += flat[o + 3];
    }
    out[j] = s0;
    out[j + 1] = s1;
    out[j + 2] = s2;
    out[j + 3] = s3;
  }
  for (; j < m; j++) {
    let s = 0;
    for (let q = 0; q < count; q++) s += flat[chosen[q] * m + j];
    out[j] = s;
  }
}

/**
 * Sums over the first `count` chosen cities (default all), into `out` when given (its contents are replaced), else
 * into new arrays. Every element adds the cities in the order chosen, so the sums do not depend on the loop layout.
 */
export function sumStats(
  st: CityStats,
  chosen: ArrayLike<number>,
  timeFe: boolean,
  into?: StatSums,
  count = chosen.length,
): StatSums {
  const out = into ?? newSums(st);
  const { S, R, Q, N } = out;
  if (into) {
    // S and R are written whole by sumRows (R only with year effects).
    if (!timeFe) R.fill(0);
    Q.fill(0);
    N.fill(0);
  }
  sumRows(chosen, count, S, st.flatS);
  if (timeFe) sumRows(chosen, count, R, st.flatP);
  const times = st.patterns.length === 1 ? null : new Float64Array(st.patterns.length);
  if (timeFe && times) for (let q = 0; q < count; q++) times[st.pattern[chosen[q]]]++;
  if (timeFe)
    for (let i = 0; i < st.patterns.length; i++) {
      // One pattern (a balanced panel): every chosen city has it.
      const m = times ? times[i] : count;
      if (!m) continue;
      const p = st.patterns[i];
      for (let j = 0; j < Q.length; j++) Q[j] += m * p.Q[j];
      for (let j = 0; j < N.length; j++) N[j] += m * p.c[j];
    }
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

/** The cross-product of one draw and the buffers that compute it (gramInto), kept across draws. */
export interface Gram {
  /** X̃'X̃ of the two-way within residuals (k×k, row-major); all NaN when the period effects are not identified. */
  C: Float64Array;
  /** Period effects γ (T×k, the last period the reference and zero); meaningful only when `hasGamma`. */
  gamma: Float64Array;
  hasGamma: boolean;
  A: Float64Array;
  L: Float64Array;
  z: Float64Array;
  QG: Float64Array;
}

export function newGram(st: CityStats): Gram {
  const { k, nTime: T } = st;
  const T1 = Math.max(T - 1, 0);
  return {
    C: new Float64Array(k * k),
    gamma: new Float64Array(T * k),
    hasGamma: false,
    A: new Float64Array(T1 * T1),
    L: new Float64Array(T1 * T1),
    z: new Float64Array(T1),
    QG: new Float64Array(T * k),
  };
}

/**
 * The two-way residual cross-product matrix and year effects γ of the cities summed in `sums`, into `g`:
 *   Σ r r' = ΣS − Σ_t (R_t γ_t' + γ_t R_t') + Σ_t N_t γ_t γ_t' − Γ' Q Γ,  (D̃'D̃) γ = R (last period the reference).
 */
export function gramInto(st: CityStats, sums: StatSums, timeFe: boolean, g: Gram): Gram {
  const { k, nTime: T } = st;
  const { S: sumS, R, Q: Qs, N } = sums;
  const { C, gamma, A, L, z, QG } = g;
  C.set(sumS);
  g.hasGamma = false;
  if (!timeFe) return g;
  // (D̃'D̃) restricted to periods 0..T−2: diag(N) − Q.
  const T1 = T - 1;
  for (let t = 0; t < T1; t++) for (let r = 0; r < T1; r++) A[t * T1 + r] = (t === r ? N[t] : 0) - Qs[t * T + r];
  if (!choleskyFlat(A, T1, L)) {
    C.fill(NaN);
    return g;
  }
  for (let c = 0; c < k; c++) {
    for (let i = 0; i < T1; i++) {
      let s = R[i * k + c];
      for (let j = 0; j < i; j++) s -= L[i * T1 + j] * z[j];
      z[i] = s / L[i * T1 + i];
    }
    for (let i = T1 - 1; i >= 0; i--) {
      let s = z[i];
      for (let j = i + 1; j < T1; j++) s -= L[j * T1 + i] * gamma[j * k + c];
      gamma[i * k + c] = s / L[i * T1 + i];
    }
  }
  QG.fill(0);
  for (let t = 0; t < T; t++)
    for (let r = 0; r < T; r++) {
      const w = Qs[t * T + r];
      if (w) for (let c = 0; c < k; c++) QG[t * k + c] += w * gamma[r * k + c];
    }
  for (let t = 0; t < T; t++)
    for (let a = 0; a < k; a++) {
      const ga = gamma[t * k + a],
        ra = R[t * k + a],
        Nt = N[t];
      for (let c = 0, o = a * k; c < k; c++, o++)
        C[o] += -ra * gamma[t * k + c] - ga * R[t * k + c] + Nt * ga * gamma[t * k + c] - ga * QG[t * k + c];
    }
  g.hasGamma = true;
  return g;
}
