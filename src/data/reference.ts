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
  const out: Record<string, string>[] = [];
  for (let r = 0; r < t.columns[0].length; r++) {
    // Without a prototype, a column named "__proto__" is a field like any other (as Object.fromEntries made it).
    const row: Record<string, string> = Object.create(null);
    for (let c = 0; c < t.names.length; c++) row[t.names[c]] = t.columns[c][r];
    out.push(row);
  }
  return out;
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

/**
 * Names shown for values and words that are not codebook variables: group values (regions, dimensions,
 * administrative levels), the grouping columns joined from cities.csv, and the fixed words of charts and tables.
 * Chinese terms follow the literature: 劳动者 / 劳动资料 / 劳动对象 for the three components of productivity.
 */
export const DISPLAY_NAMES: Record<string, { en: string; zh: string }> = {
  east: { en: 'East', zh: '东部' },
  central: { en: 'Central', zh: '中部' },
  west: { en: 'West', zh: '西部' },
  northeast: { en: 'Northeast', zh: '东北' },
  labourers: { en: 'labourers', zh: '劳动者' },
  'means of labour': { en: 'means of labour', zh: '劳动资料' },
  'objects of labour': { en: 'objects of labour', zh: '劳动对象' },
  'resistance and recovery': { en: 'resistance and recovery', zh: '抵抗与恢复能力' },
  'adaptation and adjustment': { en: 'adaptation and adjustment', zh: '适应与调整能力' },
  'innovation and transformation': { en: 'innovation and transformation', zh: '创新与转型能力' },
  municipality: { en: 'municipality', zh: '直辖市' },
  'sub-provincial city': { en: 'sub-provincial city', zh: '副省级城市' },
  'provincial capital': { en: 'provincial capital', zh: '省会城市' },
  'prefecture-level city': { en: 'prefecture-level city', zh: '地级市' },
  region: { en: 'Region', zh: '地区' },
  admin_level: { en: 'Administrative level', zh: '行政级别' },
  province: { en: 'Province', zh: '省份' },
  Year: { en: 'Year', zh: '年份' },
  Dimension: { en: 'Dimension', zh: '维度' },
  Indicator: { en: 'Indicator', zh: '指标' },
  Direction: { en: 'Direction', zh: '方向' },
  Entropy: { en: 'Entropy', zh: '信息熵' },
  Weight: { en: 'Weight', zh: '权重' },
  'Entropy weight': { en: 'Entropy weight', zh: '熵权' },
  'Share of the index': { en: 'Share of the index', zh: '占指数比重' },
  Density: { en: 'Density', zh: '密度' },
  mean: { en: 'mean', zh: '均值' },
};

/**
 * Labels by variable name, for tables and charts: `labels(codebook)` or `labels(codebook, 'zh')`. Besides the
 * codebook's variables, the map names group values (regions, dimensions, administrative levels) and the fixed words
 * of charts and weight tables, so charts and Table 2 given these labels follow the language too.
 */
export function labels(codebook: CodebookEntry[], language: 'en' | 'zh' = 'en'): Record<string, string> {
  if (language !== 'en' && language !== 'zh')
    throw new NqpError('BAD_OPTION', 'language', `labels() takes 'en' or 'zh'; got "${String(language)}".`);
  const words = Object.fromEntries(Object.entries(DISPLAY_NAMES).map(([k, v]) => [k, v[language]]));
  const vars = Object.fromEntries(codebook.map((e) => [e.name, language === 'zh' && e.name_zh ? e.name_zh : e.label]));
  return { ...words, ...vars };
}

/** The name to show for `key` under `labels` (from labels()); `fallback` (default the key) when it has none. */
export function displayName(labels: Record<string, string> | undefined, key: string, fallback = key): string {
  return labels && Object.hasOwn(labels, key) ? labels[key] : fallback;
}
