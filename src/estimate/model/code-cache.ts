/**
 * Key codes found again for another fit on the same rows and key values. columns.ts caches codes by the rows
 * array, and every fit makes its rows anew, so from one fit to the next that cache misses (a notebook fits the same
 * panel a dozen times; a Monte Carlo draw fits four models). Here an entry keeps what its codes were made from: the
 * rows, and each key column's values at those rows; a lookup compares them value by value, so an edited column, a
 * column replaced by another, or other rows are a miss, never stale codes. The same codes object is then handed
 * out, so what is keyed by the codes (the absorption's plan: demean-parallel.ts) is found again too.
 *
 * Only for small designs (the comparison costs about one pass over the rows per key column) and for columns read as
 * values (an interned text column is coded from its interned codes; it is not looked up here).
 */
import type { ColumnSource, KeyCodes } from './columns';

/** Rows up to which codes are kept for content lookups. */
const MAX_ROWS = 50_000;
/** Entries kept (most recently used first). */
const MAX_ENTRIES = 12;

interface Entry {
  key: string;
  rows: Int32Array;
  /** Per key column, its values at `rows`, and the kind of array it was (a column of another kind is a miss). */
  values: ArrayLike<unknown>[];
  kinds: unknown[];
  codes: KeyCodes;
}

const entries: Entry[] = [];

function readable(data: ColumnSource, vars: string[], rows: Int32Array): ArrayLike<unknown>[] | undefined {
  if (rows.length > MAX_ROWS || vars.some((v) => data.factor?.(v))) return undefined;
  return vars.map((v) => data.array(v));
}

function sameRows(a: Int32Array, b: Int32Array): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let r = 0; r < a.length; r++) if (a[r] !== b[r]) return false;
  return true;
}

/** True when col[rows[r]] is (===) values[r] for every r: NaN never matches, so a missing value is never reused. */
function sameValues(col: ArrayLike<unknown>, rows: Int32Array, values: ArrayLike<unknown>): boolean {
  if (col instanceof Float64Array && values instanceof Float64Array) {
    for (let r = 0; r < rows.length; r++) if (col[rows[r]] !== values[r]) return false;
    return true;
  }
  if (col instanceof Int32Array && values instanceof Int32Array) {
    for (let r = 0; r < rows.length; r++) if (col[rows[r]] !== values[r]) return false;
    return true;
  }
  for (let r = 0; r < rows.length; r++) if (col[rows[r]] !== values[r]) return false;
  return true;
}

/** Codes made before from the same key values on the same rows, if kept. */
export function findCodes(data: ColumnSource, vars: string[], rows: Int32Array): KeyCodes | undefined {
  const cols = readable(data, vars, rows);
  if (!cols) return undefined;
  const key = vars.join('^');
  for (let e = 0; e < entries.length; e++) {
    const en = entries[e];
    if (en.key !== key || !sameRows(en.rows, rows)) continue;
    if (!cols.every((c, j) => c.constructor === en.kinds[j] && sameValues(c, rows, en.values[j]))) continue;
    if (e > 0) {
      entries.splice(e, 1);
      entries.unshift(en);
    }
    return en.codes;
  }
  return undefined;
}

/** Keep codes just made (codesFor) for findCodes. */
export function keepCodes(data: ColumnSource, vars: string[], rows: Int32Array, codes: KeyCodes): void {
  const cols = readable(data, vars, rows);
  if (!cols) return;
  const values = cols.map((c): ArrayLike<unknown> => {
    const n = rows.length;
    const out =
      c instanceof Float64Array ? new Float64Array(n) : c instanceof Int32Array ? new Int32Array(n) : undefined;
    if (!out) return Array.from(rows, (i) => c[i]);
    for (let r = 0; r < n; r++) out[r] = (c as Float64Array | Int32Array)[rows[r]];
    return out;
  });
  const kinds = cols.map((c) => c.constructor);
  entries.unshift({ key: vars.join('^'), rows: rows.slice(), values, kinds, codes });
  if (entries.length > MAX_ENTRIES) entries.length = MAX_ENTRIES;
}
