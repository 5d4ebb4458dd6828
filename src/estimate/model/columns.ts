/**
 * Column access for the estimators: a cached view of an arquero table (or anything with its column methods),
 * numeric coercion with errors that name the column and row, and dense integer codes for categorical columns.
 */
import { findCodes, keepCodes } from './code-cache';
import { denseCodes, integerCodes } from './integer-codes';
import { isMissing, numbersOf } from '../../data/missing';

/** Anything with arquero's column access (an arquero Table). */
export interface ColumnSource {
  columnNames(): string[];
  numRows(): number;
  array(name: string): ArrayLike<unknown>;
  /** Interned text columns (codes −1 = missing), when the source has them: grouping then skips the strings. */
  factor?(name: string): { codes: Int32Array; labels: string[] } | undefined;
}

/** The parts of an arquero Table that allow reading a column without a copy. */
interface ArqueroLike extends ColumnSource {
  isFiltered(): boolean;
  isOrdered(): boolean;
  column(name: string): ArrayLike<unknown> | undefined;
}

function isArqueroLike(x: ColumnSource): x is ArqueroLike {
  const t = x as Partial<ArqueroLike>;
  return typeof t.isFiltered === 'function' && typeof t.column === 'function' && typeof t.isOrdered === 'function';
}

const cachedSources = new WeakSet<ColumnSource>();

/**
 * A column source that hands out each column once and then from a cache. arquero's Table.array() copies a
 * column element by element on every call; an unfiltered, unordered table's own column array is used directly.
 */
export function cachedSource(data: ColumnSource): ColumnSource {
  if (cachedSources.has(data)) return data;
  const cache = new Map<string, ArrayLike<unknown>>();
  const direct = isArqueroLike(data) && !data.isFiltered() && !data.isOrdered() ? data : undefined;
  const names = data.columnNames();
  const n = data.numRows();
  const source: ColumnSource = {
    factor: data.factor ? (name: string) => data.factor?.(name) : undefined,
    columnNames: () => names,
    numRows: () => n,
    array(name: string) {
      let a = cache.get(name);
      if (!a) {
        const c = direct?.column(name);
        a = c && typeof c.length === 'number' && c.length === n ? c : data.array(name);
        cache.set(name, a);
      }
      return a;
    },
  };
  cachedSources.add(source);
  return source;
}
/**
 * A model column as numbers, under the data layer's one rule (numbersOf): null, undefined, '' and NaN are missing;
 * text is an error (use it as a fixed effect instead); so is ±Infinity.
 */
export function numericColumn(data: ColumnSource, name: string, where: string): Float64Array {
  const a = data.array(name);
  // Numbers already (a loaded file's column): only ±Infinity is refused, so only that needs a look. The same pass
  // notes a column with no missing value and nothing beyond ±MAX_ABS_VALUE (design.ts then checks it no further).
  if (a instanceof Float64Array) {
    const s = scanned.get(a)?.design === design ? (scanned.get(a)?.status ?? scanNumbers(a)) : scanNumbers(a);
    if (s === 'in-range') inRange.set(a, design);
    if (s !== 'infinite') return a;
  }
  return numbersOf(
    a,
    name,
    where,
    'A regressor must be numeric. Use it as a fixed effect after "|" instead, or recode it.',
  );
}

/** Key of a categorical value; null/undefined/NaN/'' are missing. */
export function catKey(v: unknown): string | null {
  return catMissing(v) ? null : String(v);
}

/** True when a categorical cell is missing (catKey would give null): the data layer's one rule. */
export const catMissing = isMissing;

/** Dense codes of a key (fixed effect, cluster, panel id) over some rows, with what reading the spellings did. */
export interface KeyCodes {
  /** Code per row (−1 where a part is missing). */
  codes: Int32Array;
  nLevels: number;
  labels: string[];
  /** Spellings read as one group (surrounding spaces, a zero fraction), counted. */
  notes: string[];
  /** Distinct spellings that are equal as numbers ("1.1" and "1.10"), kept apart and named. */
  warnings: string[];
}

const ZERO_FRACTION = /^([+-]?[0-9]+)\.0+$/;
const NUMBER_TEXT = /^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/;

/**
 * The one spelling rule of keys: a key is its text without surrounding spaces and without a zero fractional part,
 * so `110000`, `110000.0` and ` 110000 ` (an integer export appended to a pandas float export) are one group.
 * Other spellings stay distinct (`1.1`/`1.10`, `0101`/`101`): codes may carry meaning in their digits.
 */
export function canonicalKey(v: unknown): string | null {
  if (catMissing(v)) return null;
  const s = String(v);
  const t = s.trim();
  if (!t) return s;
  const m = ZERO_FRACTION.exec(t);
  return m ? m[1] : t;
}

/** Reads raw key values of one column into canonical keys and keeps score of what the rule changed. */
class Speller {
  private readonly canon = new Map<string, string>();
  /** First raw spelling of each canonical key, and rows spelled otherwise. */
  private readonly first = new Map<string, string>();
  private merged = 0;
  private example: [string, string] | undefined;
  constructor(private readonly name: string) {}
  /** The canonical key of `v`, counting `rows` rows spelled this way. */
  key(v: unknown, rows = 1): string | null {
    if (catMissing(v)) return null;
    const raw = String(v);
    let k = this.canon.get(raw);
    if (k === undefined) {
      k = canonicalKey(raw) as string;
      this.canon.set(raw, k);
    }
    const f = this.first.get(k);
    if (f === undefined) this.first.set(k, raw);
    else if (f !== raw) {
      this.merged += rows;
      this.example ??= [f, raw];
    }
    return k;
  }
  notes(): string[] {
    if (!this.merged) return [];
    const [a, b] = this.example as [string, string];
    return [
      `Key "${this.name}": ${this.merged} row${this.merged > 1 ? 's' : ''} spelled differently from the rest of ` +
        `their group (e.g. "${a}" and "${b}") read as one group: surrounding spaces and a zero fraction (.0) ` +
        'are not part of a code.',
    ];
  }
  warnings(): string[] {
    const byNumber = new Map<number, string>();
    const pairs: [string, string][] = [];
    for (const k of this.first.keys()) {
      if (!NUMBER_TEXT.test(k)) continue;
      const x = Number(k);
      const other = byNumber.get(x);
      if (other === undefined) byNumber.set(x, k);
      else pairs.push([other, k]);
    }
    if (!pairs.length) return [];
    const [a, b] = pairs[0];
    return [
      `Key "${this.name}": ${pairs.length} pair${pairs.length > 1 ? 's' : ''} of codes equal as numbers but ` +
        `spelled differently (e.g. "${a}" and "${b}") kept as separate groups. If they are one code, make the ` +
        'spellings equal in the data.',
    ];
  }
}

/** Dense codes for one or several interacted categorical columns over the rows in `rows`. */
const codeCache = new WeakMap<Int32Array, Map<string, KeyCodes>>();

/** codesFor, computed once per (rows, variables): a cluster variable that is also a fixed effect reuses its codes. */
export function codesForCached(data: ColumnSource, vars: string[], rows: Int32Array): KeyCodes {
  const m = cacheOf(rows);
  const key = vars.join('^');
  let c = m.get(key);
  if (!c) {
    c = findCodes(data, vars, rows);
    if (!c) {
      c = codesFor(data, vars, rows);
      keepCodes(data, vars, rows, c);
    }
    m.set(key, c);
  }
  return c;
}

const allRowsCache = new WeakMap<ColumnSource, Int32Array>();

/** Codes of a key over every row of the data (−1 where missing): the panel id of lags and leads. */
export function codesForAllRows(data: ColumnSource, vars: string[]): KeyCodes {
  let rows = allRowsCache.get(data);
  if (!rows) {
    rows = Int32Array.from({ length: data.numRows() }, (_, i) => i);
    allRowsCache.set(data, rows);
  }
  return codesForCached(data, vars, rows);
}

/** Rows from which key codes are made in shared memory: a two-thread fit then hands them to its worker as they are. */
const SHARED_CODES_MIN_ROWS = 200_000;
/** Codes computed elsewhere (on the worker thread: model/demean-parallel.ts), for codesForCached to hand out. */
export const cacheCodes = (rows: Int32Array, vars: string[], c: KeyCodes): void =>
  void cacheOf(rows).set(vars.join('^'), c);

function cacheOf(rows: Int32Array): Map<string, KeyCodes> {
  const m = codeCache.get(rows) ?? new Map<string, KeyCodes>();
  codeCache.set(rows, m);
  return m;
}

export function codesFor(data: ColumnSource, vars: string[], rows: Int32Array): KeyCodes {
  const n = rows.length;
  const codes = n >= SHARED_CODES_MIN_ROWS ? new Int32Array(new SharedArrayBuffer(4 * n)) : new Int32Array(n);
  const f0 = vars.length === 1 ? data.factor?.(vars[0]) : undefined;
  if (f0) {
    // Interned text: the canonical key of each label once, then the codes met in these rows densely, in order of
    // appearance.
    const sp = new Speller(vars[0]);
    const byKey = new Map<string, number>();
    const order: number[] = [];
    const labels: string[] = [];
    const level = (k: number) => {
      order.push(k);
      const key = canonicalKey(f0.labels[k]);
      if (key === null) return -1;
      let v = byKey.get(key);
      if (v === undefined) {
        v = labels.length;
        byKey.set(key, v);
        labels.push(key);
      }
      return v;
    };
    const seen = denseCodes(f0.codes, f0.labels.length, rows, codes, level);
    // Spellings counted per interned label, in order of first appearance (the first spelling of a group is its own).
    for (const k of order) sp.key(f0.labels[k], seen[k]);
    return { codes, nLevels: labels.length, labels, notes: sp.notes(), warnings: sp.warnings() };
  }
  const cols = vars.map((v) => data.array(v));
  const c0 = cols[0];
  if (
    cols.length === 1 &&
    (c0 instanceof Int32Array ||
      c0 instanceof Float64Array ||
      c0 instanceof Uint8Array ||
      c0 instanceof Uint32Array ||
      c0 instanceof Int16Array)
  ) {
    // Numeric codes (the common case: city_code, year): one spelling per number; a numeric map is much faster,
    // and a table indexed by the value faster still when the values are integers in a range not much wider.
    const direct = integerCodes(c0 as ArrayLike<number>, rows, codes);
    if (direct) return { ...direct, notes: [], warnings: [] };
    const nmap = numberCodes(c0 as ArrayLike<number>, rows, codes);
    return { codes, nLevels: nmap.size, labels: [...nmap.keys()].map(String), notes: [], warnings: [] };
  }
  const spellers = vars.map((v) => new Speller(v));
  const map = textCodes(cols, spellers, rows, codes);
  return {
    codes,
    nLevels: map.size,
    labels: [...map.keys()],
    notes: spellers.flatMap((s) => s.notes()),
    warnings: spellers.flatMap((s) => s.warnings()),
  };
}

// The two loops over rows of codesFor are functions of their own: the engine optimises each for its one kind of
// key, where a loop inside codesFor would have it compile all of codesFor again whenever a call takes another path.

/** Codes of numbers in order of appearance (NaN: −1), into `codes`; returns the map of number to code. */
function numberCodes(c0: ArrayLike<number>, rows: Int32Array, codes: Int32Array): Map<number, number> {
  const nmap = new Map<number, number>();
  for (let r = 0; r < rows.length; r++) {
    const x = c0[rows[r]];
    if (Number.isNaN(x)) {
      codes[r] = -1;
      continue;
    }
    let v = nmap.get(x);
    if (v === undefined) {
      v = nmap.size;
      nmap.set(x, v);
    }
    codes[r] = v;
  }
  return nmap;
}

/** Codes of the canonical keys of one or several interacted columns (−1 where a part is missing), into `codes`. */
function textCodes(
  cols: ArrayLike<unknown>[],
  spellers: Speller[],
  rows: Int32Array,
  codes: Int32Array,
): Map<string, number> {
  const map = new Map<string, number>();
  for (let r = 0; r < rows.length; r++) {
    const i = rows[r];
    let key = '';
    let missing = false;
    for (let c = 0; c < cols.length; c++) {
      const k = spellers[c].key(cols[c][i]);
      if (k === null) missing = true;
      key += (c ? '^' : '') + k;
    }
    if (missing) {
      codes[r] = -1;
      continue;
    }
    let v = map.get(key);
    if (v === undefined) {
      v = map.size;
      map.set(key, v);
    }
    codes[r] = v;
  }
  return map;
}

/**
 * Largest |value| a model column may hold: least squares sums squares and cross products, and above about 1e154 a
 * square overflows double precision (the coefficient would vanish as "collinear"); 1e100 leaves room for sums.
 */
export const MAX_ABS_VALUE = 1e100;

/**
 * Columns numericColumn found never missing and within ±MAX_ABS_VALUE, by the design they were read for (a design
 * starts by taking a new number: a column changed in place between fits is looked at again).
 */
const inRange = new WeakMap<Float64Array, number>();
let design = 0;
export const newDesign = () => ++design;
export const readInRange = (x: Float64Array) => inRange.get(x) === design;
type Scan = 'in-range' | 'finite' | 'infinite';
const scanned = new WeakMap<Float64Array, { design: number; status: Scan }>();
/** What scanNumbers would say of a column, found in advance for this design (on two threads: model/design.ts). */
export const noteScan = (x: Float64Array, status: Scan): void => void scanned.set(x, { design, status });

function scanNumbers(a: Float64Array): Scan {
  for (let i = 0; i < a.length; i++) {
    if (Math.abs(a[i]) <= MAX_ABS_VALUE) continue;
    for (let j = i; j < a.length; j++) if (a[j] === Infinity || a[j] === -Infinity) return 'infinite';
    return 'finite';
  }
  return 'in-range';
}
