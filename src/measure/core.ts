/**
 * Pure cores of the composite indices: typed arrays in, typed arrays out.
 *
 * Entropy weight method as the literature applies it to city panels:
 *   1. min–max standardise each indicator by direction:  z = (x − min)/(max − min)  (+),  (max − x)/(max − min)  (−)
 *   2. shift to avoid log(0):                           z' = z + shift (default 1e-4)
 *   3. proportions                                      p_ij = z'_ij / Σ_i z'_ij
 *   4. entropy                                          e_j = −(1/ln m) Σ_i p_ij ln p_ij   (m observations)
 *   5. divergence and weight                            d_j = 1 − e_j,  w_j = d_j / Σ_j d_j
 *   6. index                                            S_i = Σ_j w_j z_ij   (in [0, 1])
 * Pooled over all city-years by default, so the index is comparable across years.
 */
import { eigenSym } from '../math/linalg';

export interface EntropyCore {
  /** Min–max standardised (direction-adjusted) values, one array per indicator; NaN where missing. */
  z: Float64Array[];
  entropy: Float64Array;
  divergence: Float64Array;
  weights: Float64Array;
  index: Float64Array;
}

/**
 * Rows used: those with every indicator present. Returns the standardised columns and the weights over `groups` of
 * rows.
 */
export function entropyCore(
  cols: Float64Array[],
  directions: (1 | -1)[],
  shift = 1e-4,
  groups?: Int32Array,
): EntropyCore {
  const n = cols[0]?.length ?? 0;
  const J = cols.length;
  const complete = new Uint8Array(n).fill(1);
  for (const c of cols) markMissing(c, complete);
  const nGroups = groups ? groupCount(groups) : 1;
  const rows = new Int32Array(n);
  const z = cols.map(() => new Float64Array(n).fill(NaN));
  const entropy = new Float64Array(J);
  const divergence = new Float64Array(J);
  const weights = new Float64Array(J);
  const wByGroup: Float64Array[] = [];
  const span = new Float64Array(2);
  for (let g = 0; g < nGroups; g++) {
    const m = groupRows(complete, groups, g, rows);
    const d = new Float64Array(J);
    const e = new Float64Array(J);
    for (let j = 0; j < J; j++) {
      rangeOver(cols[j], rows, m, span);
      const sum = standardise(cols[j], rows, m, span[0], span[1], directions[j] === 1, shift, z[j]);
      const h = entropyOf(z[j], rows, m, shift, sum);
      e[j] = m > 1 ? h / Math.log(m) : 1;
      d[j] = 1 - e[j];
    }
    let dsum = 0;
    for (let j = 0; j < J; j++) dsum += d[j];
    const w = new Float64Array(J);
    for (let j = 0; j < J; j++) w[j] = d[j] / dsum;
    wByGroup.push(w);
    for (let j = 0; j < J; j++) {
      entropy[j] += e[j] / nGroups;
      divergence[j] += d[j] / nGroups;
      weights[j] += w[j] / nGroups;
    }
  }
  const index = new Float64Array(n).fill(NaN);
  weightedSum(z, wByGroup, complete, groups, index);
  return { z, entropy, divergence, weights, index };
}

// The loops of entropyCore, each a small function: a cold process compiles small hot loops quickly.

function markMissing(c: Float64Array, complete: Uint8Array): void {
  for (let i = 0; i < complete.length; i++) if (Number.isNaN(c[i])) complete[i] = 0;
}

function groupCount(groups: Int32Array): number {
  let k = 0;
  for (let i = 0; i < groups.length; i++) if (groups[i] + 1 > k) k = groups[i] + 1;
  return k;
}

function groupRows(complete: Uint8Array, groups: Int32Array | undefined, g: number, rows: Int32Array): number {
  let m = 0;
  for (let i = 0; i < complete.length; i++) if (complete[i] && (groups ? groups[i] : 0) === g) rows[m++] = i;
  return m;
}

function rangeOver(x: Float64Array, rows: Int32Array, m: number, span: Float64Array): void {
  let lo = Infinity,
    hi = -Infinity;
  for (let k = 0; k < m; k++) {
    const v = x[rows[k]];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  span[0] = lo;
  span[1] = hi;
}

/** z = direction-adjusted min–max value into `z`; returns Σ (z + shift). */
function standardise(
  x: Float64Array,
  rows: Int32Array,
  m: number,
  lo: number,
  hi: number,
  up: boolean,
  shift: number,
  z: Float64Array,
): number {
  const range = hi - lo;
  let sum = 0;
  for (let k = 0; k < m; k++) {
    const i = rows[k];
    const v = range > 0 ? (up ? (x[i] - lo) / range : (hi - x[i]) / range) : 0;
    z[i] = v;
    sum += v + shift;
  }
  return sum;
}

/** −Σ p ln p with p = (z + shift) / sum. */
function entropyOf(z: Float64Array, rows: Int32Array, m: number, shift: number, sum: number): number {
  let h = 0;
  for (let k = 0; k < m; k++) {
    const p = (z[rows[k]] + shift) / sum;
    h -= p * Math.log(p);
  }
  return h;
}

/** index[i] = Σ_j w_j z_ji over the complete rows, with the weights of the row's group. */
function weightedSum(
  z: Float64Array[],
  wByGroup: Float64Array[],
  complete: Uint8Array,
  groups: Int32Array | undefined,
  index: Float64Array,
): void {
  const J = z.length;
  for (let i = 0; i < index.length; i++) {
    if (!complete[i]) continue;
    const w = wByGroup[groups ? groups[i] : 0];
    let s = 0;
    for (let j = 0; j < J; j++) s += w[j] * z[j][i];
    index[i] = s;
  }
}

/**
 * Principal-components index: indicators z-scored (negative ones sign-flipped), components of the correlation
 * matrix with eigenvalue > 1 kept (Kaiser's rule), each signed so its loadings sum to a positive number, and the
 * index = Σ_k (λ_k / Σ_kept λ) · score_k, then min–max scaled to [0, 1] for comparability with the entropy index.
 */
export function pcaCore(
  cols: Float64Array[],
  directions: (1 | -1)[],
): { index: Float64Array; eigenvalues: number[]; kept: number; loadings: number[][]; explained: number } {
  const n = cols[0].length,
    J = cols.length;
  const flags = new Uint8Array(n).fill(1);
  for (const c of cols) markMissing(c, flags);
  const all = new Int32Array(n);
  const idx = all.subarray(0, groupRows(flags, undefined, 0, all));
  const Z = cols.map((c, j) => zScores(c, idx, directions[j]));
  // R is symmetric: each product a·b equals b·a exactly and the sums run in the same row order, so one half is
  // computed and mirrored.
  const R: number[][] = Z.map(() => new Array<number>(J).fill(0));
  for (let a = 0; a < J; a++)
    for (let b = a; b < J; b++) {
      const v = dotOver(Z[a], Z[b], idx) / (idx.length - 1);
      R[a][b] = v;
      R[b][a] = v;
    }
  const { values, vectors } = eigenSym(R);
  const kept = Math.max(1, values.filter((v) => v > 1).length);
  const loadings: number[][] = [];
  for (let k = 0; k < kept; k++) {
    const v = vectors.map((row) => row[k]);
    const sign = v.reduce((a, x) => a + x, 0) < 0 ? -1 : 1;
    loadings.push(v.map((x) => sign * x));
  }
  const lsum = values.slice(0, kept).reduce((a, v) => a + v, 0);
  const raw = new Float64Array(n).fill(NaN);
  for (let k = 0; k < kept; k++) scoreInto(raw, Z, loadings[k], values[k] / lsum, idx, k === 0);
  let lo = Infinity,
    hi = -Infinity;
  for (let t = 0; t < idx.length; t++) {
    lo = Math.min(lo, raw[idx[t]]);
    hi = Math.max(hi, raw[idx[t]]);
  }
  const index = raw.map((v) => (Number.isNaN(v) ? NaN : (v - lo) / (hi - lo)));
  return { index, eigenvalues: values, kept, loadings, explained: lsum / J };
}

/** Direction-signed z-scores over the rows in `idx` (sample sd); NaN elsewhere. */
function zScores(c: Float64Array, idx: Int32Array, direction: number): Float64Array {
  const m0 = idx.length;
  let m = 0;
  for (let t = 0; t < m0; t++) m += c[idx[t]] / m0;
  let s = 0;
  for (let t = 0; t < m0; t++) s += (c[idx[t]] - m) ** 2 / (m0 - 1);
  const sd = Math.sqrt(s);
  const out = new Float64Array(c.length).fill(NaN);
  for (let t = 0; t < m0; t++) {
    const i = idx[t];
    out[i] = (direction * (c[i] - m)) / sd;
  }
  return out;
}

function dotOver(a: Float64Array, b: Float64Array, idx: Int32Array): number {
  let s = 0;
  for (let t = 0; t < idx.length; t++) s += a[idx[t]] * b[idx[t]];
  return s;
}

/** raw[i] (+)= share · Σ_j loading_j Z_ji over the rows in `idx`; the first component sets it (0 + its term). */
function scoreInto(
  raw: Float64Array,
  Z: Float64Array[],
  loading: number[],
  share: number,
  idx: Int32Array,
  first: boolean,
): void {
  const J = Z.length;
  for (let t = 0; t < idx.length; t++) {
    const i = idx[t];
    let score = 0;
    for (let j = 0; j < J; j++) score += loading[j] * Z[j][i];
    raw[i] = (first ? 0 : raw[i]) + share * score;
  }
}

/** Equal-weights index: the mean of the min–max standardised (direction-adjusted) indicators. */
export function equalWeightsCore(cols: Float64Array[], directions: (1 | -1)[]): Float64Array {
  const { z } = entropyCore(cols, directions);
  const n = cols[0].length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (const c of z) s += c[i];
    out[i] = s / z.length;
  }
  return out;
}
