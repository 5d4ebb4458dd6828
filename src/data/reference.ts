/**
 * The study's reference files in data/: the codebook (every variable, its labels, unit, role, dimension and
 * direction) and the city list (codes, names, province, level, resource type, coordinates).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { NqpError } from '../errors';
import { parseCsv, type RawTable } from './csv';

/** The folder holding cities.csv, codebook.csv and the default panel.csv. */
export function dataDir(): string {
  return resolve(__dirname, '..', '..', 'data');
}

/** The default panel's path (`nqp reproduce --data FILE` sets the notebooks' DATA setting instead). */
export function defaultPanelPath(): string {
  return join(dataDir(), 'panel.csv');
}

export interface CodebookEntry {
  name: string;
  name_zh: string;
  label: string;
  unit: string;
  role: string;
  dimension: string;
  direction: '+' | '-' | '';
  source: string;
  /** Plausible range of a raw yearbook variable (see data/README.md); undefined for the others. */
  plausible?: [number, number];
}

export interface City {
  city_code: number;
  name_zh: string;
  name_en: string;
  province_zh: string;
  province: string;
  region: string;
  admin_level: string;
  resource_type: string;
  resource_based: number;
  lat: number;
  lon: number;
}

function readText(path: string): string {
  if (!existsSync(path))
    throw new NqpError(
      'FILE_NOT_FOUND',
      path,
      `File ${path} does not exist. Check the path (relative paths start from ${process.cwd()}).`,
    );
  return readFileSync(path, 'utf8');
}

function rowsOf(t: RawTable): Record<string, string>[] {
  return t.columns[0].map((_, r) => Object.fromEntries(t.names.map((nm, c) => [nm, t.columns[c][r]])));
}

/** The codebook: every variable the notebooks use, with labels, units, roles, dimensions and directions. */
export function loadCodebook(path = join(dataDir(), 'codebook.csv')): CodebookEntry[] {
  const t = parseCsv(readText(path), path);
  for (const need of ['name', 'label', 'role']) {
    if (!t.names.includes(need))
      throw new NqpError('MISSING_COLUMN', `${path}, column "${need}"`, `Codebook ${path} has no column "${need}".`);
  }
  return rowsOf(t).map((r) => ({
    name: r.name,
    name_zh: r.name_zh ?? '',
    label: r.label,
    unit: r.unit ?? '',
    role: r.role,
    dimension: r.dimension ?? '',
    direction: (r.direction ?? '') as CodebookEntry['direction'],
    source: r.source ?? '',
    plausible: r.plausible_min && r.plausible_max ? [Number(r.plausible_min), Number(r.plausible_max)] : undefined,
  }));
}

/** The 230 sample cities with their facts (data/cities.csv). */
export function loadCities(path = join(dataDir(), 'cities.csv')): City[] {
  const t = parseCsv(readText(path), path);
  return rowsOf(t).map((r) => ({
    city_code: Number(r.city_code),
    name_zh: r.name_zh,
    name_en: r.name_en,
    province_zh: r.province_zh,
    province: r.province,
    region: r.region,
    admin_level: r.admin_level,
    resource_type: r.resource_type,
    resource_based: Number(r.resource_based),
    lat: Number(r.lat),
    lon: Number(r.lon),
  }));
}

/** Labels by variable name, for tables: `labels(codebook)` or `labels(codebook, 'zh')`. */
export function labels(codebook: CodebookEntry[], language: 'en' | 'zh' = 'en'): Record<string, string> {
  return Object.fromEntries(codebook.map((e) => [e.name, language === 'zh' && e.name_zh ? e.name_zh : e.label]));
}
