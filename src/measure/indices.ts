/**
 * Composite indices for the study: new quality productivity (NQP) and urban economic resilience.
 * Edge functions take an arquero table and codebook entries, validate, and return a new table with the index
 * columns added (nothing is mutated), plus what a reader needs to judge the index (weights, missing rows).
 */
import { numbersOf } from '../data/missing';
import { tableColumn } from '../data/table-column';
import { tr } from '../lang';
import { aq } from '../data/aq';
import { NqpError } from '../errors';
import { fmtNum } from '../format';
import { displayName, type CodebookEntry } from '../data/reference';
import type { Table } from '../data/table';
import { escapeHtml as esc } from '../html';
import { entropyCore, equalWeightsCore, pcaCore } from './core';

export interface Indicator {
  name: string;
  direction: '+' | '-';
  dimension?: string;
  label?: string;
}

export interface EntropyOptions {
  /** Name of the index column added to the table. Default 'index'. */
  name?: string;
  /** Pool all city-years (default; comparable across years) or weight each year separately ('year'). */
  pooling?: 'pooled' | 'year';
  /** Added to standardised values before taking logs. Default 1e-4. */
  shift?: number;
  /** Year column for pooling 'year'. Default 'year'. */
  yearColumn?: string;
  /** Caption of the weights table. Default "Entropy weights of <name> (…)". */
  title?: string;
}

export interface WeightRow {
  indicator: string;
  label: string;
  dimension: string;
  direction: '+' | '-';
  entropy: number;
  divergence: number;
  weight: number;
}

export interface IndexResult {
  /** The input table with the index column and one sub-index column per dimension (`<name>_<dimension>`). */
  data: Table;
  name: string;
  weights: WeightRow[];
  /** Sub-index column per dimension; they add up to the index. */
  dimensions: { dimension: string; column: string; weight: number }[];
  /** City-years without an index because an indicator is missing (clean them first, e.g. interpolate). */
  missingRows: number;
  toHtml(): string;
  toString(): string;
  /**
   * The weights table (Table 2) named with `labels` (from labels(codebook, 'zh') for Chinese): indicators by their
   * label, dimensions and column heads by theirs. `show(study.nqp.withLabels(lab))`.
   */
  withLabels(labels: Record<string, string>): { toHtml(): string; toString(): string };
}

/** Codebook entries → indicators (nqp_indicator or resilience_indicator rows). */
export function indicatorsFrom(codebook: CodebookEntry[], role: 'nqp_indicator' | 'resilience_indicator'): Indicator[] {
  return codebook
    .filter((e) => e.role === role)
    .map((e) => ({
      name: e.name,
      direction: (e.direction || '+') as '+' | '-',
      dimension: e.dimension,
      label: e.label,
    }));
}

function columns(data: Table, indicators: Indicator[]): Float64Array[] {
  if (!indicators.length)
    throw new NqpError(
      'BAD_OPTION',
      'indicators',
      'No indicators given. Pass codebook rows, e.g. indicatorsFrom(codebook, "nqp_indicator").',
    );
  const names = data.columnNames();
  return indicators.map((ind) => {
    if (!names.includes(ind.name))
      throw new NqpError(
        'MISSING_COLUMN',
        `indicator "${ind.name}"`,
        `Indicator "${ind.name}" is not a column of the panel. Add it or remove it from the indicator list.`,
      );
    if (ind.direction !== '+' && ind.direction !== '-')
      throw new NqpError(
        'BAD_OPTION',
        `indicator "${ind.name}"`,
        `Indicator "${ind.name}" has direction "${ind.direction}"; use "+" or "-".`,
      );
    const x = numbersOf(tableColumn(data, ind.name), ind.name, `indicator "${ind.name}"`);
    const [lo, hi] = observedRange(x);
    if (!(hi > lo))
      throw new NqpError(
        'CONSTANT_INDICATOR',
        `indicator "${ind.name}"`,
        `Indicator "${ind.name}" is constant (${lo}) or empty: it carries no information and its entropy weight is ` +
          `undefined. Drop it from the index.`,
      );
    return x;
  });
}

/** Smallest and largest non-missing value ([Infinity, -Infinity] when none). */
function observedRange(x: Float64Array): [number, number] {
  let lo = Infinity,
    hi = -Infinity;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

/** Σ_{j in js} w_j z_ji per row, missing where the index is. */
function subIndex(index: Float64Array, z: Float64Array[], weights: Float64Array, js: number[]): Float64Array {
  const out = new Float64Array(index.length);
  for (let i = 0; i < out.length; i++) {
    if (Number.isNaN(index[i])) {
      out[i] = NaN;
      continue;
    }
    let s = 0;
    for (let k = 0; k < js.length; k++) s += weights[js[k]] * z[js[k]][i];
    out[i] = s;
  }
  return out;
}

const dimKey = (d: string) =>
  d
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');

function weightsHtml(title: string, rows: WeightRow[], labels: Record<string, string> = {}): string {
  const t = (k: string) => displayName(labels, k);
  const body = rows
    .map(
      (r) =>
        `<tr><td>${esc(displayName(labels, r.indicator, r.label))}</td>` +
        `<td>${esc(t(r.dimension))}</td><td>${r.direction}</td>` +
        `<td>${fmtNum(r.entropy)}</td><td>${fmtNum(r.weight)}</td></tr>`,
    )
    .join('');
  const head = ['Indicator', 'Dimension', 'Direction', 'Entropy', 'Weight'].map((h) => `<th>${esc(t(h))}</th>`);
  const thead = `<thead><tr>${head.join('')}</tr></thead>`;
  return `<table><caption>${esc(tr(title))}</caption>${thead}<tbody>${body}</tbody></table>`;
}

function weightsText(title: string, rows: WeightRow[], labels: Record<string, string> = {}): string {
  const t = (k: string) => displayName(labels, k);
  return [
    title,
    ...rows.map(
      (w) =>
        `  ${t(w.indicator).padEnd(22)} ${t(w.dimension).padEnd(30)} ${w.direction}  e=${fmtNum(w.entropy)}  ` +
        `w=${fmtNum(w.weight)}`,
    ),
  ].join('\n');
}

/**
 * Entropy-weighted composite index with sub-indices per dimension.
 * @example const nqp = entropyIndex(panel, indicatorsFrom(codebook, 'nqp_indicator'), { name: 'nqp' });
 */
export function entropyIndex(data: Table, indicators: Indicator[], options: EntropyOptions = {}): IndexResult {
  const name = options.name ?? 'index';
  const cols = columns(data, indicators);
  const dirs = indicators.map((i) => (i.direction === '-' ? -1 : 1)) as (1 | -1)[];
  let groups: Int32Array | undefined;
  if (options.pooling === 'year') {
    const y = tableColumn(data, options.yearColumn ?? 'year') as ArrayLike<number>;
    const levels = [...new Set(Array.from(y))].sort((a, b) => a - b);
    groups = Int32Array.from(y as ArrayLike<number>, (v) => levels.indexOf(v));
  }
  const core = entropyCore(cols, dirs, options.shift ?? 1e-4, groups);
  const weights: WeightRow[] = indicators.map((ind, j) => ({
    indicator: ind.name,
    label: ind.label ?? ind.name,
    dimension: ind.dimension ?? '',
    direction: ind.direction,
    entropy: core.entropy[j],
    divergence: core.divergence[j],
    weight: core.weights[j],
  }));
  const dims = [...new Set(indicators.map((i) => i.dimension ?? ''))].filter(Boolean);
  const add: Record<string, Float64Array> = { [name]: core.index };
  const dimensions = dims.map((dim) => {
    const column = `${name}_${dimKey(dim)}`;
    const js = indicators.map((ind, j) => (ind.dimension === dim ? j : -1)).filter((j) => j >= 0);
    // With per-year weights the sub-indices use the average weights shown in the table.
    add[column] = subIndex(core.index, core.z, core.weights, js);
    return { dimension: dim, column, weight: js.reduce((a, j) => a + core.weights[j], 0) };
  });
  let missingRows = 0;
  for (let i = 0; i < core.index.length; i++) if (Number.isNaN(core.index[i])) missingRows++;
  const title =
    options.title ??
    `Entropy weights of ${name} ` +
      `(${options.pooling === 'year' ? 'per year, averaged' : 'pooled over all city-years'}; ${indicators.length} ` +
      `indicators)`;
  return indexResult(data.assign(add) as Table, name, weights, dimensions, missingRows, title);
}

/** An entropy index's result with its weights table (Table 2) under `title`. */
export function indexResult(
  data: Table,
  name: string,
  weights: WeightRow[],
  dimensions: IndexResult['dimensions'],
  missingRows: number,
  title: string,
): IndexResult {
  return {
    data,
    name,
    weights,
    dimensions,
    missingRows,
    toHtml: () => weightsHtml(title, weights),
    toString: () => weightsText(title, weights),
    withLabels: (labels) => ({
      toHtml: () => weightsHtml(title, weights, labels),
      toString: () => weightsText(title, weights, labels),
    }),
  };
}

/** Principal-components index (robustness check; see core.ts for the construction). */
export function pcaIndex(
  data: Table,
  indicators: Indicator[],
  name = 'index_pca',
): { data: Table; eigenvalues: number[]; kept: number; explained: number } {
  const cols = columns(data, indicators);
  const r = pcaCore(cols, indicators.map((i) => (i.direction === '-' ? -1 : 1)) as (1 | -1)[]);
  return {
    data: data.assign({ [name]: r.index }) as Table,
    eigenvalues: r.eigenvalues,
    kept: r.kept,
    explained: r.explained,
  };
}

/** Equal-weights index (robustness check). */
export function equalWeightsIndex(data: Table, indicators: Indicator[], name = 'index_equal'): Table {
  const cols = columns(data, indicators);
  return data.assign({
    [name]: equalWeightsCore(cols, indicators.map((i) => (i.direction === '-' ? -1 : 1)) as (1 | -1)[]),
  }) as Table;
}

/**
 * Martin's (2012) sensitivity index of resilience, as the Chinese literature computes it from growth rates:
 * (g_city − g_nation) / |g_nation|; positive values mean the city grew faster than the nation that year.
 */
export function martinSensitivity(data: Table, options: { city?: string; nation?: string; name?: string } = {}): Table {
  const city = options.city ?? 'gdp_growth',
    nation = options.nation ?? 'nat_gdp_growth',
    name = options.name ?? 'resilience_martin';
  for (const c of [city, nation])
    if (!data.columnNames().includes(c))
      throw new NqpError(
        'MISSING_COLUMN',
        `column "${c}"`,
        `Martin's sensitivity index needs column "${c}". Add it to the panel.`,
      );
  const g = tableColumn(data, city) as Float64Array,
    gn = tableColumn(data, nation) as Float64Array;
  const out = new Float64Array(g.length);
  for (let i = 0; i < g.length; i++) out[i] = gn[i] === 0 ? NaN : (g[i] - gn[i]) / Math.abs(gn[i]);
  return data.assign({ [name]: out }) as Table;
}

/** Shares of each dimension in the mean index, by year: rows { year, dimension, share }. */
export function dimensionShares(r: IndexResult, yearColumn = 'year'): Table {
  const years = tableColumn(r.data, yearColumn) as ArrayLike<number>;
  const levels = [...new Set(Array.from(years))].sort((a, b) => a - b);
  const at = new Map(levels.map((y, k) => [y, k]));
  const D = r.dimensions.length;
  // One pass per dimension column; each (year, dimension) total adds its rows in row order, as a pass per year would.
  const totals = new Float64Array(levels.length * D);
  r.dimensions.forEach((d, k) => {
    const c = tableColumn(r.data, d.column) as Float64Array;
    for (let i = 0; i < c.length; i++) {
      const g = at.get(years[i]);
      // A NaN year matches no level (as `year === level` never holds for it).
      if (g !== undefined && !Number.isNaN(years[i]) && !Number.isNaN(c[i])) totals[g * D + k] += c[i];
    }
  });
  const rows: { year: number; dimension: string; share: number }[] = [];
  levels.forEach((y, g) => {
    const t = Array.from(totals.subarray(g * D, (g + 1) * D));
    const all = t.reduce((a, v) => a + v, 0);
    r.dimensions.forEach((d, k) => {
      rows.push({ year: y, dimension: d.dimension, share: t[k] / all });
    });
  });
  return aq.from(rows) as Table;
}
