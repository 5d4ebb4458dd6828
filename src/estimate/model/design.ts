/**
 * The design of a model: the formula's terms as numeric columns (lags by panel keys, logs), the rows used (every
 * drop counted: missing values, missing cluster values, singletons), and integer codes of the fixed effects and
 * cluster variables over those rows. No arithmetic on the model happens here.
 */
import { closest, NqpError } from '../../errors';
import {
  catMissing,
  codesForAllRows,
  codesForCached,
  type ColumnSource,
  MAX_ABS_VALUE,
  newDesign,
  noteScan,
  readInRange,
} from './columns';
import { dropCodes, dropMissing, dropNaN, dropNonFinite, inRange, keptRows, newlyDropped, range } from './design-rows';
import { singletonMask, type FeGroup } from './demean';
import { keyCodesOf, planAhead, rowSplit } from './demean-parallel';
import { reduceRows } from '../../math/row-kernels';
import { type ClusterCodes, clusterCodes, clusterParts, type VcovKind } from '../vcov/rule';
import { formulaVariables, termVariables, type ParsedFormula, type Term } from './formula';
import { factorValues, termColumns, type TermColumn } from './term-values';
import type { PanelKeys } from './types';

export interface Design {
  f: ParsedFormula;
  y: Float64Array;
  exog: { name: string; x: Float64Array }[];
  endog: { name: string; x: Float64Array }[];
  inst: { name: string; x: Float64Array }[];
  rows: Int32Array;
  fes: (FeGroup & { name: string })[];
  clusters: ClusterCodes[];
  dropped: { reason: string; count: number; keys: string[] }[];
  /** Facts that change how a number reads (merged key spellings), for result.notes. */
  notes: string[];
  /** Named warnings (key codes equal as numbers but spelled differently), for result.warnings. */
  warnings: string[];
}

function hasLag(t: Term): boolean {
  if (t.kind === 'lag') return true;
  if (t.kind === 'interact') return t.parts.some(hasLag);
  return t.kind === 'i' && !!t.x && hasLag(t.x);
}

/**
 * Rows where a term's value is non-finite although its inputs are present (1/0 in I(x^-1), log(0), an overflowing
 * product): fixest drops them; so do we, counted per term. A lag's NaN is a missing period, not made.
 */
function dropMadeNonFinite(
  data: ColumnSource,
  keep: Uint8Array,
  terms: { t: Term; cols: TermColumn[] }[],
  key: (i: number) => string,
): Design['dropped'] {
  const out: Design['dropped'] = [];
  for (const { t, cols } of terms) {
    const vars = termVariables(t).map((v) => data.array(v));
    const lagged = hasLag(t);
    let count = 0;
    const keys: string[] = [];
    for (const { x } of cols) count += dropNonFinite(keep, x, vars, lagged, key, keys);
    if (count)
      out.push({
        reason: `non-finite value made by formula term "${t.label}" (division by zero, log(0) or overflow)`,
        count,
        keys,
      });
  }
  return out;
}

/** Clear keep[i] wherever `missing(col[i])`: one column at a time, so each loop sees one array type. */
function dropWhere(keep: Uint8Array, col: ArrayLike<unknown>, missing: (v: unknown) => boolean): void {
  // Numbers: missing means NaN under both rules. Each loop is a function of its own (design-rows.ts), so each is
  // optimised for its one kind of column.
  if (col instanceof Float64Array && (missing === Number.isNaN || missing === catMissing)) dropNaN(keep, col);
  else dropMissing(keep, col, missing);
}

/**
 * Clear keep[i] where key column `v` is missing. An interned text column is read through its codes (missing: code
 * −1, or a label the rule calls missing), so its million strings are never made.
 */
function dropMissingKey(keep: Uint8Array, data: ColumnSource, v: string): void {
  const fac = data.factor?.(v);
  if (fac)
    dropCodes(
      keep,
      fac.codes,
      Uint8Array.from(fac.labels, (l) => (catMissing(l) ? 1 : 0)),
    );
  else dropWhere(keep, data.array(v), catMissing);
}

export function rowKey(data: ColumnSource, i: number, panel: PanelKeys | null): string {
  const names = data.columnNames();
  if (panel && names.includes(panel.id) && names.includes(panel.time))
    return `${data.array(panel.id)[i]}-${data.array(panel.time)[i]}`;
  return `row ${i + 1}`;
}

export function buildDesign(
  data: ColumnSource,
  f: ParsedFormula,
  options: { panel: PanelKeys | null; singletons: 'keep' | 'drop' },
  vc: { kind: VcovKind; cluster: string[] },
): Design {
  const formula = f.text;
  newDesign();
  const names = data.columnNames();
  const panel = options.panel;
  const rhsNames = [...f.rhs, ...(f.iv?.endog ?? [])].map((t) => t.label);
  if (rhsNames.includes(f.lhs.label)) {
    throw new NqpError(
      'OUTCOME_ON_RHS',
      `formula term "${f.lhs.label}"`,
      `The outcome "${f.lhs.label}" also stands on the right-hand side, which fits perfectly and says nothing. ` +
        'Remove it from the regressors.',
    );
  }
  const allTerms = [f.lhs, ...f.rhs, ...(f.iv?.endog ?? []), ...(f.iv?.instruments ?? [])];
  allTerms.forEach((t, i) => {
    for (const v of termVariables(t)) {
      if (names.includes(v)) continue;
      const near = closest(v, names);
      throw new NqpError(
        'UNKNOWN_VARIABLE',
        `formula term ${i + 1} ("${t.label}")`,
        `Column "${v}" (formula term ${i + 1}) is not in the data${near ? `; closest is "${near}"` : ''}. Fix ` +
          `the formula or rename the column.`,
      );
    }
  });
  for (const fe of f.fixedEffects)
    for (const v of fe) {
      if (!names.includes(v)) {
        const near = closest(v, names);
        throw new NqpError(
          'UNKNOWN_VARIABLE',
          `fixed effect "${fe.join('^')}"`,
          `Fixed-effect column "${v}" is not in the data${near ? `; closest is "${near}"` : ''}. Fix the formula ` +
            `or rename the column.`,
        );
      }
    }
  for (const c of vc.cluster)
    for (const v of clusterParts(c)) {
      if (!names.includes(v)) {
        const near = closest(v, names);
        throw new NqpError(
          'UNKNOWN_VARIABLE',
          `cluster "${c}"`,
          `Cluster column "${v}" is not in the data${near ? `; closest is "${near}"` : ''}. Fix the vcov option.`,
        );
      }
    }
  if (f.iv && f.iv.instruments.length < f.iv.endog.length) {
    throw new NqpError(
      'NOT_IDENTIFIED',
      'IV part',
      `${f.iv.endog.length} endogenous variable${f.iv.endog.length > 1 ? 's' : ''} but ${f.iv.instruments.length} ` +
        `instrument${f.iv.instruments.length > 1 ? 's' : ''} (${f.iv.instruments.map((t) => t.label).join(', ')}): ` +
        `the model is not identified. Add an instrument or drop a term.`,
    );
  }
  const n = data.numRows();
  if (n === 0) throw new NqpError('NO_OBSERVATIONS', 'data', 'The data have no rows.');
  if (f.lhs.kind === 'i' || f.lhs.kind === 'interact') {
    throw new NqpError('FORMULA_SYNTAX', 'dependent variable', 'The dependent variable must be one column.');
  }
  prescan(data, f);
  const y = factorValues(data, f.lhs, panel, 'dependent variable');
  const val = (ts: Term[], what: string) =>
    ts.map((t) => ({ t, cols: termColumns(data, t, panel, `${what} "${t.label}"`) }));
  const rhsT = val(f.rhs, 'regressor');
  const endogT = val(f.iv?.endog ?? [], 'endogenous variable');
  const instT = val(f.iv?.instruments ?? [], 'instrument');
  const exog = rhsT.flatMap((p) => p.cols);
  const endog = endogT.flatMap((p) => p.cols);
  const inst = instT.flatMap((p) => p.cols);
  const keep = new Uint8Array(n).fill(1);
  const numericCols = [y, ...exog.map((e) => e.x), ...endog.map((e) => e.x), ...inst.map((e) => e.x)];
  // Columns whose every value is finite and within ±MAX_ABS_VALUE (the usual case) need none of the checks below.
  const clean = numericCols.map((x) => readInRange(x) || inRange(x));
  const made = dropMadeNonFinite(
    data,
    keep,
    [{ t: f.lhs, cols: [{ name: f.lhs.label, x: y }] }, ...rhsT, ...endogT, ...instT].map((p) => ({
      ...p,
      cols: p.cols.filter((c) => !clean[numericCols.indexOf(c.x)]),
    })),
    (i) => rowKey(data, i, panel),
  );
  // Missing values: every row missing in any used column is dropped and counted; the keys are kept for reviewers.
  const afterMade = keep.slice();
  numericCols.forEach((c, j) => {
    if (!clean[j]) dropWhere(keep, c, Number.isNaN);
  });
  for (const v of f.fixedEffects.flat()) dropMissingKey(keep, data, v);
  const key = (i: number) => rowKey(data, i, panel);
  const { count: miss, keys: missKeys } = newlyDropped(afterMade, keep, key);
  const dropped: Design['dropped'] = [...made];
  if (miss) dropped.push({ reason: 'missing value in a model variable', count: miss, keys: missKeys });
  // Missing cluster values: fixest drops these rows; we do too, and say so.
  const beforeCluster = keep.slice();
  for (const c of vc.cluster) for (const v of clusterParts(c)) dropMissingKey(keep, data, v);
  const { count: missC, keys: missCKeys } = newlyDropped(beforeCluster, keep, key);
  if (missC)
    dropped.push({
      reason: `missing value in cluster variable ${vc.cluster.join(' or ')}`,
      count: missC,
      keys: missCKeys,
    });
  let rows = keptRows(keep);
  if (!rows.length) {
    throw new NqpError(
      'NO_OBSERVATIONS',
      formula,
      `Every row was dropped: ${miss} of ${n} rows miss a value in ` +
        `${formulaVariables(f).join(', ')}${missC ? ` and ${missC} miss the cluster variable` : ''}` +
        `${made.length ? `; ${made.map((d) => `${d.count} by ${d.reason}`).join('; ')}` : ''}. Check those ` +
        `columns for empty cells.`,
    );
  }
  const termNames = [f.lhs.label, ...exog.map((e) => e.name), ...endog.map((e) => e.name), ...inst.map((e) => e.name)];
  numericCols.forEach((x, c) => {
    if (clean[c]) return;
    for (const i of rows)
      if (Math.abs(x[i]) > MAX_ABS_VALUE) {
        throw new NqpError(
          'VALUE_TOO_LARGE',
          `formula term "${termNames[c]}", ${rowKey(data, i, panel)}`,
          `Formula term "${termNames[c]}" is ${x[i]} at ${rowKey(data, i, panel)}: least squares squares its ` +
            `values, and beyond ±${MAX_ABS_VALUE} they overflow double precision. Rescale the column (e.g. divide ` +
            'by 1e6: its coefficient scales by the same factor) or check the cell.',
        );
      }
  });
  let fes = keyCodesOf(data, f.fixedEffects, rows).map((c, g) => ({ name: f.fixedEffects[g].join('^'), ...c }));
  if (options.singletons === 'drop' && fes.length) {
    const mask = singletonMask(fes, rows.length);
    let s = 0;
    const sKeys: string[] = [];
    for (let r = 0; r < rows.length; r++)
      if (mask[r]) {
        s++;
        if (sKeys.length < 50) sKeys.push(rowKey(data, rows[r], panel));
      }
    if (s) {
      dropped.push({ reason: 'singleton fixed-effect group (dropped, as reghdfe does)', count: s, keys: sKeys });
      rows = rows.filter((_, r) => !mask[r]);
      fes = f.fixedEffects.map((fe) => ({ name: fe.join('^'), ...codesForCached(data, fe, rows) }));
    }
  }
  planAhead(fes);
  for (const fe of fes) {
    if (fe.nLevels === 1 && rows.length > 1) {
      throw new NqpError(
        'SINGLE_LEVEL_FE',
        `fixed effect "${fe.name}"`,
        `Fixed effect "${fe.name}" has a single level (${fe.labels[0]}) in the estimation sample, so it only ` +
          `absorbs the mean. Drop it from the formula.`,
      );
    }
  }
  const clusters: ClusterCodes[] = vc.cluster.map((c) => clusterCodes(data, c, rows));
  for (const c of clusters) {
    if (c.nLevels < 2)
      throw new NqpError(
        'BAD_CLUSTER',
        `cluster "${c.name}"`,
        `Cluster variable "${c.name}" has ${c.nLevels} level in the estimation sample; clustering needs at least 2 ` +
          `clusters. Choose another vcov.`,
      );
  }
  const [yMin, yMax] = range(y, rows);
  if (rows.length > 1 && yMin === yMax) {
    throw new NqpError(
      'CONSTANT_OUTCOME',
      `dependent variable "${f.lhs.label}"`,
      `The outcome "${f.lhs.label}" is constant (${yMin}) in the estimation sample: there is nothing to explain. ` +
        'Check the column or the sample.',
    );
  }
  const all = rows.length === n;
  const sub = (x: Float64Array) => {
    if (all) return x; // every row used: no copy (nothing downstream writes into these arrays)
    const out = new Float64Array(rows.length);
    for (let r = 0; r < rows.length; r++) out[r] = x[rows[r]];
    return out;
  };
  return {
    f,
    y: sub(y),
    exog: exog.map((e) => ({ name: e.name, x: sub(e.x) })),
    endog: endog.map((e) => ({ name: e.name, x: sub(e.x) })),
    inst: inst.map((e) => ({ name: e.name, x: sub(e.x) })),
    rows,
    fes: fes.map((fe) => ({ name: fe.name, codes: fe.codes, nLevels: fe.nLevels })),
    clusters,
    dropped,
    ...keyFacts(data, [...fes, ...clusters], panel && allTerms.some(hasLag) ? panel.id : undefined),
  };
}

/**
 * The numeric columns of the formula looked at for values beyond ±MAX_ABS_VALUE and ±Infinity before the terms are
 * read (numericColumn then takes the answer): in one row-kernels.ts reduction, on two threads in a large fit.
 */
function prescan(data: ColumnSource, f: ParsedFormula): void {
  const cols = [...new Set(formulaVariables(f))]
    .filter((v) => !data.factor?.(v)) // text: never a model column's numbers, and its strings are not made here
    .map((v) => data.array(v))
    .filter((a) => a instanceof Float64Array);
  if (!cols.length) return;
  const k = reduceRows(rowSplit(), { kind: 'scan', cols, limit: MAX_ABS_VALUE });
  cols.forEach((x, j) => {
    noteScan(x, k[2 * j + 1] ? 'infinite' : k[2 * j] ? 'finite' : 'in-range');
  });
}

/** Notes and warnings of the key spelling rule over the fixed effects, clusters and the lags' panel id. */
function keyFacts(
  data: ColumnSource,
  keys: { notes?: string[]; warnings?: string[] }[],
  panelId: string | undefined,
): { notes: string[]; warnings: string[] } {
  const all = panelId ? [...keys, codesForAllRows(data, [panelId])] : keys;
  return {
    notes: [...new Set(all.flatMap((k) => k.notes ?? []))],
    warnings: [...new Set(all.flatMap((k) => k.warnings ?? []))],
  };
}
