/**
 * The loops of the cleaning steps (clean.ts), each in a small function of its own: a cold process (every notebook
 * kernel) compiles a small hot loop quickly, where a loop inside a large edge function makes V8 optimise the whole
 * function, and again after each change of types.
 */
import type { Table } from './table';
import { tableColumn } from './table-column';

/**
 * Rows grouped by city, each group sorted by year, laid end to end: `rows[p]` is the row at position p, `years[p]`
 * its year, positions `start[p]` to `end[p]` (exclusive) its city's, and `at[row]` the row's position.
 */
export interface Cities {
  rows: Int32Array;
  years: unknown[];
  start: Int32Array;
  end: Int32Array;
  at: Int32Array;
}

export function byCity(data: Table, id: string, time: string): Cities {
  const ids = tableColumn(data, id),
    yrs = tableColumn(data, time) as ArrayLike<number>;
  const groups = new Map<unknown, number[]>();
  for (let i = 0; i < ids.length; i++) {
    const g = groups.get(ids[i]);
    if (g) g.push(i);
    else groups.set(ids[i], [i]);
  }
  const n = ids.length;
  const c: Cities = {
    rows: new Int32Array(n),
    years: new Array(n),
    start: new Int32Array(n),
    end: new Int32Array(n),
    at: new Int32Array(n),
  };
  let p = 0;
  for (const rows of groups.values()) {
    rows.sort((a, b) => yrs[a] - yrs[b]);
    const s = p;
    for (const r of rows) {
      c.rows[p] = r;
      c.years[p] = yrs[r];
      c.at[r] = p++;
    }
    c.start.fill(s, s, p);
    c.end.fill(p, s, p);
  }
  return c;
}

/**
 * Fill the interior gaps of one column in place; returns [filled, left]. Only missing cells are visited; every
 * value is computed before any is written, so a neighbour is always a cell observed in the data, never a filled one.
 */
export function fillGaps(x: Float64Array, c: Cities): [number, number] {
  const idx = missingRows(x);
  return idx.length ? fillAt(x, c, idx) : [0, 0];
}

/** The rows where x is NaN. */
function missingRows(x: Float64Array): Int32Array {
  let n = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (Number.isNaN(v)) n++;
  }
  const out = new Int32Array(n);
  if (!n) return out;
  let k = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (Number.isNaN(v)) out[k++] = i;
  }
  return out;
}

function fillAt(x: Float64Array, c: Cities, idx: Int32Array): [number, number] {
  const { rows, years, start, end, at } = c;
  const vals = new Float64Array(idx.length);
  const ok = new Uint8Array(idx.length);
  let filled = 0;
  for (let k = 0; k < idx.length; k++) {
    const p = at[idx[k]];
    let before = p - 1;
    while (before >= start[p] && Number.isNaN(x[rows[before]])) before--;
    let after = p + 1;
    while (after < end[p] && Number.isNaN(x[rows[after]])) after++;
    if (before < start[p] || after >= end[p]) continue;
    const yk = years[p] as number,
      yb = years[before] as number,
      ya = years[after] as number;
    const t = (yk - yb) / (ya - yb);
    vals[k] = x[rows[before]] + t * (x[rows[after]] - x[rows[before]]);
    ok[k] = 1;
    filled++;
  }
  for (let k = 0; k < idx.length; k++) if (ok[k]) x[idx[k]] = vals[k];
  return [filled, idx.length - filled];
}

export function gather(x: Float64Array, rows: number[]): Float64Array {
  const out = new Float64Array(rows.length);
  for (let k = 0; k < rows.length; k++) out[k] = x[rows[k]];
  return out;
}

/**
 * Set values below `lo` to `lo` and above `hi` to `hi` — in every row, or only in `rows` (one winsorising group);
 * returns how many changed.
 */
export function clip(x: Float64Array, lo: number, hi: number, rows?: number[]): number {
  let n = 0;
  const m = rows ? rows.length : x.length;
  for (let k = 0; k < m; k++) {
    const i = rows ? rows[k] : k;
    if (x[i] < lo) {
      x[i] = lo;
      n++;
    } else if (x[i] > hi) {
      x[i] = hi;
      n++;
    }
  }
  return n;
}
