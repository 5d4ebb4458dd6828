/**
 * The permutation draws' regression and its cluster-robust standard error, from the per-city sufficient statistics
 * (sufficient-stats.ts) without touching the rows.
 */
import { choleskyFlat, choleskySolveFlat } from './flat-linalg';
import type { SmallSampleCorrection } from '../model/types';
import { panelFeParams } from '../vcov/fe-dof';
import { smallSample } from '../vcov/rule';
import type { CityStats } from './city-stats';
import { type Gram, gramInto, newGram, newSums, type StatSums, sumStats } from './sufficient-stats';

/**
 * The regression of column y on columns xs for the chosen cities (each at most once), and the cluster-robust
 * standard error of its coefficient `j`: the influence of city u on that coefficient is ψ_u = vᵀ M_u w, with v row j
 * of (X̃'X̃)⁻¹ (over the k columns), w the residual weights (e = r_y − r_X b) and M_u = Σ_{i∈u} r_i r_i' the city's
 * two-way residual cross-products, which follow from the per-city statistics without touching the rows:
 *   vᵀM_u w = vᵀS_u w − Σ_t [(P_ut·v)(γ_t·w) + (γ_t·v)(P_ut·w) − c_ut (γ_t·v)(γ_t·w)] − n_u (ḡ_u·v)(ḡ_u·w).
 * Influences are summed within clusters (`clusterOf[u]`); fixest's small-sample factor (n − 1)/(n − K) · G/(G − 1)
 * leaves the city effects nested in the clusters out of K and counts every period (as fixest does once the nested
 * effects are dropped); both come from their owners (vcov/rule.ts, vcov/fe-dof.ts), so `ssc` acts as in feols.
 * Equals feols with `vcov: { cluster }` on the same cities (tests check this). `sums`, when given, are sumStats of
 * exactly these cities (e.g. from complementSums). `ws` holds every buffer (newClusterSeWorkspace), so a loop of
 * draws allocates nothing; the answer's `b` is the workspace's and is overwritten by its next fit.
 */
export function drawClusterSe(
  st: CityStats,
  chosen: ArrayLike<number>,
  xs: number[],
  y: number,
  timeFe: boolean,
  clusterOf: Int32Array,
  ssc: SmallSampleCorrection,
  j = 0,
  sums?: StatSums,
  workspace?: ClusterSeWorkspace,
): { b: Float64Array; se: number } {
  const { k, nTime: T, flatS, flatP, flatC, nRows } = st;
  // A workspace made for another shape is not used (its buffers would be the wrong size).
  const fits = workspace && workspace.b.length === xs.length && workspace.v.length === k && workspace.gv.length === T;
  const ws = fits ? workspace : newClusterSeWorkspace(st, xs.length);
  const { C, gamma, hasGamma } = gramInto(st, sums ?? sumStats(st, chosen, timeFe, ws.sums), timeFe, ws.gram);
  const N = (sums ?? ws.sums).N;
  const p = xs.length;
  const { A, L, rhs, z, b, e, row, v, w, gv, gw } = ws;
  // One factorisation of X̃'X̃ serves both the coefficients (as olsInto solves them) and row j of its inverse.
  for (let a = 0; a < p; a++) {
    for (let c = 0; c < p; c++) A[a * p + c] = C[xs[a] * k + xs[c]];
    rhs[a] = C[xs[a] * k + y];
  }
  if (!choleskyFlat(A, p, L)) {
    b.fill(NaN);
    return { b, se: NaN };
  }
  choleskySolveFlat(L, p, rhs, z, b);
  e.fill(0);
  e[j] = 1;
  choleskySolveFlat(L, p, e, z, row);
  v.fill(0);
  w.fill(0);
  w[y] = 1;
  for (let q = 0; q < p; q++) {
    v[xs[q]] = row[q];
    w[xs[q]] -= b[q];
  }
  gv.fill(0);
  gw.fill(0);
  if (hasGamma)
    for (let t = 0; t < T; t++)
      for (let c = 0; c < k; c++) {
        gv[t] += gamma[t * k + c] * v[c];
        gw[t] += gamma[t * k + c] * w[c];
      }
  let maxCluster = 0;
  for (let q = 0; q < chosen.length; q++) if (clusterOf[chosen[q]] > maxCluster) maxCluster = clusterOf[chosen[q]];
  if (ws.psi.length <= maxCluster) {
    ws.psi = new Float64Array(maxCluster + 1);
    ws.seen = new Uint8Array(maxCluster + 1);
  }
  const { psi, seen } = ws;
  psi.fill(0, 0, maxCluster + 1);
  seen.fill(0, 0, maxCluster + 1);
  let G = 0;
  let n = 0;
  const kk = k * k,
    tk = T * k;
  // The rows of v that are not zero (the outcome's never is), and below, two rows of S_u and four periods of P_u at
  // a time: independent sums run side by side, and each sum still adds its terms in the order written above, so
  // every ψ_u is the same double as summing one row and one period after another. n_u is the city's (cityStats).
  const { nz, gb } = ws;
  let nnz = 0;
  for (let a = 0; a < k; a++) if (v[a] !== 0) nz[nnz++] = a;
  for (let q = 0; q < chosen.length; q++) {
    const u = chosen[q];
    const sOff = u * kk,
      pOff = u * tk,
      cOff = u * T;
    let f = 0;
    let i = 0;
    for (; i + 1 < nnz; i += 2) {
      const a0 = nz[i],
        a1 = nz[i + 1];
      const b0 = sOff + a0 * k,
        b1 = sOff + a1 * k;
      let r0 = 0,
        r1 = 0;
      for (let c = 0; c < k; c++) {
        const wc = w[c];
        r0 += flatS[b0 + c] * wc;
        r1 += flatS[b1 + c] * wc;
      }
      f += v[a0] * r0;
      f += v[a1] * r1;
    }
    if (i < nnz) {
      const b0 = sOff + nz[i] * k;
      let r0 = 0;
      for (let c = 0; c < k; c++) r0 += flatS[b0 + c] * w[c];
      f += v[nz[i]] * r0;
    }
    const nu = nRows[u];
    n += nu;
    if (hasGamma) {
      gb[0] = 0;
      gb[1] = 0;
      let t = 0;
      for (; t + 3 < T; t += 4) {
        const b0 = pOff + t * k,
          b1 = b0 + k,
          b2 = b1 + k,
          b3 = b2 + k;
        let pv0 = 0,
          pw0 = 0,
          pv1 = 0,
          pw1 = 0,
          pv2 = 0,
          pw2 = 0,
          pv3 = 0,
          pw3 = 0;
        for (let c = 0; c < k; c++) {
          const vc = v[c],
            wc = w[c],
            x0 = flatP[b0 + c],
            x1 = flatP[b1 + c],
            x2 = flatP[b2 + c],
            x3 = flatP[b3 + c];
          pv0 += x0 * vc;
          pw0 += x0 * wc;
          pv1 += x1 * vc;
          pw1 += x1 * wc;
          pv2 += x2 * vc;
          pw2 += x2 * wc;
          pv3 += x3 * vc;
          pw3 += x3 * wc;
        }
        f = periodTerm(f, flatC[cOff + t], pv0, pw0, gv[t], gw[t], gb);
        f = periodTerm(f, flatC[cOff + t + 1], pv1, pw1, gv[t + 1], gw[t + 1], gb);
        f = periodTerm(f, flatC[cOff + t + 2], pv2, pw2, gv[t + 2], gw[t + 2], gb);
        f = periodTerm(f, flatC[cOff + t + 3], pv3, pw3, gv[t + 3], gw[t + 3], gb);
      }
      for (; t < T; t++) {
        const base = pOff + t * k;
        let pv = 0,
          pw = 0;
        for (let c = 0; c < k; c++) {
          const x = flatP[base + c];
          pv += x * v[c];
          pw += x * w[c];
        }
        f = periodTerm(f, flatC[cOff + t], pv, pw, gv[t], gw[t], gb);
      }
      f -= (gb[0] * gb[1]) / nu;
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
  const K = p + panelFeParams(chosen.length, hasGamma ? periods : 0, ssc);
  if (G < 2 || n <= K) return { b, se: NaN };
  return { b, se: Math.sqrt(smallSample('cluster', n, K, G, ssc).factor * meat) };
}

/**
 * One period's part of ψ_u: f − [(P_ut·v)(γ_t·w) + (γ_t·v)(P_ut·w) − c_ut (γ_t·v)(γ_t·w)], and the running sums of
 * c_ut (γ_t·v) and c_ut (γ_t·w) in gb; a period without rows of the city adds nothing.
 */
function periodTerm(f: number, ct: number, pv: number, pw: number, gvt: number, gwt: number, gb: Float64Array): number {
  if (ct === 0) return f;
  gb[0] += ct * gvt;
  gb[1] += ct * gwt;
  return f - (pv * gwt + gvt * pw - ct * gvt * gwt);
}

/** The buffers of drawClusterSe for p regressors, allocated once per resampling loop (one per concurrent fit). */
export interface ClusterSeWorkspace {
  sums: StatSums;
  gram: Gram;
  A: Float64Array;
  L: Float64Array;
  rhs: Float64Array;
  z: Float64Array;
  b: Float64Array;
  e: Float64Array;
  row: Float64Array;
  v: Float64Array;
  w: Float64Array;
  gv: Float64Array;
  gw: Float64Array;
  psi: Float64Array;
  seen: Uint8Array;
  nz: Int32Array;
  gb: Float64Array;
}

export function newClusterSeWorkspace(st: CityStats, p: number): ClusterSeWorkspace {
  const { k, nTime: T } = st;
  const vec = (m: number) => new Float64Array(m);
  return {
    sums: newSums(st),
    gram: newGram(st),
    A: vec(p * p),
    L: vec(p * p),
    rhs: vec(p),
    z: vec(p),
    b: vec(p),
    e: vec(p),
    row: vec(p),
    v: vec(k),
    w: vec(k),
    gv: vec(T),
    gw: vec(T),
    psi: vec(0),
    seen: new Uint8Array(0),
    nz: new Int32Array(k),
    gb: vec(2),
  };
}
