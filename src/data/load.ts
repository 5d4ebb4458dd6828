/**
 * Loading the panel, the city facts and the codebook, with validation at the edge: every problem is an NqpError
 * naming the column, row or city-year; nothing is dropped silently (missing cells are counted in the report).
 */
import { aq } from './aq';
import { NqpError } from '../errors';
import { isText, plainColumn, type FrameColumn } from './frame';
import { readFrame } from './read-frame';
import {
  cityCodesFromNames,
  mapNames,
  requireColumns,
  requireNumeric,
  thousandsWarnings,
  unitWarnings,
  type Renamed,
} from './panel-checks';
import { deriveVariables, DERIVED } from './derive';
import { reportHtml, reportText } from './load-report';
import { defaultPanelPath, loadCities, loadCodebook, type City, type CodebookEntry } from './reference';
import type { Table } from './table';

export interface LoadOptions {
  /** Accepted year range, inclusive. Default [2010, 2021], the study's window. */
  years?: [number, number];
  /** CSV delimiter. Default ','. */
  delimiter?: string;
  /** .xlsx worksheet by name. Default: the first. */
  sheet?: string;
  /** Columns that must be present. Default: every raw (non-derived) variable in the codebook. */
  required?: string[];
  /** City facts to join and check codes against. Default: data/cities.csv. */
  cities?: City[];
  /** Codebook. Default: data/codebook.csv. */
  codebook?: CodebookEntry[];
  /** Compute the derived variables of the codebook (controls, mediators, grouping, instrument). Default true. */
  derive?: boolean;
}

export interface LoadReport {
  source: string;
  format: 'csv' | 'dta' | 'xlsx' | 'parquet';
  encoding: string;
  /** The worksheet read (.xlsx). */
  sheet?: string;
  rows: number;
  cities: number;
  years: number[];
  balanced: boolean;
  /** City-years absent from a balanced panel (empty when balanced). */
  gaps: { city_code: number; year: number }[];
  missing: { variable: string; count: number; share: number }[];
  /** Columns renamed to the codebook's names (case-only differences, Chinese names). */
  renamed: Renamed[];
  /** The city-name column that gave the city codes, when the file had none. */
  cityNames?: string;
  /** Cells read with thousands separators, per column. */
  thousands: { variable: string; count: number }[];
  /** Named warnings: values off by a unit factor (whole column or some years), cells like "7,820". */
  warnings: string[];
  /** What the reader did that a reader of the file should know: a `sep=` line, a dropped row index or empty columns. */
  notes: string[];
  /** Every sheet of the workbook (.xlsx). */
  sheets?: string[];
  duplicates: number;
  extraColumns: string[];
  joined: string[];
  derived: string[];
  toString(): string;
  toHtml(): string;
}

export { readFrame, type ReadOptions } from './read-frame';

// Required: the raw yearbook variables (indicators, raw inputs, raw controls and mediators, keys); not the
// derived ones, the computed indices, or the city facts joined from cities.csv.
const RAW_ROLES = new Set([
  'id',
  'nqp_indicator',
  'resilience_indicator',
  'raw',
  'martin',
  'control',
  'mediator',
  'instrument',
]);

/**
 * Load a city-year panel (the default panel when `path` is omitted), validate it against the codebook and the
 * city list, join the city facts, derive the codebook's constructed variables, and report what is there.
 * @example const { data: panel, report } = loadPanel();            // the default panel
 * @example const { data } = loadPanel('my_extract.dta', { years: [2011, 2022] });
 */
export function loadPanel(path?: string, options: LoadOptions = {}): { data: Table; report: LoadReport } {
  const source = path ?? defaultPanelPath();
  const frame = readFrame(source, { delimiter: options.delimiter, sheet: options.sheet });
  const codebook = options.codebook ?? loadCodebook();
  const cities = options.cities ?? loadCities();
  const [y0, y1] = options.years ?? [2010, 2021];
  const derivedNames = new Set(DERIVED.map((d) => d.name));
  const known = new Set(codebook.map((e) => e.name));
  const renamed = mapNames(frame, codebook);
  const cityNames = cityCodesFromNames(frame, cities);
  const required =
    options.required ??
    codebook
      .filter((e) => RAW_ROLES.has(e.role) && !derivedNames.has(e.name) && !/^(derived|computed)/.test(e.source))
      .map((e) => e.name);
  requireColumns(frame, [...new Set(['city_code', 'year', ...required])], codebook);
  const n = frame.n;
  if (n === 0)
    throw new NqpError('EMPTY_FILE', source, `${source} has a header but no rows. Add one row per city-year.`);
  const rowName = (r: number) => `${frame.rowWord} ${frame.lines[r]}`;
  const numeric = new Map<string, Float64Array>();
  const extra: string[] = [];
  const keyText = (col: string, r: number) => {
    const c = frame.columns.get(col);
    return c ? (isText(c) ? String(c.labels[c.codes[r]] ?? '') : String(c[r])) : '?';
  };
  const cityYear = (r: number) => `city ${keyText('city_code', r)}, ${keyText('year', r)}`;
  for (const name of frame.names) {
    if (!known.has(name)) extra.push(name);
    const col = frame.columns.get(name) as FrameColumn;
    if (known.has(name)) {
      const label = codebook.find((e) => e.name === name)?.label ?? name;
      numeric.set(name, requireNumeric(frame, name, label, cityYear));
    } else if (!isText(col)) numeric.set(name, col);
  }
  const codes = numeric.get('city_code') as Float64Array;
  const years = numeric.get('year') as Float64Array;
  checkKeys(codes, years, rowName, [y0, y1]);
  const seen = uniqueKeys(codes, years, rowName);
  const cityBy = new Map(cities.map((c) => [c.city_code, c]));
  const cityList = [...new Set(codes)];
  const unknown = cityList.filter((c) => !cityBy.has(c));
  if (unknown.length) {
    const r = codes.indexOf(unknown[0]);
    throw new NqpError(
      'UNKNOWN_CITY',
      `city ${unknown[0]} (${rowName(r)})`,
      `City code ${unknown.slice(0, 5).join(', ')}${unknown.length > 5 ? ` and ${unknown.length - 5} more` : ''} ` +
        `not in the city list (first at ${rowName(r)}). Add the cities to your cities file and pass { cities: ` +
        `loadCities('my_cities.csv') }, or fix the codes.`,
    );
  }
  const yearList = [...new Set(years)].sort((a, b) => a - b);
  const gaps: { city_code: number; year: number }[] = [];
  for (const c of cityList)
    for (const y of yearList) if (!seen.has(c * 10000 + y)) gaps.push({ city_code: c, year: y });

  // Sort by city then year, so lags and within-city operations see time order.
  const order = Array.from({ length: n }, (_, i) => i);
  // A file in that order already (the default panel, most extracts) skips the sort and its comparator calls.
  const sorted = inKeyOrder(codes, years);
  if (!sorted) order.sort((a, b) => codes[a] - codes[b] || years[a] - years[b]);
  const perm = sorted ? undefined : order;
  const cols: Record<string, ArrayLike<unknown>> = Object.create(null);
  for (const name of frame.names) {
    const v = numeric.get(name);
    if (v) cols[name] = permuted(new Float64Array(n), v, perm);
    else {
      const t = plainColumn(frame.columns.get(name) as FrameColumn);
      cols[name] = order.map((i) => t[i]);
    }
  }
  cols.city_code = permuted(new Int32Array(n), codes, perm);
  cols.year = permuted(new Int32Array(n), years, perm);
  const joined = joinCities(cols, order, codes, cityBy);
  let data = columnTable(cols);
  let derived: string[] = [];
  if (options.derive !== false) {
    const d = deriveVariables(data);
    data = d.data;
    derived = d.derived;
  }
  const missing = [...numeric.keys()]
    .filter((k) => k !== 'city_code' && k !== 'year')
    .map((variable) => {
      const count = frame.facts.get(variable)?.missing ?? 0;
      return { variable, count, share: count / n };
    });
  const report = withReportText({
    source,
    format: frame.format,
    encoding: frame.encoding,
    sheet: frame.sheet,
    rows: n,
    cities: cityList.length,
    years: yearList,
    balanced: gaps.length === 0,
    gaps,
    missing,
    renamed,
    cityNames,
    thousands: [...frame.facts]
      .filter(([, f]) => f.thousands > 0)
      .map(([variable, f]) => ({ variable, count: f.thousands })),
    warnings: [...unitWarnings(frame, codebook), ...thousandsWarnings(frame)],
    notes: frame.notes ?? [],
    sheets: frame.sheets,
    duplicates: 0,
    extraColumns: extra.filter((e) => !joined.includes(e) && e !== cityNames),
    joined,
    derived,
  });
  return { data, report };
}

/** A loading report with its text and HTML (in the language current when shown). */
export function withReportText(fields: Omit<LoadReport, 'toString' | 'toHtml'>): LoadReport {
  return {
    ...fields,
    toString() {
      return reportText(this);
    },
    toHtml() {
      return reportHtml(this);
    },
  };
}

/** True when rows are sorted by city, then year (ties cannot occur: uniqueKeys has refused duplicates). */
function inKeyOrder(codes: Float64Array, years: Float64Array): boolean {
  for (let r = 1; r < codes.length; r++)
    if (codes[r - 1] > codes[r] || (codes[r - 1] === codes[r] && years[r - 1] > years[r])) return false;
  return true;
}

/** `out[k] = v[order[k]]`; without an order, a copy (set() converts each value as assignment does). */
function permuted<T extends Float64Array | Int32Array>(out: T, v: Float64Array, order: number[] | undefined): T {
  if (!order) {
    out.set(v);
    return out;
  }
  for (let k = 0; k < order.length; k++) out[k] = v[order[k]];
  return out;
}

function checkKeys(
  codes: Float64Array,
  years: Float64Array,
  rowName: (r: number) => string,
  [y0, y1]: [number, number],
): void {
  for (let r = 0; r < codes.length; r++) {
    if (!Number.isInteger(codes[r]))
      throw new NqpError(
        'NON_NUMERIC',
        `${rowName(r)}, column "city_code"`,
        `city_code at ${rowName(r)} is missing or not a whole number. Every row needs a city code.`,
      );
    if (!Number.isInteger(years[r]))
      throw new NqpError(
        'NON_NUMERIC',
        `${rowName(r)}, column "year"`,
        `year at ${rowName(r)} (city ${codes[r]}) is missing or not a whole number.`,
      );
    if (years[r] < y0 || years[r] > y1) {
      throw new NqpError(
        'YEAR_OUT_OF_RANGE',
        `${rowName(r)} (city ${codes[r]}, ${years[r]})`,
        `Year ${years[r]} at ${rowName(r)} (city ${codes[r]}) is outside ${y0}–${y1}. Drop those rows, or pass { ` +
          `years: [first, last] } to accept them.`,
      );
    }
  }
}

/** One row per city-year: duplicates are an error listing the first few. Returns the keys seen. */
function uniqueKeys(codes: Float64Array, years: Float64Array, rowName: (r: number) => string): Map<number, number> {
  const seen = new Map<number, number>();
  const dups: string[] = [];
  let count = 0;
  for (let r = 0; r < codes.length; r++) {
    const key = codes[r] * 10000 + years[r];
    const prev = seen.get(key);
    if (prev !== undefined) {
      count++;
      if (dups.length < 5) dups.push(`city ${codes[r]}, ${years[r]} (${rowName(prev)} and ${rowName(r)})`);
    } else seen.set(key, r);
  }
  if (count) {
    throw new NqpError(
      'DUPLICATE_KEY',
      dups[0],
      `${count} duplicate city-year row${count > 1 ? 's' : ''}: ${dups.join('; ')}${count > 5 ? '; …' : ''}. Keep ` +
        'one row per city-year, e.g. aggregate before loading.',
    );
  }
  return seen;
}

/** Join the city facts of cities.csv that the file does not have, and the high-administrative-level flag. */
function joinCities(
  cols: Record<string, ArrayLike<unknown>>,
  order: number[],
  codes: Float64Array,
  cityBy: Map<number, City>,
): string[] {
  const facts = ['name_en', 'province', 'region', 'admin_level', 'resource_type', 'resource_based'] as const;
  const joined: string[] = facts.filter((k) => !(k in cols));
  // Every code is in the city list (loadPanel refused the others): one look-up per row, shared by the facts.
  const city = order.map((i) => cityBy.get(codes[i]) as City);
  for (const k of joined as (typeof facts)[number][]) {
    const vals = city.map((c) => c[k]);
    cols[k] = k === 'resource_based' ? Float64Array.from(vals as number[]) : vals;
  }
  // High administrative level (municipality, sub-provincial city, provincial capital) as a 0/1 city flag.
  if (!('high_admin' in cols)) {
    const high = new Set(['municipality', 'sub-provincial city', 'provincial capital']);
    cols.high_admin = Float64Array.from(city, (c) => (high.has(c.admin_level ?? '') ? 1 : 0));
    joined.push('high_admin');
  }
  return joined;
}

/**
 * The arquero table of the columns, built on an object without a prototype: aq.table copies columns into a plain
 * object, where a column named "__proto__" sets the prototype instead (and "column.at is not a function" follows).
 */
function columnTable(cols: Record<string, ArrayLike<unknown>>): Table {
  const data = Object.create(null) as Record<string, ArrayLike<unknown>>;
  for (const k of Object.keys(cols)) data[k] = cols[k];
  return new aq.ColumnTable(data as never, Object.keys(cols)) as Table;
}
