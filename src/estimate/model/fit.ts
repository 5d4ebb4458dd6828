/**
 * The fit: absorb the fixed effects from every column at once (core/demean.ts), then least squares by
 * Householder QR (OLS) or two-stage least squares (IV). The answer is a typed fit state that holds everything
 * the vcov needs, so standard errors can be recomputed for another vcov without refitting (see feols.ts).
 *
 * IV: the endogenous regressors are replaced by their first-stage fitted values on [exogenous, instruments];
 * structural residuals use the actual endogenous regressors.
 */
import { NqpError } from '../../errors';
import type { Mat } from '../../math/linalg';
import { crossMatrix, qrLeastSquares } from '../../math/qr';
import { reduceMany, reduceRows, type RowSplit, type RowTask } from '../../math/row-kernels';
import type { ColumnSource } from './columns';
import { designPlan } from './demean';
import { demeanColumnsParallel, rowSplit } from './demean-parallel';
import type { Design } from './design';
import type { ParsedFormula } from './formula';
import type { FeolsResult } from './types';

export interface IvState {
  endogNames: string[];
  instNames: string[];
  /** Endogenous regressors and kept instruments, partialled on the exogenous regressors. */
  Xe: Float64Array[];
  Z: Float64Array[];
  /** Columns of the first stage: intercept, exogenous regressors, kept instruments. */
  kFirst: number;
}

/** Everything a result is computed from: kept out of the JSON, read through `fitState(result)`. */
export interface FitState {
  data: ColumnSource;
  formula: ParsedFormula;
  design: Design;
  n: number;
  intercept: boolean;
  /** Kept terms, in coefficient order. */
  names: string[];
  coef: Float64Array;
  /** (X'X)⁻¹ of the score regressors. */
  B: Mat;
  resid: Float64Array;
  /** Score regressors: the absorbed X (OLS) or the first-stage fitted values (IV). */
  scoresX: Float64Array[];
  /** The outcome before and after absorbing the fixed effects. */
  y: Float64Array;
  yT: Float64Array;
  droppedTerms: FeolsResult['droppedTerms'];
  demean: { iterations: number; converged: boolean };
  iv?: IvState;
  notes: string[];
  /** The notes that change how a number reads (non-convergence, an instrument dropped): JSON warnings too. */
  cautions: string[];
}

export function sumSq(x: Float64Array, mean = 0): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i] - mean) ** 2;
  return s;
}

/** Σ (x − mean)² of each column, as a row-kernels.ts reduction (the same numbers on one thread or two). */
export function sumsOfSquares(split: RowSplit, cols: Float64Array[], means?: number[]): Float64Array {
  if (!cols.length) return new Float64Array(0);
  return reduceRows(split, { kind: 'sumSq', cols, means: means ?? cols.map(() => 0) });
}

export function fitDesign(
  data: ColumnSource,
  d: Design,
  opts: { tol: number; collinTol: number; feParams: number },
): FitState {
  const n = d.rows.length;
  const notes: string[] = [];
  const cautions: string[] = [];
  const raw = [d.y, ...d.exog.map((e) => e.x), ...d.endog.map((e) => e.x), ...d.inst.map((e) => e.x)];
  const dm = demeanColumnsParallel(raw, d.fes, { tol: opts.tol }, undefined, () => designPlan(d.fes));
  if (!dm.converged) {
    const msg =
      `Fixed-effect absorption stopped at ${dm.iterations} iterations without reaching tolerance ${opts.tol}: ` +
      'estimates and standard errors may be off. Check the fixed effects (long chains of connected groups).';
    notes.push(msg);
    cautions.push(msg);
  }
  // A column the fixed effects absorb is numerically zero after demeaning (up to rounding): make it exactly zero
  // so the decompositions drop it (regressors are then labelled 'absorbed'; instruments count as unusable).
  // Without instruments or an intercept, the cross products of the absorbed columns are the least squares' own
  // (qr.ts), so their diagonal serves here and the matrix there; a column made zero gets a zero row and column.
  const split = rowSplit();
  const intercept = d.f.intercept && !d.fes.length;
  const useGram = !d.f.iv && !intercept;
  const sq = (cols: Float64Array[]): RowTask => ({ kind: 'sumSq', cols, means: cols.map(() => 0) });
  const [cross, before, afterSq] = reduceMany(split, [
    { kind: 'cross', cols: useGram ? dm.out : [] },
    sq(raw.slice(1)),
    sq(useGram ? [] : dm.out.slice(1)),
  ]);
  const gram = useGram ? crossMatrix(cross, dm.out.length) : undefined;
  const after = gram ? gram.map((r, c) => r[c]).slice(1) : afterSq;
  for (let c = 1; c < raw.length; c++) {
    if (Math.sqrt(after[c - 1]) <= 1e-8 * Math.sqrt(before[c - 1])) {
      dm.out[c] = new Float64Array(n);
      if (gram) for (let j = 0; j < raw.length; j++) gram[c][j] = gram[j][c] = 0;
    }
  }
  let col = 0;
  const yT = dm.out[col++];
  const exT = d.exog.map(() => dm.out[col++]);
  const enT = d.endog.map(() => dm.out[col++]);
  const inT = d.inst.map(() => dm.out[col++]);
  const ones = new Float64Array(n).fill(1);
  const one = intercept ? [ones] : [];
  // Regressors of the second stage: [intercept?, exogenous, endogenous].
  const names = [...(intercept ? ['(Intercept)'] : []), ...d.exog.map((e) => e.name), ...d.endog.map((e) => e.name)];
  const Xs = [...one, ...exT, ...enT];
  const rawX = [...one, ...d.exog.map((e) => e.x), ...d.endog.map((e) => e.x)];
  const droppedTerms: FeolsResult['droppedTerms'] = [];
  const absorbed = (j: number) => {
    const r = Math.sqrt(sumSq(Xs[j]));
    const o = Math.sqrt(sumSq(rawX[j]));
    return o > 0 && r <= 1e-8 * o;
  };
  const base = { data, formula: d.f, design: d, n, intercept, y: d.y, yT, droppedTerms, notes, cautions };
  const demean = { iterations: dm.iterations, converged: dm.converged };
  if (!d.f.iv) {
    if (n <= Xs.length + opts.feParams && Xs.length > 0) {
      throw new NqpError(
        'TOO_FEW_OBSERVATIONS',
        d.f.text,
        `${Xs.length} regressors and ${opts.feParams} fixed-effect parameters but only ${n} observations: ` +
          'nothing is left to estimate the error variance. Use fewer regressors or more data.',
      );
    }
    // [X, y] in the order of the demeaned columns: y first, then the regressors (with no intercept to add).
    const order = [...Xs.keys()].map((j) => j + 1).concat(0);
    const cross = gram && order.map((a) => order.map((b) => gram[a][b]));
    const q = qrLeastSquares(Xs, yT, opts.collinTol, split, cross);
    for (const j of q.dropped) droppedTerms.push({ term: names[j], reason: absorbed(j) ? 'absorbed' : 'collinear' });
    const scoresX = q.kept.map((j) => Xs[j]);
    return { ...base, names: q.kept.map((j) => names[j]), coef: q.coef, B: q.xtxInv, resid: q.resid, scoresX, demean };
  }
  // Instruments of the first stage: [intercept?, exogenous, excluded instruments].
  const Zall = [...one, ...exT, ...inT];
  const zq = qrLeastSquares(Zall, Zall[0] ?? ones, opts.collinTol);
  const nExogZ = one.length + exT.length;
  const droppedInst = zq.dropped.filter((j) => j >= nExogZ).map((j) => d.inst[j - nExogZ].name);
  const keptInst = inT.filter((_, j) => !zq.dropped.includes(nExogZ + j));
  const instNames = d.inst.map((e) => e.name).filter((nm) => !droppedInst.includes(nm));
  if (keptInst.length < enT.length) {
    const pl = (k: number, w: string) => `${k} ${w}${k === 1 ? '' : 's'}`;
    throw new NqpError(
      'NOT_IDENTIFIED',
      'first stage',
      `The instruments (${d.inst.map((e) => e.name).join(', ')}) are collinear with the exogenous regressors or ` +
        `fixed effects${droppedInst.length ? ` (${droppedInst.join(', ')} add nothing)` : ''}: ` +
        `${pl(keptInst.length, 'usable instrument')} for ${pl(enT.length, 'endogenous variable')}. ` +
        'The first stage does not identify the model; find an instrument that varies within the fixed effects.',
    );
  }
  if (droppedInst.length) {
    const msg = `Instrument${droppedInst.length > 1 ? 's' : ''} ${droppedInst.join(', ')} dropped as collinear.`;
    notes.push(msg);
    cautions.push(msg);
  }
  const Z = [...one, ...exT, ...keptInst];
  const fitted = enT.map((x) => {
    const r = qrLeastSquares(Z, x, opts.collinTol).resid;
    return Float64Array.from(x, (v, i) => v - r[i]);
  });
  const Xhat = [...one, ...exT, ...fitted];
  const q = qrLeastSquares(Xhat, yT, opts.collinTol);
  for (const j of q.dropped) droppedTerms.push({ term: names[j], reason: absorbed(j) ? 'absorbed' : 'collinear' });
  if (q.dropped.some((j) => j >= one.length + exT.length)) {
    throw new NqpError(
      'NOT_IDENTIFIED',
      'first stage',
      "An endogenous variable's first-stage fit is collinear with the other regressors: the instruments do not " +
        'identify the model. Find an instrument that moves it independently.',
    );
  }
  const resid = Float64Array.from(yT);
  q.kept.forEach((j, c) => {
    const x = Xs[j];
    const b = q.coef[c];
    for (let i = 0; i < n; i++) resid[i] -= x[i] * b;
  });
  // Partial out the exogenous regressors (already FE-absorbed) for the diagnostics.
  const exo = [...one, ...exT];
  const part = (x: Float64Array) => (exo.length ? qrLeastSquares(exo, x, opts.collinTol).resid : x);
  const iv: IvState = {
    endogNames: d.endog.map((e) => e.name),
    instNames,
    Xe: enT.map(part),
    Z: keptInst.map(part),
    kFirst: exo.length + keptInst.length,
  };
  const scoresX = q.kept.map((j) => Xhat[j]);
  return { ...base, names: q.kept.map((j) => names[j]), coef: q.coef, B: q.xtxInv, resid, scoresX, demean, iv };
}
