/**
 * Cleaning steps the literature applies to yearbook panels. Each returns a new table and a report of what it
 * changed (cells filled, values clipped, rows refused), so nothing changes silently.
 */
import { NqpError } from '../errors';
import { say, tr } from '../lang';
import type { Table } from './table';
import { quantile, quantiles } from '../math/stats';
import { tableColumn } from './table-column';
import { byCity, clip, fillGaps, gather } from './clean-core';

export interface CleanReport {
  step: string;
  changed: { column: string; count: number; detail?: string }[];
  toString(): string;
}

/** A cleaning step's report: its name and the cells it changed per column, with the text in the current language. */
export function cleanReport(step: string, changed: CleanReport['changed']): CleanReport {
  return {
    step,
    changed,
    toString() {
      const total = changed.reduce((s, c) => s + c.count, 0);
      return (
        say(`${step}: ${total} cell${total === 1 ? '' : 's'} changed`, `${tr(step)}：改动 ${total} 个单元格`) +
        (changed.length
          ? '\n' +
            changed
              .filter((c) => c.count)
              .map(
                (c) => `  ${c.column.padEnd(22)} ${String(c.count).padStart(5)}${c.detail ? `  ${tr(c.detail)}` : ''}`,
              )
              .join('\n')
          : '')
      );
    },
  };
}

function numeric(data: Table, col: string): Float64Array {
  if (!data.columnNames().includes(col))
    throw new NqpError('MISSING_COLUMN', `column "${col}"`, `Column "${col}" is not in the panel.`);
  const a = tableColumn(data, col);
  return a instanceof Float64Array ? Float64Array.from(a) : Float64Array.from(a as ArrayLike<number>, Number);
}

/**
 * Linear interpolation within each city over years, for interior gaps only (no extrapolation past a city's first
 * or last observed year: those cells stay missing and are counted as left).
 */
export function interpolate(
  data: Table,
  cols: string[],
  options: { id?: string; time?: string } = {},
): { data: Table; report: CleanReport } {
  const id = options.id ?? 'city_code',
    time = options.time ?? 'year';
  const cities = byCity(data, id, time);
  const out: Record<string, Float64Array> = {};
  const changed: CleanReport['changed'] = [];
  for (const col of cols) {
    const x = numeric(data, col);
    const [filled, left] = fillGaps(x, cities);
    out[col] = x;
    changed.push({
      column: col,
      count: filled,
      detail: left ? `${left} left missing (no observed year on one side)` : undefined,
    });
  }
  return { data: data.assign(out) as Table, report: cleanReport('Linear interpolation within city', changed) };
}

/**
 * Winsorise at the given percentiles (default 1% and 99%, pooled over the panel): values beyond are set to the
 * cut-offs. With `by` (e.g. 'year') the cut-offs are found within each group: pooled cut-offs clip the early years
 * of a trending indicator from below and the late years from above, which flattens the trend itself.
 */
export function winsorize(
  data: Table,
  cols: string[],
  options: { lower?: number; upper?: number; by?: string } = {},
): { data: Table; report: CleanReport; cutoffs: Record<string, [number, number]> } {
  const lower = options.lower ?? 0.01,
    upper = options.upper ?? 0.99;
  if (!(lower >= 0 && upper <= 1 && lower < upper))
    throw new NqpError(
      'BAD_OPTION',
      'winsorize',
      `Percentiles must satisfy 0 ≤ lower < upper ≤ 1; got ${lower} and ${upper}.`,
    );
  const groups: number[][] = [];
  if (options.by !== undefined) {
    if (!data.columnNames().includes(options.by))
      throw new NqpError('UNKNOWN_VARIABLE', `by "${options.by}"`, `Column "${options.by}" is not in the data.`);
    const key = tableColumn(data, options.by);
    const at = new Map<unknown, number>();
    for (let i = 0; i < key.length; i++) {
      if (key[i] === null || key[i] === undefined || Number.isNaN(key[i]))
        throw new NqpError('MISSING_KEYS', `by "${options.by}"`, `Column "${options.by}" is missing in row ${i + 1}.`);
      let g = at.get(key[i]);
      if (g === undefined) {
        g = groups.length;
        at.set(key[i], g);
        groups.push([]);
      }
      groups[g].push(i);
    }
  }
  const out: Record<string, Float64Array> = {};
  const changed: CleanReport['changed'] = [];
  const cutoffs: Record<string, [number, number]> = {};
  const nGroups = options.by !== undefined ? groups.length : 1;
  for (const col of cols) {
    const x = numeric(data, col);
    let n = 0;
    for (let g = 0; g < nGroups; g++) {
      const rows = options.by !== undefined ? groups[g] : undefined;
      // Both cut-offs by selection over one copy of the group's values (exactly what quantile() gives).
      const [lo, hi] = quantiles(rows ? gather(x, rows) : x, [lower, upper]);
      n += clip(x, lo, hi, rows);
      if (nGroups === 1) cutoffs[col] = [lo, hi];
    }
    out[col] = x;
    const detail =
      nGroups === 1
        ? `cut-offs [${cutoffs[col][0].toPrecision(5)}, ${cutoffs[col][1].toPrecision(5)}]`
        : `cut-offs within each of ${nGroups} ${options.by} groups`;
    changed.push({ column: col, count: n, detail });
  }
  return {
    data: data.assign(out) as Table,
    report: cleanReport(
      `Winsorising at ${lower * 100}% / ${upper * 100}%${options.by ? ` within ${options.by}` : ''}`,
      changed,
    ),
    cutoffs,
  };
}

/** Natural logs into `ln_<col>`; refuses non-positive values, naming the city-years. */
export function logTransform(
  data: Table,
  cols: string[],
  options: { id?: string; time?: string; prefix?: string } = {},
): { data: Table; report: CleanReport } {
  const id = options.id ?? 'city_code',
    time = options.time ?? 'year',
    prefix = options.prefix ?? 'ln_';
  const out: Record<string, Float64Array> = {};
  const ids = data.array(id),
    yrs = data.array(time);
  for (const col of cols) {
    const x = numeric(data, col);
    const bad: string[] = [];
    for (let i = 0; i < x.length; i++)
      if (!Number.isNaN(x[i]) && !(x[i] > 0)) bad.push(`city ${ids[i]} ${yrs[i]} (${x[i]})`);
    if (bad.length)
      throw new NqpError(
        'NON_POSITIVE_LOG',
        `column "${col}": ${bad[0]}`,
        `log(${col}) needs positive values; ${bad.length} are not: ` +
          `${bad.slice(0, 5).join(', ')}${bad.length > 5 ? ', …' : ''}. Fix them, set them missing, or use log(1 + ` +
          `x).`,
      );
    out[prefix + col] = x.map(Math.log);
  }
  return {
    data: data.assign(out) as Table,
    report: cleanReport(
      'Natural logarithm',
      cols.map((c) => ({ column: prefix + c, count: 0, detail: 'new column' })),
    ),
  };
}

/**
 * Lag (k > 0) or lead (k < 0) by city-year into `<col>_l<k>` / `<col>_f<k>`. Matched on the year, not the row:
 * a gap year gives a missing value, never the wrong year's.
 */
export function lagColumn(
  data: Table,
  col: string,
  k = 1,
  options: { id?: string; time?: string; name?: string } = {},
): { data: Table; report: CleanReport } {
  const id = options.id ?? 'city_code',
    time = options.time ?? 'year';
  const name = options.name ?? (k >= 0 ? `${col}_l${k}` : `${col}_f${-k}`);
  const x = numeric(data, col);
  const ids = data.array(id),
    yrs = data.array(time) as ArrayLike<number>;
  const index = new Map<string, number>();
  for (let i = 0; i < x.length; i++) index.set(`${ids[i]}|${yrs[i]}`, i);
  const out = new Float64Array(x.length);
  let missing = 0;
  for (let i = 0; i < x.length; i++) {
    const j = index.get(`${ids[i]}|${yrs[i] - k}`);
    out[i] = j === undefined ? NaN : x[j];
    if (Number.isNaN(out[i])) missing++;
  }
  return {
    data: data.assign({ [name]: out }) as Table,
    report: cleanReport(`${k >= 0 ? 'Lag' : 'Lead'} of ${col} by ${Math.abs(k)} year(s)`, [
      { column: name, count: missing, detail: 'missing (first year, gaps, or missing source)' },
    ]),
  };
}

/**
 * A city-level split at the median of each city's mean of `col` over the years: 1 above the median, 0 otherwise.
 * City means (rather than year-by-year medians) keep each city in one group for the whole period, so group
 * membership does not react to the year's outcome and a permutation test can reshuffle whole cities.
 */
export function cityMedianSplit(
  data: Table,
  col: string,
  options: { id?: string; name?: string } = {},
): { data: Table; median: number; above: number; below: number } {
  const id = options.id ?? 'city_code';
  const x = numeric(data, col);
  const ids = data.array(id);
  const acc = new Map<unknown, [number, number]>();
  for (let i = 0; i < x.length; i++) {
    if (Number.isNaN(x[i])) continue;
    const a = acc.get(ids[i]) ?? [0, 0];
    a[0] += x[i];
    a[1]++;
    acc.set(ids[i], a);
  }
  const means = new Map([...acc].map(([k, [s, n]]) => [k, s / n]));
  const median = quantile(Float64Array.from(means.values()), 0.5);
  const out = Float64Array.from({ length: x.length }, (_, i) => {
    const m = means.get(ids[i]);
    return m === undefined ? NaN : m > median ? 1 : 0;
  });
  const above = [...means.values()].filter((m) => m > median).length;
  return {
    data: data.assign({ [options.name ?? `high_${col}`]: out }) as Table,
    median,
    above,
    below: means.size - above,
  };
}
