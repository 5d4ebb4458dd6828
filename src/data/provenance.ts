/**
 * Where a result came from, and under which settings: the data file (name and a short content hash), whether it is
 * simulated, its rows, and the notebook's settings as the settings cell last registered them (`settings({...})`).
 *
 * A reviewer re-runs cells one at a time: a table computed before the settings cell was edited must not be shown as
 * if it followed the new settings. Every study records the settings it was built under; every model fitted on it
 * inherits them; `show` compares them with the current ones (`staleness`) and refuses, naming the cell to re-run.
 */
import { say } from '../lang';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fmtNum } from '../format';
import { defaultPanelPath } from './reference';

export type SettingsValues = Record<string, unknown>;

export interface Provenance {
  /** The data file: its folder and name (data/panel.csv for the default panel). */
  file: string;
  /** First 8 hex digits of the SHA-256 of the file's bytes. */
  hash: string;
  /** The default panel, or a file with the `truth.json` that `nqp data` writes beside its panel. */
  simulated: boolean;
  /** Rows (city-years) loaded. */
  rows: number;
  /** Processing choices that change every number (winsorising, interpolation, pooling). */
  steps: string[];
  /** The settings registered when the data were loaded (undefined: no settings cell ran). */
  settings?: SettingsValues;
  /** The call that built the result, to name the cell to re-run. */
  builtBy: string;
}

let current: SettingsValues | undefined;
let latest: Provenance | undefined;
const tags = new WeakMap<object, Provenance>();

/**
 * Register the notebook's settings; call it at the end of the settings cell. Every study and model built
 * afterwards records them, and `show` refuses results built under other values.
 * @example settings({ DATA, X, CONTROLS, CLUSTER });
 */
export function settings<T extends SettingsValues>(values: T): T {
  current = JSON.parse(JSON.stringify(values, (_k, v) => (v === undefined ? null : v)));
  return values;
}

/** The settings the settings cell last registered (undefined outside notebooks). */
export function currentSettings(): SettingsValues | undefined {
  return current;
}

/** Forget the registered settings and the latest source (tests). */
export function resetSession(): void {
  current = undefined;
  latest = undefined;
}

/** The part of a file's SHA-256 (hex) that provenance lines show. */
const shortHash = (sha256: string) => sha256.slice(0, 8);

/** Content hash of a file: the first 8 hex digits of its SHA-256. */
export function fileHash(path: string): string {
  try {
    return shortHash(createHash('sha256').update(readFileSync(path)).digest('hex'));
  } catch {
    return '????????';
  }
}

/** The `truth.json` beside a data file (written by `nqp data`), or undefined. */
export function truthBeside(path: string | undefined): string | undefined {
  const p = join(dirname(resolve(path ?? defaultPanelPath())), 'truth.json');
  return existsSync(p) && statSync(p).isFile() ? p : undefined;
}

/**
 * A data file as the stamp names it: data/… for the default panel's folder, else its path relative to the working
 * folder (the notebook's, as DATA is written), never an absolute machine path.
 */
export function displayPath(path: string): string {
  const file = resolve(path);
  if (dirname(file) === dirname(resolve(defaultPanelPath()))) return `data/${basename(file)}`;
  const rel = relative(process.cwd(), file);
  return rel && !isAbsolute(rel) ? rel.split(sep).join('/') : basename(file);
}

/** Record where a table came from; the latest recorded source stamps results whose input is not tagged. */
export function recordSource(
  table: object,
  path: string | undefined,
  info: { rows: number; steps?: string[]; builtBy: string; latest?: boolean; sha256?: string },
): Provenance {
  const file = resolve(path ?? defaultPanelPath());
  const p: Provenance = {
    file: displayPath(file),
    // `sha256`: the file's hash when the caller has just computed it from the bytes (the cached default panel).
    hash: info.sha256 ? shortHash(info.sha256) : fileHash(file),
    simulated: file === resolve(defaultPanelPath()) || truthBeside(file) !== undefined,
    rows: info.rows,
    steps: info.steps ?? [],
    settings: current,
    builtBy: info.builtBy,
  };
  tags.set(table, p);
  if (info.latest !== false) latest = p;
  return p;
}

/** The source recorded for this table, else the latest study loaded in this session. */
export function sourceOf(table: unknown): Provenance | undefined {
  return (table && typeof table === 'object' ? tags.get(table) : undefined) ?? latest;
}

/** The latest source recorded in this session. */
export function latestSource(): Provenance | undefined {
  return latest;
}

const show = (v: unknown) =>
  Array.isArray(v) ? (v.length ? v.join(', ') : 'none') : v === null ? 'default' : String(v);

/**
 * One line: "Simulated data — panel.csv (sha256 1a2b3c4d), N = 2,760; X = nqp; CONTROLS = lnpgdp, open; ...".
 * `n` overrides the row count (a model's estimation sample); `extra` adds what the result itself depends on.
 */
export function provenanceLine(p: Provenance, options: { n?: number[]; extra?: string[] } = {}): string {
  const ns = [...new Set(options.n ?? [p.rows])].map((n) => fmtNum(n, 0));
  const sets = Object.entries(p.settings ?? {}).map(([k, v]) => `${k} = ${show(v)}`);
  const parts = [
    `${p.file} (sha256 ${p.hash})`,
    `N = ${ns.join(' / ')}`,
    ...sets,
    ...p.steps.map(stepText),
    ...(options.extra ?? []),
  ];
  return `${p.simulated ? say('Simulated data — ', '模拟数据 — ') : say('Data: ', '数据：')}${parts.join(say('; ', '；'))}`;
}

/** A processing step in the current language (steps are recorded in English when the data are built). */
function stepText(step: string): string {
  const w = /^indicators winsorised ([\d.]+)–([\d.]+)% (pooled|by year)$/.exec(step);
  if (w) return say(step, `指标在 ${w[1]}%–${w[2]}% 分位缩尾（${w[3] === 'pooled' ? '全样本' : '逐年'}）`);
  const fixed: Record<string, string> = {
    'no winsorising': '未缩尾',
    'no interpolation': '未插值',
    'entropy weights by year': '逐年计算熵值权重',
  };
  return fixed[step] ? say(step, fixed[step]) : step;
}

/**
 * Why a result is stale, or undefined: the settings it was built under differ from the ones registered now.
 * The message names the settings that changed and the cell to re-run.
 */
export function staleness(p: Provenance | undefined, what = 'This result'): string | undefined {
  if (!p?.settings || !current) return undefined;
  const keys = [...new Set([...Object.keys(p.settings), ...Object.keys(current)])];
  const changed = keys.filter((k) => JSON.stringify(p.settings?.[k]) !== JSON.stringify(current?.[k]));
  if (!changed.length) return undefined;
  const diff = changed.map((k) => `${k} = ${show(p.settings?.[k] ?? null)} → ${show(current?.[k] ?? null)}`);
  const cell = latest && staleness0(latest) ? latest.builtBy : p.builtBy;
  return (
    `${what} was computed under other settings (${diff.join('; ')}) than the settings cell now registers. ` +
    `Re-run the cell that calls ${cell} and the cells after it, then this one.`
  );
}

function staleness0(p: Provenance): boolean {
  if (!p.settings || !current) return false;
  return JSON.stringify(p.settings) !== JSON.stringify(current);
}
