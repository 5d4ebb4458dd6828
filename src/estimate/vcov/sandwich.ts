/**
 * Variance estimators for (within-transformed) least squares and 2SLS, with the small-sample corrections of
 * fixest's defaults, which equal Stata reghdfe's (the factors are owned by smallSample in rule.ts):
 *
 *   iid      V = σ̂² B,  σ̂² = e'e / (n − K)                                  t with n − K df
 *   hc1      V = n/(n − K) · B (Σ_i x_i x_i' e_i²) B                        t with n − K df
 *   cluster  V = (n − 1)/(n − K) · G/(G − 1) · B (Σ_g s_g s_g') B,  s_g = Σ_{i∈g} x_i e_i   t with G − 1 df
 *   two-way  V = (n − 1)/(n − K) · G_min/(G_min − 1) · B (M_1 + M_2 − M_12) B              t with G_min − 1 df
 *
 * B = (X'X)^{-1} of the regressors after absorbing fixed effects (for 2SLS, of the first-stage fitted values).
 * K = number of estimated coefficients + fixed-effect parameters; under clustering, fixed effects nested in a
 * cluster variable are not counted (fixest `fixef.K = "nested"`, reghdfe's default).
 */
import type { Mat } from '../../math/linalg';
import { sandwich, scale } from '../../math/linalg';
import { reduceRows, type RowSplit, serialSplit } from '../../math/row-kernels';
import { type ClusterCodes, minClusters, type SscSwitches, smallSample, type VcovKind } from './rule';

export type { ClusterCodes, SscSwitches, VcovKind } from './rule';

/**
 * Σ_g s_g s_g' with s_g the within-cluster sums of x_i e_i. Each s_g is summed in row order over each of the two
 * fixed halves of the rows, and the halves added (row-kernels.ts): the same numbers on one thread or two.
 */
export function clusterMeat(
  X: Float64Array[],
  e: Float64Array,
  codes: Int32Array,
  nLevels: number,
  split: RowSplit = serialSplit,
): Mat {
  const k = X.length;
  const S = reduceRows(split, { kind: 'scores', cols: X, e, codes, nLevels });
  const M: Mat = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let a = 0; a < k; a++) {
    for (let b = a; b < k; b++) {
      const sum = dotLevels(S, a * nLevels, b * nLevels, nLevels);
      M[a][b] = sum;
      M[b][a] = sum;
    }
  }
  return M;
}

function dotLevels(S: Float64Array, a: number, b: number, nLevels: number): number {
  let sum = 0;
  for (let g = 0; g < nLevels; g++) sum += S[a + g] * S[b + g];
  return sum;
}

/** Σ_i x_i x_i' e_i². */
export function heteroMeat(X: Float64Array[], e: Float64Array): Mat {
  const k = X.length;
  const n = e.length;
  const M: Mat = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const e2 = new Float64Array(n);
  for (let i = 0; i < n; i++) e2[i] = e[i] * e[i];
  for (let a = 0; a < k; a++) {
    for (let b = a; b < k; b++) {
      let s = 0;
      const xa = X[a],
        xb = X[b];
      for (let i = 0; i < n; i++) s += xa[i] * xb[i] * e2[i];
      M[a][b] = s;
      M[b][a] = s;
    }
  }
  return M;
}

/** Codes of the intersection of several clusterings (e.g. city × year cells for two-way clustering). */
export function intersectCodes(list: ClusterCodes[]): ClusterCodes {
  const n = list[0].codes.length;
  const map = new Map<string, number>();
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let key = '';
    for (const c of list) key += c.codes[i] + ',';
    let v = map.get(key);
    if (v === undefined) {
      v = map.size;
      map.set(key, v);
    }
    codes[i] = v;
  }
  return { name: list.map((c) => c.name).join('×'), codes, nLevels: map.size };
}

/**
 * Multiway meat by inclusion–exclusion over the non-empty subsets of the clusterings (Cameron, Gelbach & Miller 2011).
 */
export function multiwayMeat(
  X: Float64Array[],
  e: Float64Array,
  clusters: ClusterCodes[],
  split: RowSplit = serialSplit,
): Mat {
  const k = X.length;
  const total: Mat = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const r = clusters.length;
  for (let mask = 1; mask < 1 << r; mask++) {
    const subset = clusters.filter((_, i) => mask & (1 << i));
    const cc = subset.length === 1 ? subset[0] : intersectCodes(subset);
    const M = clusterMeat(X, e, cc.codes, cc.nLevels, split);
    const sign = subset.length % 2 === 1 ? 1 : -1;
    for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) total[a][b] += sign * M[a][b];
  }
  return total;
}

export interface VcovComputed {
  matrix: Mat;
  /** Degrees of freedom for t tests and confidence intervals. */
  dfT: number;
  /** The scalar small-sample factor applied to the sandwich. */
  factor: number;
  clusters?: { name: string; count: number }[];
}

/**
 * @param B (X'X)^{-1} of the scores' regressors
 * @param K parameters counted in the small-sample correction (see fe-dof.ts)
 * @param split how the cluster score sums run (default: on this thread; the same numbers either way)
 */
export function computeVcov(
  kind: VcovKind,
  X: Float64Array[],
  e: Float64Array,
  B: Mat,
  n: number,
  K: number,
  clusters: ClusterCodes[],
  ssc: SscSwitches,
  split: RowSplit = serialSplit,
): VcovComputed {
  const { factor, dfT } = smallSample(kind, n, K, minClusters(clusters), ssc);
  if (kind === 'iid') {
    let rss = 0;
    for (let i = 0; i < n; i++) rss += e[i] * e[i];
    return { matrix: scale(B, rss * factor), dfT, factor };
  }
  if (kind === 'hc1') return { matrix: scale(sandwich(B, heteroMeat(X, e)), factor), dfT, factor };
  const meat =
    clusters.length === 1
      ? clusterMeat(X, e, clusters[0].codes, clusters[0].nLevels, split)
      : multiwayMeat(X, e, clusters, split);
  return {
    matrix: scale(sandwich(B, meat), factor),
    dfT,
    factor,
    clusters: clusters.map((c) => ({ name: c.name, count: c.nLevels })),
  };
}
