/**
 * Fast repeated fits for the cluster bootstrap and permutation tests. Per-city sufficient statistics are computed
 * once (cityStats, city-stats.ts); the two-way within cross-product matrix of any resample or subsample of whole
 * cities then follows without touching the rows (sumStats, then gramInto), and each small regression is solved from
 * it (olsInto, flat-linalg.ts). A loop of draws keeps its sums, matrix and solves in buffers made once (newSums,
 * newGram).
 * Point estimates equal feols on the same cities (tests check this against slow refits).
 */
import { choleskyFlat } from './flat-linalg';
import type { CityStats } from './city-stats';

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
