/**
 * Column access for the estimators: a cached view of an arquero table (or anything with its column methods),
 * numeric coercion with errors that name the column and row, and dense integer codes for categorical columns.
 */
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
  return numbersOf(
    data.array(name),
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

/** Dense codes for one or several interacted categorical columns over the rows in `rows`. */
const codeCache = new WeakMap<Int32Array, Map<string, { codes: Int32Array; nLevels: number; labels: string[] }>>();

/** codesFor, computed once per (rows, variables): a cluster variable that is also a fixed effect reuses its codes. */
export function codesForCached(
  data: ColumnSource,
  vars: string[],
  rows: Int32Array,
): { codes: Int32Array; nLevels: number; labels: string[] } {
  let m = codeCache.get(rows);
  if (!m) {
    m = new Map();
    codeCache.set(rows, m);
  }
  const key = vars.join('^');
  let c = m.get(key);
  if (!c) {
    c = codesFor(data, vars, rows);
    m.set(key, c);
  }
  return c;
}

function codesFor(
  data: ColumnSource,
  vars: string[],
  rows: Int32Array,
): { codes: Int32Array; nLevels: number; labels: string[] } {
  const codes = new Int32Array(rows.length);
  const f0 = vars.length === 1 ? data.factor?.(vars[0]) : undefined;
  if (f0) {
    // Interned text: recode the codes met in these rows densely, in order of appearance.
    const dense = new Int32Array(f0.labels.length).fill(-1);
    const labels: string[] = [];
    for (let r = 0; r < rows.length; r++) {
      const k = f0.codes[rows[r]];
      let v = dense[k];
      if (v === -1) {
        v = labels.length;
        dense[k] = v;
        labels.push(f0.labels[k]);
      }
      codes[r] = v;
    }
    return { codes, nLevels: labels.length, labels };
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
    // Numeric codes (the common case: city_code, year): a numeric map is much faster than string keys.
    const nmap = new Map<number, number>();
    for (let r = 0; r < rows.length; r++) {
      const x = (c0 as Float64Array)[rows[r]];
      let v = nmap.get(x);
      if (v === undefined) {
        v = nmap.size;
        nmap.set(x, v);
      }
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
    if (v === undefined) {
      v = map.size;
      map.set(key, v);
    }
    codes[r] = v;
  }
  return { codes, nLevels: map.size, labels: [...map.keys()] };
}
