/**
 * The one owner of the cluster-and-correction rule. Every variance in the package — feols and withVcov, the IV
 * diagnostics (first-stage F, Kleibergen–Paap), SUEST, the wild bootstrap, the permutation draws' standard errors —
 * takes from here how a cluster spec splits into variables, how many clusters there are, the scalar small-sample
 * factor and the t degrees of freedom. The fixed-effect parameters counted in K are fe-dof.ts's.
 */
import { NqpError } from '../../errors';
import { type ColumnSource, catMissing, codesForCached } from '../model/columns';

export type VcovKind = 'iid' | 'hc1' | 'cluster';

/** The two switches of the small-sample correction that act on the scalar factor (fixest's names). */
export interface SscSwitches {
  adj: boolean;
  clusterAdj: boolean;
}

/** The correction fixest and reghdfe apply by default (both switches on). */
export const FULL_SSC: SscSwitches = { adj: true, clusterAdj: true };

/** Dense cluster codes over a model's rows; `nLevels` is the cluster count G. */
export interface ClusterCodes {
  name: string;
  codes: Int32Array;
  nLevels: number;
  /** What the key spelling rule did (model/columns.ts canonicalKey): merged spellings, numerically equal codes. */
  notes?: string[];
  warnings?: string[];
}

/** The variables of one cluster spec: `city_code` → [city_code]; `province^year` → [province, year]. */
export function clusterParts(spec: string): string[] {
  const parts = spec.split('^').map((v) => v.trim());
  if (parts.some((v) => !v)) {
    throw new NqpError(
      'BAD_VCOV',
      `cluster "${spec}"`,
      `Cluster spec "${spec}" has an empty part; write a variable, or two joined by ^ (province^year).`,
    );
  }
  return parts;
}

/** Rows (of `rows`) whose cluster spec has a missing part. */
export function rowsMissingCluster(data: ColumnSource, spec: string, rows: ArrayLike<number>): number[] {
  const cols = clusterParts(spec).map((v) => data.array(v));
  const out: number[] = [];
  for (let r = 0; r < rows.length; r++) if (cols.some((c) => catMissing(c[rows[r]]))) out.push(rows[r]);
  return out;
}

/**
 * The clusters of `spec` over `rows` (every one of which must have all parts present): the one place a cluster
 * count G is made. Codes are read by the key spelling rule (model/columns.ts canonicalKey): "110000" and
 * "110000.0" are one cluster (counted in a note); "1.1" and "1.10" are two (named in a warning).
 */
export function clusterCodes(data: ColumnSource, spec: string, rows: Int32Array): ClusterCodes {
  const c = codesForCached(data, clusterParts(spec), rows);
  return { name: spec, codes: c.codes, nLevels: c.nLevels, notes: c.notes, warnings: c.warnings };
}

/** Smallest number of clusters over the clusterings (G_min); NaN without clustering. */
export function minClusters(clusters: readonly ClusterCodes[]): number {
  return clusters.length ? Math.min(...clusters.map((c) => c.nLevels)) : NaN;
}

/**
 * G/(G − 1) when the cluster adjustment is on (fixest `cluster.adj`), else 1. Alone, it is the whole of Stata's
 * suest correction (resample/groupdiff.ts).
 */
export function clusterAdjustment(g: number, ssc: SscSwitches = FULL_SSC): number {
  return ssc.clusterAdj ? g / (g - 1) : 1;
}

/**
 * The small-sample rule (fixest 0.12 R/VCOV.R, which reghdfe equals given the same K):
 *
 *   iid      σ̂² = e'e · (adj ? 1/(n − K) : 1/(n − 1))                            t with n − K df
 *   hc1      (clusterAdj ? n/(n − 1) : 1) · (adj ? (n − 1)/(n − K) : 1)            t with n − K df
 *   cluster  (clusterAdj ? G/(G − 1) : 1) · (adj ? (n − 1)/(n − K) : 1)            t with G − 1 df
 *
 * For iid the factor multiplies e'e; otherwise it multiplies the sandwich. G is G_min for multiway clustering
 * (minClusters); it is ignored unless kind is 'cluster'.
 */
export function smallSample(
  kind: VcovKind,
  n: number,
  K: number,
  G: number,
  ssc: SscSwitches,
): { factor: number; dfT: number } {
  if (kind === 'iid') return { factor: ssc.adj ? 1 / (n - K) : 1 / (n - 1), dfT: Math.max(n - K, 1) };
  const nk = ssc.adj ? (n - 1) / (n - K) : 1;
  if (kind === 'hc1') return { factor: (ssc.clusterAdj ? n / (n - 1) : 1) * nk, dfT: Math.max(n - K, 1) };
  return { factor: clusterAdjustment(G, ssc) * nk, dfT: Math.max(G - 1, 1) };
}
