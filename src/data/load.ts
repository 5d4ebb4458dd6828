/**
 * Loading the panel, the city facts and the codebook, with validation at the edge: every problem is an NqpError
 * naming the column, row or city-year; nothing is dropped silently (missing cells are counted in the report).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import * as aq from 'arquero';
import { NqpError, closest } from '../errors';
import { parseCsv, type RawTable } from './csv';
import { readDta } from './dta';
import { readXlsx } from './xlsx';
import { deriveVariables, DERIVED } from './derive';
import { reportHtml, reportText } from './load-report';
import { defaultPanelPath, loadCities, loadCodebook, type City, type CodebookEntry } from './reference';
import type { Table } from './table';

export interface LoadOptions {
  /** Accepted year range, inclusive. Default [2010, 2021], the study's window. */
  years?: [number, number];
  /** CSV delimiter. Default ','. */
  delimiter?: string;
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
  format: 'csv' | 'dta' | 'xlsx';
  rows: number;
  cities: number;
  years: number[];
  balanced: boolean;
  /** City-years absent from a balanced panel (empty when balanced). */
  gaps: { city_code: number; year: number }[];
  missing: { variable: string; count: number; share: number }[];
  duplicates: number;
  extraColumns: string[];
  joined: string[];
  derived: string[];
  toString(): string;
  toHtml(): string;
}

const MISSING_TOKENS = new Set(['', 'NA', 'N/A', 'NaN', 'nan', '.', 'null', 'NULL', '-', '—']);

/** Read any supported panel file into string columns. */
export function readRaw(path: string, delimiter = ','): { raw: RawTable; format: LoadReport['format'] } {
  const abs = resolve(path);
  if (!existsSync(abs))
    throw new NqpError(
      'FILE_NOT_FOUND',
      path,
      `File ${path} does not exist. Check the path (relative paths start from ${process.cwd()}).`,
    );
  if (statSync(abs).isDirectory())
    throw new NqpError('BAD_FILE', path, `${path} is a folder; give the panel file inside it (.csv, .dta or .xlsx).`);
  const ext = extname(abs).toLowerCase();
  const buf = readFileSync(abs);
  if (buf.length === 0)
    throw new NqpError(
      'EMPTY_FILE',
      path,
      `${path} is empty. Give a file with a header row and one row per city-year.`,
    );
  switch (ext) {
    case '.csv':
    case '.txt':
      return { raw: parseCsv(buf.toString('utf8'), path, delimiter), format: 'csv' };
    case '.dta':
      return { raw: readDta(buf, path), format: 'dta' };
    case '.xlsx':
      return { raw: readXlsx(buf, path), format: 'xlsx' };
    default:
      throw new NqpError(
        'UNKNOWN_FORMAT',
        path,
        `${path}: unknown format "${ext || '(no extension)'}". Use .csv, .dta (Stata 13+) or .xlsx.`,
      );
  }
}

/**
 * Load a city-year panel (the default panel when `path` is omitted), validate it against the codebook and the
 * city list, join the city facts, derive the codebook's constructed variables, and report what is there.
 * @example const { data: panel, report } = loadPanel();            // the default panel
 * @example const { data } = loadPanel('my_extract.dta', { years: [2011, 2022] });
 */
export function loadPanel(path?: string, options: LoadOptions = {}): { data: Table; report: LoadReport } {
  const source = path ?? defaultPanelPath();
  const { raw, format } = readRaw(source, options.delimiter);
  const codebook = options.codebook ?? loadCodebook();
  const cities = options.cities ?? loadCities();
  const [y0, y1] = options.years ?? [2010, 2021];
  const derivedNames = new Set(DERIVED.map((d) => d.name));
  const known = codebook.map((e) => e.name);
  // Required: the raw yearbook variables (indicators, raw inputs, raw controls and mediators, keys); not the
  // derived ones, the computed indices, or the city facts joined from cities.csv.
  const rawRoles = new Set([
    'id',
    'nqp_indicator',
    'resilience_indicator',
    'raw',
    'martin',
    'control',
    'mediator',
    'instrument',
  ]);
  const required =
    options.required ??
    codebook
      .filter((e) => rawRoles.has(e.role) && !derivedNames.has(e.name) && !/^(derived|computed)/.test(e.source))
      .map((e) => e.name);
  for (const [i, need] of required.entries()) {
    if (!raw.names.includes(need)) {
      const near = closest(need, raw.names);
      throw new NqpError(
        'MISSING_COLUMN',
        `column "${need}"`,
        `Column "${need}" (${codebook.find((e) => e.name === need)?.label ?? `required column ${i + 1}`}) is not ` +
          `in ${source}${near ? `; closest is "${near}"` : ''}. Rename the column, or list the columns you have in { ` +
          `required: [...] }.`,
      );
    }
  }
  if (!raw.names.includes('city_code') || !raw.names.includes('year')) {
    throw new NqpError(
      'MISSING_COLUMN',
      'column "city_code"/"year"',
      `${source} needs the key columns "city_code" and "year".`,
    );
  }
  const n = raw.columns[0]?.length ?? 0;
  if (n === 0)
    throw new NqpError('EMPTY_FILE', source, `${source} has a header but no rows. Add one row per city-year.`);
  const numeric: Record<string, Float64Array> = {};
  const cityIdx = raw.names.indexOf('city_code');
  const yearIdx = raw.names.indexOf('year');
  const rowName = (r: number) =>
    `${format === 'csv' ? 'line' : format === 'xlsx' ? 'sheet row' : 'observation'} ${raw.lines[r]}`;
  const cityYear = (r: number) => `city ${raw.columns[cityIdx][r]}, ${raw.columns[yearIdx][r]}`;
  const extra: string[] = [];
  for (let c = 0; c < raw.names.length; c++) {
    const name = raw.names[c];
    if (!known.includes(name)) extra.push(name);
    const col = raw.columns[c];
    const out = new Float64Array(n);
    let isText = false;
    for (let r = 0; r < n; r++) {
      const s = col[r];
      if (MISSING_TOKENS.has(s)) {
        out[r] = NaN;
        continue;
      }
      const v = Number(s.replace(/,(?=\d{3}\b)/g, ''));
      if (Number.isNaN(v)) {
        if (!known.includes(name)) {
          isText = true;
          break;
        }
        throw new NqpError(
          'NON_NUMERIC',
          `${rowName(r)}, column "${name}" (${cityYear(r)})`,
          `Non-numeric value "${s.slice(0, 40)}" in column "${name}" at ${rowName(r)} (${cityYear(r)}). Fix the ` +
            `cell, or leave it empty for a missing value.`,
        );
      }
      out[r] = v;
    }
    if (!isText) numeric[name] = out;
  }
  const codes = numeric.city_code;
  const years = numeric.year;
  for (let r = 0; r < n; r++) {
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
  const seen = new Map<string, number>();
  for (let r = 0; r < n; r++) {
    const key = `${codes[r]}-${years[r]}`;
    const prev = seen.get(key);
    if (prev !== undefined) {
      throw new NqpError(
        'DUPLICATE_KEY',
        `city ${codes[r]}, ${years[r]}`,
        `City ${codes[r]} has two rows for ${years[r]} (${rowName(prev)} and ${rowName(r)}). Keep one row per ` +
          `city-year, e.g. aggregate before loading.`,
      );
    }
    seen.set(key, r);
  }
  const cityBy = new Map(cities.map((c) => [c.city_code, c]));
  const unknown = [...new Set(Array.from(codes))].filter((c) => !cityBy.has(c));
  if (unknown.length) {
    const r = Array.from(codes).indexOf(unknown[0]);
    throw new NqpError(
      'UNKNOWN_CITY',
      `city ${unknown[0]} (${rowName(r)})`,
      `City code ${unknown.slice(0, 5).join(', ')}${unknown.length > 5 ? ` and ${unknown.length - 5} more` : ''} ` +
        `not in the city list (first at ${rowName(r)}). Add the cities to your cities file and pass { cities: ` +
        `loadCities('my_cities.csv') }, or fix the codes.`,
    );
  }
  const yearList = [...new Set(Array.from(years))].sort((a, b) => a - b);
  const cityList = [...new Set(Array.from(codes))];
  const gaps: { city_code: number; year: number }[] = [];
  for (const c of cityList) for (const y of yearList) if (!seen.has(`${c}-${y}`)) gaps.push({ city_code: c, year: y });

  // Sort by city then year, so lags and within-city operations see time order.
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => codes[a] - codes[b] || years[a] - years[b]);
  const cols: Record<string, ArrayLike<unknown>> = {};
  for (const [name, v] of Object.entries(numeric)) cols[name] = Float64Array.from(order, (i) => v[i]);
  cols.city_code = Int32Array.from(order, (i) => codes[i]);
  cols.year = Int32Array.from(order, (i) => years[i]);
  for (let c = 0; c < raw.names.length; c++) {
    if (!(raw.names[c] in numeric)) cols[raw.names[c]] = order.map((i) => raw.columns[c][i]);
  }
  const joined = ['name_en', 'province', 'region', 'admin_level', 'resource_type', 'resource_based'].filter(
    (k) => !(k in cols),
  );
  for (const k of joined) {
    const vals = order.map((i) => (cityBy.get(codes[i]) as unknown as Record<string, unknown>)[k]);
    cols[k] = k === 'resource_based' ? Float64Array.from(vals as number[]) : vals;
  }
  // High administrative level (municipality, sub-provincial city, provincial capital) as a 0/1 city flag.
  if (!('high_admin' in cols)) {
    cols.high_admin = Float64Array.from(order, (i) =>
      ['municipality', 'sub-provincial city', 'provincial capital'].includes(cityBy.get(codes[i])?.admin_level ?? '')
        ? 1
        : 0,
    );
    joined.push('high_admin');
  }
  let data = aq.table(cols as Record<string, unknown[]>) as Table;
  let derived: string[] = [];
  if (options.derive !== false) {
    const d = deriveVariables(data);
    data = d.data;
    derived = d.derived;
  }
  const missing = Object.keys(numeric)
    .filter((k) => k !== 'city_code' && k !== 'year')
    .map((variable) => {
      const col = cols[variable] as Float64Array;
      let count = 0;
      for (let r = 0; r < n; r++) if (Number.isNaN(col[r])) count++;
      return { variable, count, share: count / n };
    });
  const report: LoadReport = {
    source,
    format,
    rows: n,
    cities: cityList.length,
    years: yearList,
    balanced: gaps.length === 0,
    gaps,
    missing,
    duplicates: 0,
    extraColumns: extra.filter((e) => !joined.includes(e)),
    joined,
    derived,
    toString() {
      return reportText(this);
    },
    toHtml() {
      return reportHtml(this);
    },
  };
  return { data, report };
}
