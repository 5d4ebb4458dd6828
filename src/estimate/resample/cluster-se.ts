/**
 * The permutation draws' regression and its cluster-robust standard error, from the per-city sufficient statistics
 * (sufficient-stats.ts) without touching the rows.
 */
import { cholesky, choleskySolve } from '../../math/linalg';
import type { SmallSampleCorrection } from '../model/types';
import { panelFeParams } from '../vcov/fe-dof';
import { smallSample } from '../vcov/rule';
import { type CityStats, gramAndEffects, type StatSums } from './sufficient-stats';

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
 * exactly these cities (e.g. from complementSums).
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
): { b: Float64Array; se: number } {
  const { k, nTime: T } = st;
  const { C, gamma, N } = gramAndEffects(st, chosen, timeFe, sums);
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
