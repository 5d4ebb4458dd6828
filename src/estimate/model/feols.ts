import { sourceOf } from '../../data/provenance';
/**
 * `feols`: least squares and IV-2SLS with any number of absorbed fixed effects, equal to fixest::feols in
 * coefficients, standard errors and degrees of freedom (and to reghdfe with `ssc: { preset: 'reghdfe' }`).
 *
 * Model: y_it = x_it'β + α_{g1(it)} + γ_{g2(it)} + … + ε_it. The steps have one file each: design.ts (columns,
 * rows, codes), fit.ts (absorption, QR, 2SLS), core/fe-dof.ts (fixed-effect parameters in K), core/vcov.ts (the
 * sandwich and the small-sample factor). This file joins them and builds the result; `withVcov` reuses the
 * stored fit state to recompute standard errors without refitting.
 */
import { NqpError } from '../../errors';
import { fUpper, tQuantile, tTwoSided } from '../../math/distributions';
import { waldForm } from '../../math/linalg';
import { cachedSource, type ColumnSource } from './columns';
import { feDof } from '../vcov/fe-dof';
import {
  type ClusterCodes,
  clusterCodes,
  clusterParts,
  minClusters,
  rowsMissingCluster,
  smallSample,
} from '../vcov/rule';
import { computeVcov } from '../vcov/sandwich';
import { buildDesign } from './design';
import { PARALLEL_MIN_CELLS, prepareDemeanWorker, rowSplit } from './demean-parallel';
import { fitDesign, sumsOfSquares, type FitState } from './fit';
import { reduceRows } from '../../math/row-kernels';
import { parseFormula } from './formula';
import { ivDiagnostics } from '../iv/diagnostics';
import { validateOptions } from './options';
import {
  DEFAULT_SSC,
  type CoefRow,
  type FeolsOptions,
  type FeolsResult,
  type SmallSampleCorrection,
  type VcovSpec,
} from './types';
import { resolveVcov, type ResolvedVcov } from '../vcov/spec';

/** Below this many clusters, cluster-robust t tests over-reject (Cameron & Miller 2015). */
export const FEW_CLUSTERS = 30;

const states = new WeakMap<FeolsResult, FitState>();

/** The fit state behind a result (for FWL pictures and standardised effects); throws for a copied result. */
export function fitState(m: FeolsResult): FitState {
  const s = states.get(m);
  if (!s) {
    throw new NqpError(
      'NO_FIT_STATE',
      'model',
      'This model result carries no fit state (it was copied or read from JSON). Use the object feols returned.',
    );
  }
  return s;
}

/**
 * Fit a linear model with absorbed fixed effects, by OLS or IV-2SLS.
 *
 * @example
 * const m = feols(panel, 'resilience ~ nqp + lnpgdp + open | city_code + year', { vcov: { cluster: 'city_code' } });
 * const iv = feols(panel, 'resilience ~ lnpgdp | city_code + year | nqp ~ iv_post');
 */
export function feols(input: ColumnSource, formula: string, options: FeolsOptions = {}): FeolsResult {
  return fitModel(input, formula, options, true);
}

/**
 * feols without the IV diagnostics (`firstStage` is left out; every other field is feols's): for loops of fits
 * that read only the coefficient table (study/monte-carlo.ts). Not part of the package's interface.
 */
export function feolsLean(input: ColumnSource, formula: string, options: FeolsOptions = {}): FeolsResult {
  return fitModel(input, formula, options, false);
}

function fitModel(input: ColumnSource, formula: string, options: FeolsOptions, diagnostics: boolean): FeolsResult {
  validateOptions(options);
  const data = cachedSource(input);
  const f = parseFormula(formula);
  const vc = resolveVcov(options.vcov, f.fixedEffects);
  const ssc: SmallSampleCorrection = { ...DEFAULT_SSC, ...options.ssc };
  const resolved = {
    // No default keys: the estimator does not know the study (studyPanel passes its own, study.panel).
    panel: options.panel ?? null,
    tol: options.tol ?? 1e-10,
    collinTol: options.collinTol ?? 1e-10,
    singletons: options.singletons ?? 'keep',
  };
  // A large absorption runs on two threads: start the worker now, so its start-up overlaps building the design.
  if (f.fixedEffects.length && data.numRows() * (f.rhs.length + 1) >= PARALLEL_MIN_CELLS) prepareDemeanWorker();
  const d = buildDesign(data, f, resolved, vc);
  const feParams = feDof({ fes: d.fes, clusters: [], fixefK: 'full', preset: ssc.preset }).full;
  const state = fitDesign(data, d, { tol: resolved.tol, collinTol: resolved.collinTol, feParams });
  const spec: FeolsResult['spec'] = {
    formula,
    depvar: f.lhs.label,
    vcov: vc.label,
    ssc,
    fixedEffects: d.fes.map((fe) => fe.name),
    singletons: resolved.singletons,
    level: options.level ?? 0.95,
    panel: resolved.panel,
    tol: resolved.tol,
  };
  const result = assemble(state, spec, vc, d.clusters, diagnostics);
  const source = sourceOf(input);
  // Set on the result itself: the fit state is keyed by this object (withVcov needs it).
  if (source) result.provenance = { ...source, builtBy: `feols(…, '${formula}')` };
  return result;
}

/**
 * The same model with another vcov or small-sample correction (as fixest's `summary(m, vcov = ...)`), computed
 * from the stored fit: no refit, and every other option (panel, tolerance, singletons, level) is kept.
 */
export function withVcov(m: FeolsResult, vcov: VcovSpec, ssc?: Partial<SmallSampleCorrection>): FeolsResult {
  const state = fitState(m);
  if (ssc !== undefined) validateOptions({ ssc });
  const vc = resolveVcov(vcov, state.formula.fixedEffects);
  const clusters = vc.cluster.map((c) => clusterCodesOf(state, c));
  const spec = { ...m.spec, vcov: vc.label, ssc: { ...m.spec.ssc, ...ssc } };
  const result = assemble(state, spec, vc, clusters);
  if (m.provenance) result.provenance = m.provenance;
  return result;
}

/**
 * Codes of a cluster variable (`a` or `a^b`) over a fitted model's rows, compared as text; every row must have
 * one (a stored fit cannot drop rows).
 */
export function clusterCodesOf(state: FitState, c: string): ClusterCodes {
  const rows = state.design.rows;
  const names = state.data.columnNames();
  for (const v of clusterParts(c)) {
    if (!names.includes(v)) {
      throw new NqpError('UNKNOWN_VARIABLE', `cluster "${c}"`, `Cluster column "${v}" is not in the data.`);
    }
  }
  if (rowsMissingCluster(state.data, c, rows).length) {
    throw new NqpError(
      'MISSING_CLUSTER',
      `cluster "${c}"`,
      `Cluster variable "${c}" is missing in some rows of the estimation sample; a stored fit cannot drop rows. ` +
        'Refit with feols(..., { vcov }) so the rows are dropped and counted.',
    );
  }
  return clusterCodes(state.data, c, rows);
}

function assemble(
  s: FitState,
  spec: FeolsResult['spec'],
  vc: ResolvedVcov,
  clusters: ClusterCodes[],
  diagnostics = true,
): FeolsResult {
  const { n, names, coef } = s;
  const { ssc, level } = spec;
  const fes = s.design.fes;
  const dof = feDof({ fes, clusters: vc.kind === 'cluster' ? clusters : [], fixefK: ssc.fixefK, preset: ssc.preset });
  const K = names.length + dof.k;
  const split = rowSplit();
  const V = computeVcov(vc.kind, s.scoresX, s.resid, s.B, n, K, clusters, ssc, split);
  const warnings: string[] = [];
  // Fit statistics: R² on the original y, within R² on the absorbed y (fixest's definitions).
  const [rss, tssWithin] = sumsOfSquares(split, [s.resid, s.yT]);
  const ybar = reduceRows(split, { kind: 'sum', cols: [s.y] })[0] / n;
  const tss = sumsOfSquares(split, [s.y], [ybar])[0];
  // Residuals at rounding level: every standard error is rounding noise, so no test is reported.
  const perfect = names.length > 0 && rss <= 1e-20 * Math.max(tss, tssWithin, 1e-300);
  const tq = tQuantile(1 - (1 - level) / 2, V.dfT);
  const coefficients: CoefRow[] = names.map((term, c) => {
    const se = Math.sqrt(V.matrix[c][c]);
    // A zero or undefined standard error makes t infinite and p zero: report them as missing, never as p = 0.
    const ok = !perfect && se > 0 && Number.isFinite(se);
    const t = ok ? coef[c] / se : NaN;
    return {
      term,
      estimate: coef[c],
      // Under a perfect fit the residual variance is zero, so is the SE (NIST certifies 0 for Wampler 1–2); what
      // the sandwich gives there is rounding noise.
      std_error: perfect ? 0 : Number.isFinite(se) ? se : NaN,
      statistic: t,
      p_value: ok ? tTwoSided(t, V.dfT) : NaN,
      conf_low: ok ? coef[c] - tq * se : NaN,
      conf_high: ok ? coef[c] + tq * se : NaN,
    };
  });
  const r2 = 1 - rss / tss;
  const r2Within = fes.length ? 1 - rss / tssWithin : null;
  const kFull = names.length + dof.full;
  const adjR2 = 1 - ((1 - r2) * (n - (s.intercept || fes.length ? 1 : 0))) / (n - kFull);
  const testIdx = names.map((nm, i) => (nm === '(Intercept)' ? -1 : i)).filter((i) => i >= 0);
  const waldF =
    testIdx.length && !perfect
      ? waldForm(
          testIdx.map((i) => coef[i]),
          testIdx.map((a) => testIdx.map((b) => V.matrix[a][b])),
        ) / testIdx.length
      : NaN;
  if (perfect) {
    warnings.push('Perfect fit: the residuals are zero, so SEs are zero and t, p and the intervals are missing.');
  } else if (coefficients.some((c) => Number.isNaN(c.p_value))) {
    warnings.push(
      `Standard error zero or undefined for ${coefficients
        .filter((c) => Number.isNaN(c.p_value))
        .map((c) => c.term)
        .join(', ')}: t, p and the interval are reported as missing.`,
    );
  }
  if (vc.kind === 'cluster') {
    const g = minClusters(clusters);
    if (g < FEW_CLUSTERS) {
      warnings.push(
        `Only ${g} clusters${clusters.length > 1 ? ' in the smaller clustering' : ''}: cluster-robust t tests ` +
          'over-reject with fewer than 30; check the p-values with wildBootstrap (restricted wild cluster bootstrap).',
      );
    }
  }
  // The key spelling rule's facts: the design's keys, and a cluster variable withVcov brings in.
  const keyNotes = [...new Set([...s.design.notes, ...clusters.flatMap((c) => c.notes ?? [])])];
  warnings.unshift(...new Set([...s.design.warnings, ...clusters.flatMap((c) => c.warnings ?? [])]));
  const made = s.design.dropped.filter((d) => d.reason.startsWith('non-finite'));
  const madeNotes = made.map((d) => `${d.count} observation${d.count > 1 ? 's' : ''} dropped: ${d.reason}.`);
  const formulaNotes = s.formula.notes ?? [];
  const notes = [...formulaNotes, ...keyNotes, ...s.notes];
  if (s.droppedTerms.length) {
    notes.push(`Dropped: ${s.droppedTerms.map((t) => `${t.term} (${t.reason})`).join(', ')}.`);
  }
  for (const dr of s.design.dropped) {
    notes.push(`${dr.count} observation${dr.count > 1 ? 's' : ''} dropped: ${dr.reason}.`);
  }
  let firstStage: FeolsResult['firstStage'];
  if (s.iv && diagnostics) {
    const kFirst = s.iv.kFirst + dof.k;
    const ss = smallSample(vc.kind, n, kFirst, minClusters(clusters), ssc);
    firstStage = ivDiagnostics({
      ...s.iv,
      u: s.resid,
      kind: vc.kind,
      clusters,
      n,
      smallFactor: ss.factor,
      dfT: ss.dfT,
      lAll: s.iv.kFirst + dof.full,
      lAllK: s.iv.kFirst + dof.k,
      ssc,
    });
  }
  const result: FeolsResult = {
    estimator: s.iv ? 'IV-2SLS' : 'OLS',
    spec,
    coefficients,
    vcov: { kind: vc.kind, clusters: V.clusters, matrix: V.matrix, dfT: V.dfT, K, factor: V.factor },
    fit: {
      nObs: n,
      dfResid: n - kFull,
      r2,
      r2Within,
      adjR2,
      rmse: Math.sqrt(rss / n),
      waldF,
      waldFPValue: fUpper(waldF, testIdx.length, V.dfT),
      waldFDf: [testIdx.length, V.dfT],
    },
    sample: { used: n, dropped: s.design.dropped },
    droppedTerms: s.droppedTerms,
    fixedEffects: fes.map((fe, g) => ({
      name: fe.name,
      levels: fe.nLevels,
      redundant: dof.table[g].redundant,
      counted: dof.table[g].counted,
      nested: dof.nested[g],
    })),
    demean: s.demean,
    firstStage,
    notes,
    warnings,
    cautions: [...formulaNotes, ...keyNotes, ...madeNotes, ...s.cautions],
  };
  states.set(result, s);
  return result;
}

/** Coefficient by term (throws a clear error for an unknown term). */
export function coef(m: FeolsResult, term: string): CoefRow {
  const r = m.coefficients.find((c) => c.term === term);
  if (!r) {
    throw new NqpError(
      'UNKNOWN_VARIABLE',
      `term "${term}"`,
      `The model has no coefficient "${term}"; it has ${m.coefficients.map((c) => c.term).join(', ')}.`,
    );
  }
  return r;
}
