/**
 * First-stage diagnostics for IV-2SLS, on data already partialled of the fixed effects and included exogenous
 * regressors (Frisch–Waugh–Lovell):
 *
 * - partial first-stage F per endogenous variable: the Wald test that its excluded-instrument coefficients are
 *   zero, with the model's own vcov (iid, hc1 or cluster, same small-sample corrections);
 * - Cragg–Donald Wald F (Cragg & Donald 1993; Stock & Yogo 2005): iid errors whatever the model's vcov, the
 *   minimum eigenvalue of Σ̂^{-1/2} X'P_Z X Σ̂^{-1/2} / L with Σ̂ = E'E/(N − L_all), L_all = instruments including
 *   the intercept plus every fixed-effect parameter counted as without clustering (ivreg2's cdf with the fixed
 *   effects partialled out: cd·(N − iv1_ct − sdofminus)/exex1_ct);
 * - Kleibergen–Paap rk statistics (Kleibergen & Paap 2006), as Stata's ranktest / ivreg2 compute them: the
 *   rank-(K−1) test of the first-stage coefficient matrix Π (L × K) after the standardisation
 *   Θ = F Π G^{-1} (F'F = Z'Z, G'G = X'X), with the robust or cluster covariance of vec(Π̂):
 *   the LM version (under-identification) uses residuals under the null (Π = 0) and is χ²(L − K + 1);
 *   the Wald version uses the first-stage residuals and is reported as ivreg2's rk Wald F (ivreg2.ado, the
 *   weak-identification block; rk from a covariance without small-sample factors):
 *     not clustered:  rk/N · (N − L_K)/L
 *     clustered:      rk/(N − 1) · (N − L_K) · (G − 1)/G / L        G = the smallest number of clusters
 *   with L_K = instruments including the intercept plus the fixed-effect parameters of the model's K (ivreghdfe
 *   counts the absorbed effects in sdofminus, so effects nested in the clusters drop out as in K);
 * - Hansen J (over-identification, robust) or Sargan (iid) when L > K;
 * - Stock–Yogo critical values for the Cragg–Donald / KP F when tabulated.
 */
import { chi2Upper, fUpper } from '../../math/distributions';
import { eigenSym, invSym, matMul, symPower, transpose, type Mat } from '../../math/linalg';
import { type ClusterCodes, minClusters, type SscSwitches, smallSample, type VcovKind } from '../vcov/rule';
import { heteroMeat, multiwayMeat } from '../vcov/sandwich';
import { rkStatistic } from './rank-test';

export interface TestResult {
  name: string;
  nullHypothesis: string;
  statistic: number;
  df: number | [number, number];
  distribution: 'chi2' | 'F' | 'none';
  pValue: number | null;
}
export interface TestNotApplicable {
  name: string;
  valid: false;
  reason: string;
}

export interface FirstStage {
  endogenous: string;
  /** Wald F of the excluded instruments with the model's vcov. */
  f: number;
  fDf: [number, number];
  fPValue: number;
  /** Partial R² of the excluded instruments. */
  partialR2: number;
  coefficients: { term: string; estimate: number; std_error: number }[];
}

export interface IvDiagnostics {
  firstStages: FirstStage[];
  craggDonaldF: number;
  kleibergenPaapLM: TestResult;
  kleibergenPaapWaldF: number;
  overidentification: TestResult | TestNotApplicable;
  stockYogo: { type: string; level: string; critical: number }[];
  stockYogoNote: string;
}

/**
 * Σ of outer products of per-observation (hc1) or per-cluster (cluster; multiway by inclusion–exclusion) score sums.
 */
function scoreMeat(scores: Float64Array[], kind: VcovKind, clusters: ClusterCodes[]): Mat {
  const ones = new Float64Array(scores[0].length).fill(1);
  return kind === 'hc1' ? heteroMeat(scores, ones) : multiwayMeat(scores, ones, clusters);
}

const cross = (A: Float64Array[], B: Float64Array[]): Mat =>
  A.map((a) =>
    B.map((b) => {
      let s = 0;
      for (let i = 0; i < a.length; i++) s += a[i] * b[i];
      return s;
    }),
  );

/** Residuals of each column of Y regressed on Z (no intercept: data are already partialled). */
function residualize(Y: Float64Array[], Z: Float64Array[], ZZinv: Mat): { coef: Mat; resid: Float64Array[] } {
  const ZY = cross(Z, Y); // L × K
  const coef = matMul(ZZinv, ZY);
  const resid = Y.map((y, k) => {
    const r = Float64Array.from(y);
    for (let l = 0; l < Z.length; l++) {
      const c = coef[l][k];
      const z = Z[l];
      for (let i = 0; i < r.length; i++) r[i] -= c * z[i];
    }
    return r;
  });
  return { coef, resid };
}

/**
 * Covariance of vec(Π̂) (column-stacked, L·K) with residual matrix E, unscaled sandwich (ranktest's large-sample form).
 */
function vecPiCov(Z: Float64Array[], E: Float64Array[], ZZinv: Mat, kind: VcovKind, clusters: ClusterCodes[]): Mat {
  const L = Z.length,
    K = E.length,
    n = Z[0].length;
  // Scores for vec(Π): z_i ⊗ e_i arranged column-major (k outer, l inner).
  const scores: Float64Array[] = [];
  for (let k = 0; k < K; k++)
    for (let l = 0; l < L; l++) {
      const s = new Float64Array(n);
      const z = Z[l],
        e = E[k];
      for (let i = 0; i < n; i++) s[i] = z[i] * e[i];
      scores.push(s);
    }
  let meat: Mat;
  if (kind !== 'iid') {
    meat = scoreMeat(scores, kind, clusters);
  } else {
    // iid: Σ_e ⊗ Z'Z / n
    const Se = cross(E, E).map((r) => r.map((x) => x / n));
    const ZZ = cross(Z, Z);
    meat = Array.from({ length: L * K }, (_, a) =>
      Array.from({ length: L * K }, (_, b) => Se[Math.floor(a / L)][Math.floor(b / L)] * ZZ[a % L][b % L]),
    );
  }
  // (I_K ⊗ (Z'Z)^{-1}) meat (I_K ⊗ (Z'Z)^{-1})
  const big: Mat = Array.from({ length: L * K }, (_, a) =>
    Array.from({ length: L * K }, (_, b) => (Math.floor(a / L) === Math.floor(b / L) ? ZZinv[a % L][b % L] : 0)),
  );
  return matMul(matMul(big, meat), big);
}

/**
 * Stock & Yogo (2005) critical values for the Cragg–Donald F (TSLS), Tables 5.1 (relative bias) and 5.2 (size), as
 * ivreg2 prints them.
 */
const SY_SIZE: Record<string, [number, number, number, number]> = {
  '1,1': [16.38, 8.96, 6.66, 5.53],
  '1,2': [19.93, 11.59, 8.75, 7.25],
  '1,3': [22.3, 12.83, 9.54, 7.8],
  '1,4': [24.58, 13.96, 10.26, 8.31],
  '2,2': [7.03, 4.58, 3.95, 3.63],
  '2,3': [13.43, 8.18, 6.4, 5.45],
};
const SY_BIAS: Record<string, [number, number, number, number]> = {
  '1,3': [13.91, 9.08, 6.46, 5.39],
  '1,4': [16.85, 10.27, 6.71, 5.34],
};

export function stockYogo(
  K: number,
  L: number,
): { rows: { type: string; level: string; critical: number }[]; note: string } {
  const rows: { type: string; level: string; critical: number }[] = [];
  const bias = SY_BIAS[`${K},${L}`];
  if (bias)
    ['5%', '10%', '20%', '30%'].forEach((lv, i) => {
      rows.push({ type: 'maximal IV relative bias', level: lv, critical: bias[i] });
    });
  const size = SY_SIZE[`${K},${L}`];
  if (size)
    ['10%', '15%', '20%', '25%'].forEach((lv, i) => {
      rows.push({ type: 'maximal IV size', level: lv, critical: size[i] });
    });
  const note = rows.length
    ? 'Stock–Yogo (2005) critical values assume i.i.d. errors; with a robust or clustered Kleibergen–Paap F, ' +
      'compare with caution (Baum, Schaffer & Stillman 2007).'
    : `Stock–Yogo critical values are not tabulated here for ${K} endogenous variable(s) and ${L} instrument(s).`;
  return { rows, note };
}

/**
 * @param Xe partialled endogenous regressors (K columns)
 * @param Z partialled excluded instruments (L columns)
 * @param u 2SLS residuals (for Hansen J / Sargan), computed with the actual endogenous regressors
 * @param lAll number of all instruments counted in ivreg2's dof (excluded + included exogenous + absorbed FE
 * parameters)
 */
export function ivDiagnostics(args: {
  endogNames: string[];
  instNames: string[];
  Xe: Float64Array[];
  Z: Float64Array[];
  u: Float64Array;
  kind: VcovKind;
  clusters: ClusterCodes[];
  n: number;
  smallFactor: number;
  dfT: number;
  /** Instruments including the intercept plus every fixed-effect parameter (as without clustering). */
  lAll: number;
  /** Instruments including the intercept plus the fixed-effect parameters counted in the model's K. */
  lAllK: number;
  /** The model's small-sample switches. */
  ssc: SscSwitches;
}): IvDiagnostics {
  const { Xe, Z, n, kind, clusters } = args;
  const K = Xe.length,
    L = Z.length;
  const ZZ = cross(Z, Z);
  const ZZinv = invSym(ZZ);
  const XX = cross(Xe, Xe);
  const { coef: Pi, resid: E } = residualize(Xe, Z, ZZinv);
  // Per-endogenous partial F with the model's vcov and small-sample correction.
  const firstStages: FirstStage[] = Xe.map((x, k) => {
    const e = E[k];
    let V: Mat;
    const f = args.smallFactor;
    if (kind === 'iid') {
      let rss = 0;
      for (let i = 0; i < n; i++) rss += e[i] * e[i];
      V = ZZinv.map((r) => r.map((v) => v * rss * f));
    } else {
      const meat = kind === 'hc1' ? heteroMeat(Z, e) : multiwayMeat(Z, e, clusters);
      V = matMul(matMul(ZZinv, meat), ZZinv).map((r) => r.map((v) => v * f));
    }
    const b = Pi.map((r) => r[k]);
    const Vinv = invSym(V);
    let w = 0;
    for (let a = 0; a < L; a++) for (let c = 0; c < L; c++) w += b[a] * Vinv[a][c] * b[c];
    const F = w / L;
    let tss = 0,
      rss = 0;
    for (let i = 0; i < n; i++) {
      tss += x[i] * x[i];
      rss += e[i] * e[i];
    }
    return {
      endogenous: args.endogNames[k],
      f: F,
      fDf: [L, args.dfT],
      fPValue: fUpper(F, L, args.dfT),
      partialR2: 1 - rss / tss,
      coefficients: args.instNames.map((term, l) => ({ term, estimate: Pi[l][k], std_error: Math.sqrt(V[l][l]) })),
    };
  });
  // Cragg–Donald: min eigenvalue of Σ̂^{-1/2} X'P_Z X Σ̂^{-1/2}, Σ̂ = E'E / (N − L_all).
  const dofCD = n - args.lAll;
  const SE = cross(E, E).map((r) => r.map((v) => v / dofCD));
  const XPX = matMul(matMul(transpose(cross(Z, Xe)), ZZinv), cross(Z, Xe));
  const Sih = symPower(SE, -0.5);
  const cd = Math.min(...eigenSym(matMul(matMul(Sih, XPX), Sih)).values);
  // with one endogenous variable: the classical (iid) partial F of the excluded instruments
  const craggDonaldF = cd / L;
  // Kleibergen–Paap rk LM (residuals under H0: Π = 0 → E0 = Xe) and rk Wald (first-stage residuals).
  const V0 = vecPiCov(Z, Xe, ZZinv, kind, clusters);
  const V1 = vecPiCov(Z, E, ZZinv, kind, clusters);
  const lm = rkStatistic(Pi, V0, ZZ, XX);
  const wald = rkStatistic(Pi, V1, ZZ, XX);
  const dfLM = L - K + 1;
  // ivreg2/ranktest's rk Wald F: the statistic divided by the model's small-sample factor, (n − 1)/(n − K)·G/(G − 1)
  // clustered, n/(n − K) otherwise (the hc1 factor, used for iid too).
  const rkFactor = smallSample(kind === 'cluster' ? 'cluster' : 'hc1', n, args.lAllK, minClusters(clusters), args.ssc);
  const waldF = wald / rkFactor.factor / L;
  // Over-identification.
  let overid: TestResult | TestNotApplicable;
  if (L <= K)
    overid = {
      name: kind === 'iid' ? 'Sargan' : 'Hansen J',
      valid: false,
      reason: `exactly identified (${L} instrument${L > 1 ? 's' : ''} for ${K} endogenous variable${K > 1 ? 's' : ''})`,
    };
  else {
    const u = args.u;
    let J: number;
    if (kind === 'iid') {
      const Zu = Z.map((z) => {
        let s = 0;
        for (let i = 0; i < n; i++) s += z[i] * u[i];
        return s;
      });
      let uu = 0;
      for (let i = 0; i < n; i++) uu += u[i] * u[i];
      let q = 0;
      for (let a = 0; a < L; a++) for (let c = 0; c < L; c++) q += Zu[a] * ZZinv[a][c] * Zu[c];
      J = (n * q) / uu;
    } else {
      const sc = Z.map((z) => {
        const s = new Float64Array(n);
        for (let i = 0; i < n; i++) s[i] = z[i] * u[i];
        return s;
      });
      const S = scoreMeat(sc, kind, clusters);
      const g = sc.map((s) => s.reduce((a, b) => a + b, 0));
      const Si = invSym(S);
      J = 0;
      for (let a = 0; a < L; a++) for (let c = 0; c < L; c++) J += g[a] * Si[a][c] * g[c];
    }
    overid = {
      name: kind === 'iid' ? 'Sargan' : 'Hansen J',
      nullHypothesis: 'all instruments are valid (over-identifying restrictions hold)',
      statistic: J,
      df: L - K,
      distribution: 'chi2',
      pValue: chi2Upper(J, L - K),
    };
  }
  const sy = stockYogo(K, L);
  return {
    firstStages,
    craggDonaldF,
    kleibergenPaapLM: {
      name: 'Kleibergen–Paap rk LM',
      nullHypothesis: 'the equation is under-identified',
      statistic: lm,
      df: dfLM,
      distribution: 'chi2',
      pValue: chi2Upper(lm, dfLM),
    },
    kleibergenPaapWaldF: waldF,
    overidentification: overid,
    stockYogo: sy.rows,
    stockYogoNote: sy.note,
  };
}
