/**
 * `feols`: least squares and IV-2SLS with any number of absorbed fixed effects, equal to fixest::feols and
 * Stata's reghdfe / ivreghdfe in coefficients, standard errors and degrees of freedom (see core/vcov.ts).
 *
 * Model: y_it = x_it'β + α_{g1(it)} + γ_{g2(it)} + … + ε_it. The fixed effects are absorbed (core/demean.ts);
 * β comes from least squares on the within-transformed data (Frisch–Waugh–Lovell), found by Householder QR.
 * IV: the endogenous regressors are replaced by their first-stage fitted values on [exogenous, instruments].
 */
import { NqpError, closest } from '../errors';
import { tQuantile, tTwoSided, fUpper } from '../math/distributions';
import { invSym, qrLeastSquares, type Mat } from '../math/linalg';
import { connectedComponents, demeanColumns, isNested, singletonMask, type FeGroup } from './core/demean';
import { computeVcov, type ClusterCodes, type VcovKind } from './core/vcov';
import { formulaVariables, parseFormula, type ParsedFormula, type Term } from './formula';
import { ivDiagnostics, type IvDiagnostics } from './iv-diagnostics';

/** Anything with arquero's column access (an arquero Table). */
export interface ColumnSource {
  columnNames(): string[];
  numRows(): number;
  array(name: string): ArrayLike<unknown>;
}

/** `'iid'`, `'hc1'`, `{ cluster: 'city_code' }`, `{ cluster: ['city_code', 'year'] }`, or the CLI strings `'cluster:V'`, `'cluster:V1+V2'`. */
export type VcovSpec = 'iid' | 'hc1' | { cluster: string | string[] } | string;

export interface SmallSampleCorrection {
  /** (n − 1)/(n − K) for cluster, n/(n − K) for hc1, n − K in σ̂² for iid. Default true. */
  adj: boolean;
  /** How fixed effects enter K: 'nested' (default; fixest and reghdfe), 'full', or 'none'. */
  fixefK: 'nested' | 'full' | 'none';
  /** G/(G − 1) with G the smallest number of clusters. Default true. */
  clusterAdj: boolean;
}

export interface FeolsOptions {
  /** Default: clustered by the first fixed effect when there is one (fixest's default), iid otherwise. */
  vcov?: VcovSpec;
  /** 'keep' (default; fixest) or 'drop' singleton groups iteratively (reghdfe's default). */
  singletons?: 'keep' | 'drop';
  /** Panel identifiers for l() and f(). Default { id: 'city_code', time: 'year' }. */
  panel?: { id: string; time: string };
  /** Convergence tolerance of the fixed-effect absorption. Default 1e-10. */
  tol?: number;
  /** Relative norm below which a regressor counts as collinear. Default 1e-10. */
  collinTol?: number;
  /** Confidence level of the intervals. Default 0.95. */
  level?: number;
  ssc?: Partial<SmallSampleCorrection>;
}

export interface CoefRow {
  term: string;
  estimate: number;
  std_error: number;
  statistic: number;
  p_value: number;
  conf_low: number;
  conf_high: number;
}

export interface FeolsResult {
  estimator: 'OLS' | 'IV-2SLS';
  spec: {
    formula: string;
    depvar: string;
    vcov: string;
    ssc: SmallSampleCorrection;
    fixedEffects: string[];
    singletons: 'keep' | 'drop';
    level: number;
  };
  coefficients: CoefRow[];
  vcov: { kind: VcovKind; clusters?: { name: string; count: number }[]; matrix: number[][]; dfT: number; K: number };
  fit: { nObs: number; dfResid: number; r2: number; r2Within: number | null; adjR2: number; rmse: number; waldF: number; waldFPValue: number; waldFDf: [number, number] };
  sample: { used: number; dropped: { reason: string; count: number; keys: string[] }[] };
  droppedTerms: { term: string; reason: 'collinear' | 'absorbed' }[];
  fixedEffects: { name: string; levels: number; nested: boolean }[];
  demean: { iterations: number; converged: boolean };
  firstStage?: IvDiagnostics;
  notes: string[];
  toString(): string;
  toHtml(): string;
}

const DEFAULT_SSC: SmallSampleCorrection = { adj: true, fixefK: 'nested', clusterAdj: true };

/**
 * A column source that hands out each column once and then from a cache. arquero's Table.array() copies a
 * column element by element on every call; an unfiltered, unordered table's own column array is used directly.
 */
export function cachedSource(data: ColumnSource): ColumnSource {
  if ((data as any).__cached) return data;
  const cache = new Map<string, ArrayLike<unknown>>();
  const t = data as any;
  const direct = typeof t.isFiltered === 'function' && typeof t.column === 'function' && !t.isFiltered() && !t.isOrdered();
  const names = data.columnNames();
  const n = data.numRows();
  return {
    __cached: true,
    columnNames: () => names,
    numRows: () => n,
    array(name: string) {
      let a = cache.get(name);
      if (!a) {
        const c = direct ? t.column(name) : undefined;
        a = c && typeof c.length === 'number' && c.length === n ? (c as ArrayLike<unknown>) : data.array(name);
        cache.set(name, a);
      }
      return a;
    },
  } as ColumnSource;
}

/** Normalise a vcov spec to kind + cluster variables. */
export function parseVcov(spec: VcovSpec | undefined, fes: string[][]): { kind: VcovKind; cluster: string[]; label: string } {
  if (spec === undefined) {
    if (fes.length) return { kind: 'cluster', cluster: [fes[0].join('^')], label: `cluster:${fes[0].join('^')}` };
    return { kind: 'iid', cluster: [], label: 'iid' };
  }
  if (typeof spec === 'string') {
    const s = spec.trim();
    if (s === 'iid' || s === 'standard') return { kind: 'iid', cluster: [], label: 'iid' };
    if (s === 'hc1' || s === 'hetero' || s === 'HC1') return { kind: 'hc1', cluster: [], label: 'hc1' };
    const m = /^cluster:\s*(.+)$/.exec(s);
    if (m) {
      const vars = m[1].split('+').map((v) => v.trim()).filter(Boolean);
      if (vars.length) return { kind: 'cluster', cluster: vars, label: `cluster:${vars.join('+')}` };
    }
    throw new NqpError('BAD_OPTION', `vcov "${spec}"`, `Unknown vcov "${spec}". Use iid, hc1, cluster:VAR or cluster:VAR1+VAR2.`);
  }
  if (spec && typeof spec === 'object' && 'cluster' in spec) {
    const vars = Array.isArray(spec.cluster) ? spec.cluster : [spec.cluster];
    if (!vars.length) throw new NqpError('BAD_OPTION', 'vcov', 'vcov: { cluster: [] } names no variable. Give one or two cluster variables.');
    return { kind: 'cluster', cluster: vars, label: `cluster:${vars.join('+')}` };
  }
  throw new NqpError('BAD_OPTION', 'vcov', `Unknown vcov ${JSON.stringify(spec)}. Use 'iid', 'hc1' or { cluster: 'city_code' }.`);
}

function numericColumn(data: ColumnSource, name: string, where: string): Float64Array {
  const a = data.array(name);
  if (a instanceof Float64Array) return a;
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    if (v === null || v === undefined || v === '') { out[i] = NaN; continue; }
    const x = typeof v === 'number' ? v : typeof v === 'boolean' ? Number(v) : Number(v);
    if (Number.isNaN(x) && typeof v === 'string') {
      throw new NqpError('NON_NUMERIC', `${where}, row ${i + 1}`, `Column "${name}" (${where}) holds text ("${String(v).slice(0, 30)}" at row ${i + 1}); a regressor must be numeric. Use it as a fixed effect after "|" instead, or recode it.`);
    }
    out[i] = x;
  }
  return out;
}

/** Key of a categorical value; null/undefined/NaN/'' are missing. */
function catKey(v: unknown): string | null {
  if (v === null || v === undefined || v === '' || (typeof v === 'number' && Number.isNaN(v))) return null;
  return String(v);
}

/** Dense codes for one or several interacted categorical columns over the rows in `rows`. */
const codeCache = new WeakMap<Int32Array, Map<string, { codes: Int32Array; nLevels: number; labels: string[] }>>();

/** codesFor, computed once per (rows, variables): a cluster variable that is also a fixed effect reuses its codes. */
function codesForCached(data: ColumnSource, vars: string[], rows: Int32Array): { codes: Int32Array; nLevels: number; labels: string[] } {
  let m = codeCache.get(rows);
  if (!m) { m = new Map(); codeCache.set(rows, m); }
  const key = vars.join('^');
  let c = m.get(key);
  if (!c) { c = codesFor(data, vars, rows); m.set(key, c); }
  return c;
}

function codesFor(data: ColumnSource, vars: string[], rows: Int32Array): { codes: Int32Array; nLevels: number; labels: string[] } {
  const cols = vars.map((v) => data.array(v));
  const codes = new Int32Array(rows.length);
  const c0 = cols[0];
  if (cols.length === 1 && (c0 instanceof Int32Array || c0 instanceof Float64Array || c0 instanceof Uint8Array || c0 instanceof Uint32Array || c0 instanceof Int16Array)) {
    // Numeric codes (the common case: city_code, year): a numeric map is much faster than string keys.
    const nmap = new Map<number, number>();
    for (let r = 0; r < rows.length; r++) {
      const x = (c0 as Float64Array)[rows[r]];
      let v = nmap.get(x);
      if (v === undefined) { v = nmap.size; nmap.set(x, v); }
      codes[r] = v;
    }
    return { codes, nLevels: nmap.size, labels: [...nmap.keys()].map(String) };
  }
  const map = new Map<string, number>();
  for (let r = 0; r < rows.length; r++) {
    const i = rows[r];
    let key = '';
    for (let c = 0; c < cols.length; c++) key += (c ? '^' : '') + catKey(cols[c][i]);
    let v = map.get(key);
    if (v === undefined) { v = map.size; map.set(key, v); }
    codes[r] = v;
  }
  return { codes, nLevels: map.size, labels: [...map.keys()] };
}

/** Values of a term (variable, lag/lead by panel, log) for every row of the table. */
function termValues(data: ColumnSource, t: Term, panel: { id: string; time: string }, where: string): Float64Array {
  const x = numericColumn(data, t.name, where);
  if (t.kind === 'var') return x;
  if (t.kind === 'log') {
    const out = new Float64Array(x.length);
    for (let i = 0; i < x.length; i++) {
      if (Number.isNaN(x[i])) { out[i] = NaN; continue; }
      if (!(x[i] > 0)) throw new NqpError('NON_POSITIVE_LOG', `${where}, row ${i + 1}`, `log(${t.name}) needs positive values, but row ${i + 1} has ${x[i]}. Fix or drop those rows, or use log(1 + x) as a new column.`);
      out[i] = Math.log(x[i]);
    }
    return out;
  }
  for (const v of [panel.id, panel.time]) {
    if (!data.columnNames().includes(v)) throw new NqpError('UNKNOWN_VARIABLE', `${where}`, `${t.label} needs the panel columns "${panel.id}" and "${panel.time}", but "${v}" is not in the data. Pass { panel: { id, time } }.`);
  }
  const ids = data.array(panel.id);
  const times = numericColumn(data, panel.time, 'panel time');
  const index = new Map<string, number>();
  for (let i = 0; i < x.length; i++) index.set(`${ids[i]}|${times[i]}`, i);
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    // A gap year gives a missing lag, never the wrong year's value.
    const j = index.get(`${ids[i]}|${times[i] - t.k}`);
    out[i] = j === undefined ? NaN : x[j];
  }
  return out;
}

interface Design {
  f: ParsedFormula;
  y: Float64Array;
  exog: { name: string; x: Float64Array }[];
  endog: { name: string; x: Float64Array }[];
  inst: { name: string; x: Float64Array }[];
  rows: Int32Array;
  fes: (FeGroup & { name: string })[];
  clusters: ClusterCodes[];
  dropped: { reason: string; count: number; keys: string[] }[];
}

function rowKey(data: ColumnSource, i: number, panel: { id: string; time: string }): string {
  const names = data.columnNames();
  if (names.includes(panel.id) && names.includes(panel.time)) return `${data.array(panel.id)[i]}-${data.array(panel.time)[i]}`;
  return `row ${i + 1}`;
}

function buildDesign(data: ColumnSource, formula: string, options: FeolsOptions, vc: { kind: VcovKind; cluster: string[] }): Design {
  const f = parseFormula(formula);
  const names = data.columnNames();
  const panel = options.panel ?? { id: 'city_code', time: 'year' };
  const allTerms = [f.lhs, ...f.rhs, ...(f.iv?.endog ?? []), ...(f.iv?.instruments ?? [])];
  allTerms.forEach((t, i) => {
    if (!names.includes(t.name)) {
      const near = closest(t.name, names);
      throw new NqpError('UNKNOWN_VARIABLE', `formula term ${i + 1} ("${t.label}")`, `Column "${t.name}" (formula term ${i + 1}) is not in the data${near ? `; closest is "${near}"` : ''}. Fix the formula or rename the column.`);
    }
  });
  for (const fe of f.fixedEffects) for (const v of fe) {
    if (!names.includes(v)) {
      const near = closest(v, names);
      throw new NqpError('UNKNOWN_VARIABLE', `fixed effect "${fe.join('^')}"`, `Fixed-effect column "${v}" is not in the data${near ? `; closest is "${near}"` : ''}. Fix the formula or rename the column.`);
    }
  }
  for (const c of vc.cluster) for (const v of c.split('^')) {
    if (!names.includes(v)) {
      const near = closest(v, names);
      throw new NqpError('UNKNOWN_VARIABLE', `cluster "${c}"`, `Cluster column "${v}" is not in the data${near ? `; closest is "${near}"` : ''}. Fix the vcov option.`);
    }
  }
  if (f.iv && f.iv.instruments.length < f.iv.endog.length) {
    throw new NqpError('NOT_IDENTIFIED', 'IV part', `${f.iv.endog.length} endogenous variable${f.iv.endog.length > 1 ? 's' : ''} but ${f.iv.instruments.length} instrument${f.iv.instruments.length > 1 ? 's' : ''} (${f.iv.instruments.map((t) => t.label).join(', ')}): the model is not identified. Add an instrument or drop a term.`);
  }
  const n = data.numRows();
  if (n === 0) throw new NqpError('NO_OBSERVATIONS', 'data', 'The data have no rows.');
  const y = termValues(data, f.lhs, panel, 'dependent variable');
  const val = (ts: Term[], what: string) => ts.map((t) => ({ name: t.label, x: termValues(data, t, panel, `${what} "${t.label}"`) }));
  const exog = val(f.rhs, 'regressor');
  const endog = val(f.iv?.endog ?? [], 'endogenous variable');
  const inst = val(f.iv?.instruments ?? [], 'instrument');
  // Missing values: every row missing in any used column is dropped and counted; the keys are kept for reviewers.
  const keep = new Uint8Array(n).fill(1);
  const missKeys: string[] = [];
  let miss = 0;
  const numericCols = [y, ...exog.map((e) => e.x), ...endog.map((e) => e.x), ...inst.map((e) => e.x)];
  const catCols = f.fixedEffects.flat().map((v) => data.array(v));
  for (let i = 0; i < n; i++) {
    let bad = false;
    for (const c of numericCols) if (Number.isNaN(c[i])) { bad = true; break; }
    if (!bad) for (const c of catCols) if (catKey(c[i]) === null) { bad = true; break; }
    if (bad) { keep[i] = 0; miss++; if (missKeys.length < 50) missKeys.push(rowKey(data, i, panel)); }
  }
  const dropped: Design['dropped'] = [];
  if (miss) dropped.push({ reason: 'missing value in a model variable', count: miss, keys: missKeys });
  // Missing cluster values: fixest drops these rows; we do too, and say so.
  const clusterCols = vc.cluster.map((c) => c.split('^').map((v) => data.array(v)));
  let missC = 0;
  const missCKeys: string[] = [];
  for (let i = 0; i < n; i++) {
    if (!keep[i]) continue;
    if (clusterCols.some((cs) => cs.some((c) => catKey(c[i]) === null))) { keep[i] = 0; missC++; if (missCKeys.length < 50) missCKeys.push(rowKey(data, i, panel)); }
  }
  if (missC) dropped.push({ reason: `missing value in cluster variable ${vc.cluster.join(' or ')}`, count: missC, keys: missCKeys });
  let kept = 0;
  for (let i = 0; i < n; i++) kept += keep[i];
  let rows = new Int32Array(kept);
  for (let i = 0, r = 0; i < n; i++) if (keep[i]) rows[r++] = i;
  if (!rows.length) {
    throw new NqpError('NO_OBSERVATIONS', formula, `Every row was dropped: ${miss} of ${n} rows miss a value in ${formulaVariables(f).join(', ')}${missC ? ` and ${missC} miss the cluster variable` : ''}. Check those columns for empty cells.`);
  }
  let fes = f.fixedEffects.map((fe) => ({ name: fe.join('^'), ...codesForCached(data, fe, rows) }));
  if (options.singletons === 'drop' && fes.length) {
    const mask = singletonMask(fes, rows.length);
    let s = 0;
    const sKeys: string[] = [];
    for (let r = 0; r < rows.length; r++) if (mask[r]) { s++; if (sKeys.length < 50) sKeys.push(rowKey(data, rows[r], panel)); }
    if (s) {
      dropped.push({ reason: 'singleton fixed-effect group (dropped, as reghdfe does)', count: s, keys: sKeys });
      rows = rows.filter((_, r) => !mask[r]);
      fes = f.fixedEffects.map((fe) => ({ name: fe.join('^'), ...codesForCached(data, fe, rows) }));
    }
  }
  for (const fe of fes) {
    if (fe.nLevels === 1 && rows.length > 1) {
      throw new NqpError('SINGLE_LEVEL_FE', `fixed effect "${fe.name}"`, `Fixed effect "${fe.name}" has a single level (${fe.labels[0]}) in the estimation sample, so it only absorbs the mean. Drop it from the formula.`);
    }
  }
  const clusters: ClusterCodes[] = vc.cluster.map((c) => ({ name: c, ...codesForCached(data, c.split('^'), rows) }));
  for (const c of clusters) {
    if (c.nLevels < 2) throw new NqpError('BAD_OPTION', `cluster "${c.name}"`, `Cluster variable "${c.name}" has ${c.nLevels} level in the estimation sample; clustering needs at least 2 clusters. Choose another vcov.`);
  }
  const all = rows.length === n;
  const sub = (x: Float64Array) => {
    if (all) return x; // every row used: no copy (nothing downstream writes into these arrays)
    const out = new Float64Array(rows.length);
    for (let r = 0; r < rows.length; r++) out[r] = x[rows[r]];
    return out;
  };
  return {
    f, y: sub(y), exog: exog.map((e) => ({ name: e.name, x: sub(e.x) })), endog: endog.map((e) => ({ name: e.name, x: sub(e.x) })),
    inst: inst.map((e) => ({ name: e.name, x: sub(e.x) })), rows, fes: fes.map((fe) => ({ name: fe.name, codes: fe.codes, nLevels: fe.nLevels })), clusters, dropped,
  };
}

/** Degrees of freedom absorbed by the fixed effects: levels minus redundancies (exact for two, fixest's rule beyond). */
function feDof(fes: FeGroup[]): number {
  if (!fes.length) return 0;
  let dof = fes.reduce((s, f) => s + f.nLevels, 0);
  if (fes.length >= 2) dof -= connectedComponents(fes[0], fes[1]);
  for (let g = 2; g < fes.length; g++) dof -= 1;
  return dof;
}

function sumSq(x: Float64Array, mean = 0): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i] - mean) ** 2;
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
  const data = cachedSource(input);
  const pre = parseFormula(formula);
  const vc = parseVcov(options.vcov, pre.fixedEffects);
  const ssc: SmallSampleCorrection = { ...DEFAULT_SSC, ...options.ssc };
  const level = options.level ?? 0.95;
  const d = buildDesign(data, formula, options, vc);
  const n = d.rows.length;
  const isIV = !!d.f.iv;
  const notes: string[] = [];
  // Absorb fixed effects from every variable in one pass.
  const raw = [d.y, ...d.exog.map((e) => e.x), ...d.endog.map((e) => e.x), ...d.inst.map((e) => e.x)];
  const dm = demeanColumns(raw, d.fes, { tol: options.tol });
  if (!dm.converged) notes.push(`Fixed-effect absorption stopped at ${dm.iterations} iterations without reaching tolerance ${options.tol ?? 1e-10}.`);
  // A column the fixed effects absorb is numerically zero after demeaning (up to rounding): make it exactly zero
  // so the decompositions drop it (regressors are then labelled 'absorbed'; instruments count as unusable).
  for (let c = 1; c < raw.length; c++) {
    if (Math.sqrt(sumSq(dm.out[c])) <= 1e-8 * Math.sqrt(sumSq(raw[c]))) dm.out[c] = new Float64Array(n);
  }
  let col = 0;
  const yT = dm.out[col++];
  const exT = d.exog.map(() => dm.out[col++]);
  const enT = d.endog.map(() => dm.out[col++]);
  const inT = d.inst.map(() => dm.out[col++]);
  const intercept = d.f.intercept && !d.fes.length;
  const ones = new Float64Array(n).fill(1);
  // Regressors of the second stage: [intercept?, exogenous, endogenous].
  const names = [...(intercept ? ['(Intercept)'] : []), ...d.exog.map((e) => e.name), ...d.endog.map((e) => e.name)];
  const Xs = [...(intercept ? [ones] : []), ...exT, ...enT];
  const rawX = [...(intercept ? [ones] : []), ...d.exog.map((e) => e.x), ...d.endog.map((e) => e.x)];
  const collinTol = options.collinTol ?? 1e-10;
  const droppedTerms: FeolsResult['droppedTerms'] = [];
  const absorbed = (j: number) => {
    const r = Math.sqrt(sumSq(Xs[j])), o = Math.sqrt(sumSq(rawX[j]));
    return o > 0 && r <= 1e-8 * o;
  };
  let kept: number[];
  let coef: Float64Array;
  let B: Mat;
  let resid: Float64Array;
  let scoresX: Float64Array[];
  let iv: IvDiagnostics | undefined;
  const fedof = feDof(d.fes);
  if (!isIV) {
    if (n <= Xs.length + fedof && Xs.length > 0) {
      throw new NqpError('TOO_FEW_OBSERVATIONS', formula, `${Xs.length} regressors and ${fedof} fixed-effect parameters but only ${n} observations: nothing is left to estimate the error variance. Use fewer regressors or more data.`);
    }
    const q = qrLeastSquares(Xs, yT, collinTol);
    for (const j of q.dropped) droppedTerms.push({ term: names[j], reason: absorbed(j) ? 'absorbed' : 'collinear' });
    kept = q.kept;
    coef = q.coef;
    B = q.xtxInv;
    resid = q.resid;
    scoresX = kept.map((j) => Xs[j]);
  } else {
    // Instruments of the first stage: [intercept?, exogenous, excluded instruments].
    const Zall = [...(intercept ? [ones] : []), ...exT, ...inT];
    const zq = qrLeastSquares(Zall, Zall[0] ?? ones, collinTol);
    const nExogZ = (intercept ? 1 : 0) + exT.length;
    const droppedInst = zq.dropped.filter((j) => j >= nExogZ).map((j) => d.inst[j - nExogZ].name);
    const keptInst = inT.filter((_, j) => !zq.dropped.includes(nExogZ + j));
    const keptInstNames = d.inst.map((e) => e.name).filter((nm) => !droppedInst.includes(nm));
    if (keptInst.length < enT.length) {
      throw new NqpError('NOT_IDENTIFIED', 'first stage', `The instruments (${d.inst.map((e) => e.name).join(', ')}) are collinear with the exogenous regressors or fixed effects${droppedInst.length ? ` (${droppedInst.join(', ')} add nothing)` : ''}: ${keptInst.length} usable instrument${keptInst.length === 1 ? '' : 's'} for ${enT.length} endogenous variable${enT.length > 1 ? 's' : ''}. The first stage does not identify the model; find an instrument that varies within the fixed effects.`);
    }
    if (droppedInst.length) notes.push(`Instrument${droppedInst.length > 1 ? 's' : ''} ${droppedInst.join(', ')} dropped as collinear.`);
    const Z = [...(intercept ? [ones] : []), ...exT, ...keptInst];
    // First stage fitted values for each endogenous variable.
    const fitted = enT.map((x) => {
      const fq = qrLeastSquares(Z, x, collinTol);
      const r = fq.resid;
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = x[i] - r[i];
      return out;
    });
    const Xhat = [...(intercept ? [ones] : []), ...exT, ...fitted];
    const q = qrLeastSquares(Xhat, yT, collinTol);
    for (const j of q.dropped) droppedTerms.push({ term: names[j], reason: absorbed(j) ? 'absorbed' : 'collinear' });
    if (q.dropped.some((j) => j >= (intercept ? 1 : 0) + exT.length)) {
      throw new NqpError('NOT_IDENTIFIED', 'first stage', `An endogenous variable's first-stage fit is collinear with the other regressors: the instruments do not identify the model. Find an instrument that moves it independently.`);
    }
    kept = q.kept;
    coef = q.coef;
    B = q.xtxInv;
    // Structural residuals use the actual endogenous regressors.
    resid = Float64Array.from(yT);
    kept.forEach((j, c) => { const x = Xs[j]; const b = coef[c]; for (let i = 0; i < n; i++) resid[i] -= x[i] * b; });
    scoresX = kept.map((j) => Xhat[j]);
    // Partial out the exogenous regressors (already FE-absorbed) for the diagnostics.
    const exo = [...(intercept ? [ones] : []), ...exT];
    const part = (x: Float64Array) => (exo.length ? qrLeastSquares(exo, x, collinTol).resid : x);
    const Xe = enT.map(part);
    const Zp = keptInst.map(part);
    const kFirst = exo.length + keptInst.length;
    iv = ivDiagnostics({
      endogNames: d.endog.map((e) => e.name), instNames: keptInstNames, Xe, Z: Zp, u: resid, kind: vc.kind, clusters: d.clusters, n,
      smallFactor: smallFactor(vc.kind, n, kFirst + kForFe(), d.clusters, ssc),
      dfT: vc.kind === 'cluster' ? Math.min(...d.clusters.map((c) => c.nLevels)) - 1 : n - kFirst - kForFe(),
      lAll: kFirst + fedof,
    });
  }
  function kForFe(): number {
    if (ssc.fixefK === 'none') return 0;
    if (ssc.fixefK === 'full' || vc.kind !== 'cluster') return fedof;
    // Nested: fixed effects nested in a cluster variable are not counted (their levels minus the one they share).
    let k = fedof;
    for (const fe of d.fes) if (d.clusters.some((c) => isNested(fe, c.codes))) k -= fe.nLevels - 1;
    return k;
  }
  const K = kept.length + kForFe();
  const nestedInfo = d.fes.map((fe) => ({ name: fe.name, levels: fe.nLevels, nested: vc.kind === 'cluster' && d.clusters.some((c) => isNested(fe, c.codes)) }));
  const V = computeVcov(vc.kind, scoresX, resid, B, n, ssc.adj ? K : 0, d.clusters);
  if (!ssc.adj || !ssc.clusterAdj) adjustFactor(V, vc.kind, n, K, d.clusters, ssc);
  const keptNames = kept.map((j) => names[j]);
  const tq = tQuantile(1 - (1 - level) / 2, V.dfT);
  const coefficients: CoefRow[] = keptNames.map((term, c) => {
    const se = Math.sqrt(V.matrix[c][c]);
    const t = coef[c] / se;
    return { term, estimate: coef[c], std_error: se, statistic: t, p_value: tTwoSided(t, V.dfT), conf_low: coef[c] - tq * se, conf_high: coef[c] + tq * se };
  });
  // Fit statistics: R² on the original y, within R² on the absorbed y (fixest's definitions).
  const rss = sumSq(resid);
  const ybar = d.y.reduce((s, v) => s + v, 0) / n;
  const tss = sumSq(d.y, ybar);
  const r2 = 1 - rss / tss;
  const r2Within = d.fes.length ? 1 - rss / sumSq(yT) : null;
  const kFull = kept.length + fedof;
  const adjR2 = 1 - (1 - r2) * (n - (intercept || d.fes.length ? 1 : 0)) / (n - kFull);
  const testIdx = keptNames.map((nm, i) => (nm === '(Intercept)' ? -1 : i)).filter((i) => i >= 0);
  let waldF = NaN;
  if (testIdx.length) {
    const Vs = testIdx.map((a) => testIdx.map((b) => V.matrix[a][b]));
    const Vi = invSym(Vs);
    let w = 0;
    for (let a = 0; a < testIdx.length; a++) for (let b = 0; b < testIdx.length; b++) w += coef[testIdx[a]] * Vi[a][b] * coef[testIdx[b]];
    waldF = w / testIdx.length;
  }
  if (droppedTerms.length) notes.push(`Dropped: ${droppedTerms.map((t) => `${t.term} (${t.reason})`).join(', ')}.`);
  for (const dr of d.dropped) notes.push(`${dr.count} observation${dr.count > 1 ? 's' : ''} dropped: ${dr.reason}.`);
  const result: FeolsResult = {
    estimator: isIV ? 'IV-2SLS' : 'OLS',
    spec: { formula, depvar: d.f.lhs.label, vcov: vc.label, ssc, fixedEffects: d.fes.map((f) => f.name), singletons: options.singletons ?? 'keep', level },
    coefficients,
    vcov: { kind: vc.kind, clusters: V.clusters, matrix: V.matrix, dfT: V.dfT, K },
    fit: { nObs: n, dfResid: n - kFull, r2, r2Within, adjR2, rmse: Math.sqrt(rss / n), waldF, waldFPValue: fUpper(waldF, testIdx.length, V.dfT), waldFDf: [testIdx.length, V.dfT] },
    sample: { used: n, dropped: d.dropped },
    droppedTerms,
    fixedEffects: nestedInfo,
    demean: { iterations: dm.iterations, converged: dm.converged },
    firstStage: iv,
    notes,
    toString() { return resultText(this); },
    toHtml() { return resultHtml(this); },
  };
  // Kept out of JSON: what re-computing the vcov without refitting needs.
  Object.defineProperty(result, '_design', { value: { scoresX, resid, B, n, kept: kept.length, fedof, fes: d.fes, rows: d.rows, data }, enumerable: false });
  return result;
}

function smallFactor(kind: VcovKind, n: number, K: number, clusters: ClusterCodes[], ssc: SmallSampleCorrection): number {
  if (kind === 'iid') return ssc.adj ? 1 / (n - K) : 1 / n;
  if (kind === 'hc1') return ssc.adj ? n / (n - K) : 1;
  const g = Math.min(...clusters.map((c) => c.nLevels));
  return (ssc.adj ? (n - 1) / (n - K) : 1) * (ssc.clusterAdj ? g / (g - 1) : 1);
}

function adjustFactor(V: { matrix: Mat; factor: number }, kind: VcovKind, n: number, K: number, clusters: ClusterCodes[], ssc: SmallSampleCorrection): void {
  const want = smallFactor(kind, n, K, clusters, ssc);
  const r = want / V.factor;
  V.matrix = V.matrix.map((row) => row.map((x) => x * r));
  V.factor = want;
}

/**
 * The same model with another vcov (as fixest's summary(m, vcov = ...)). It refits the specification on the same
 * data, which costs milliseconds at the paper's size and keeps the IV diagnostics consistent with the new vcov.
 */
export function withVcov(m: FeolsResult, vcov: VcovSpec, ssc?: Partial<SmallSampleCorrection>): FeolsResult {
  return feols((m as any)._design.data, m.spec.formula, { vcov, ssc: { ...m.spec.ssc, ...ssc }, singletons: m.spec.singletons, level: m.spec.level });
}

function fmt(x: number, d = 4): string {
  if (!Number.isFinite(x)) return '—';
  if (x !== 0 && (Math.abs(x) < 1e-4 || Math.abs(x) >= 1e6)) return x.toExponential(d - 1);
  return x.toFixed(d);
}

function header(m: FeolsResult): string[] {
  const se = m.vcov.kind === 'cluster' ? `clustered by ${m.vcov.clusters!.map((c) => `${c.name} (${c.count})`).join(' and ')}` : m.vcov.kind === 'hc1' ? 'heteroskedasticity-robust (HC1)' : 'iid';
  return [
    `${m.estimator}: ${m.spec.formula}`,
    `Outcome ${m.spec.depvar}; N = ${m.fit.nObs}${m.fixedEffects.length ? `; fixed effects: ${m.fixedEffects.map((f) => `${f.name} (${f.levels})`).join(', ')}` : ''}; SE: ${se}`,
  ];
}

function resultText(m: FeolsResult): string {
  const rows = m.coefficients.map((c) => `${c.term.padEnd(18)} ${fmt(c.estimate).padStart(11)} ${fmt(c.std_error).padStart(10)} ${fmt(c.statistic, 3).padStart(8)} ${fmt(c.p_value, 4).padStart(8)}`);
  return [
    ...header(m),
    `${'term'.padEnd(18)} ${'estimate'.padStart(11)} ${'std.error'.padStart(10)} ${'t'.padStart(8)} ${'p'.padStart(8)}`,
    ...rows,
    `R² ${fmt(m.fit.r2)}${m.fit.r2Within !== null ? `, within R² ${fmt(m.fit.r2Within)}` : ''}, adj. R² ${fmt(m.fit.adjR2)}; RMSE ${fmt(m.fit.rmse)}`,
    ...m.notes,
  ].join('\n');
}

function resultHtml(m: FeolsResult): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const [h1, h2] = header(m);
  const body = m.coefficients.map((c) => `<tr><td>${esc(c.term)}</td><td>${fmt(c.estimate)}</td><td>${fmt(c.std_error)}</td><td>${fmt(c.statistic, 3)}</td><td>${fmt(c.p_value)}</td><td>[${fmt(c.conf_low)}, ${fmt(c.conf_high)}]</td></tr>`).join('');
  return `<table><caption>${esc(h1)}<br><small>${esc(h2)}</small></caption><thead><tr><th>Term</th><th>Estimate</th><th>Std. error</th><th>t</th><th>p</th><th>${Math.round(m.spec.level * 100)}% CI</th></tr></thead><tbody>${body}</tbody><tfoot><tr><td colspan="6">R² ${fmt(m.fit.r2)}${m.fit.r2Within !== null ? `; within R² ${fmt(m.fit.r2Within)}` : ''}; adj. R² ${fmt(m.fit.adjR2)}. ${esc(m.notes.join(' '))}</td></tr></tfoot></table>`;
}

/** Coefficient by term (throws a clear error for an unknown term). */
export function coef(m: FeolsResult, term: string): CoefRow {
  const r = m.coefficients.find((c) => c.term === term);
  if (!r) throw new NqpError('UNKNOWN_VARIABLE', `term "${term}"`, `The model has no coefficient "${term}"; it has ${m.coefficients.map((c) => c.term).join(', ')}.`);
  return r;
}
