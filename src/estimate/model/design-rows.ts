/**
 * Loops over every row of a design (model/design.ts), each a small function of its own: the engine optimises those
 * early, where a loop inside buildDesign (run once per fit) would run unoptimised.
 */
import { catMissing, MAX_ABS_VALUE } from './columns';

/** Rows kept in `before` but not in `keep`: how many, and the keys of the first 50. */
export function newlyDropped(before: Uint8Array, keep: Uint8Array, key: (i: number) => string) {
  const count = countDropped(before, keep);
  return { count, keys: count ? droppedKeys(before, keep, key) : [] };
}

// The loops below have nothing after them but their result, and no branch that only some designs take: the engine
// optimises a loop while it runs, and code it had not seen run yet (after the loop, or a first dropped row) would
// throw that code away again, on every later design.

function countDropped(before: Uint8Array, keep: Uint8Array): number {
  let count = 0;
  for (let i = 0; i < keep.length; i++) count += before[i] !== 0 && keep[i] === 0 ? 1 : 0;
  return count;
}

/** Keys of the first 50 rows kept in `before` but not in `keep`. */
function droppedKeys(before: Uint8Array, keep: Uint8Array, key: (i: number) => string): string[] {
  const keys: string[] = [];
  for (let i = 0; i < keep.length && keys.length < 50; i++) if (before[i] && !keep[i]) keys.push(key(i));
  return keys;
}

/**
 * dropMadeNonFinite's pass over one column of a term (design.ts): clear keep[i] where x[i] is ±Infinity, or NaN
 * although none of the term's variables `vars` is missing there and the term has no lag. Keys of the rows dropped
 * go to `keys` (shared by the term's columns) until it holds 50; returns how many rows this column dropped.
 */
export function dropNonFinite(
  keep: Uint8Array,
  x: Float64Array,
  vars: ArrayLike<unknown>[],
  lagged: boolean,
  key: (i: number) => string,
  keys: string[],
): number {
  let count = 0;
  for (let i = 0; i < keep.length; i++) {
    if (!keep[i] || Number.isFinite(x[i])) continue;
    const inf = x[i] === Infinity || x[i] === -Infinity;
    if (!inf && (lagged || anyMissing(vars, i))) continue;
    keep[i] = 0;
    count++;
    if (keys.length < 50) keys.push(key(i));
  }
  return count;
}

/** Whether any of the columns is missing at row i (the first missing one ends the look, as `some` does). */
function anyMissing(vars: ArrayLike<unknown>[], i: number): boolean {
  for (let c = 0; c < vars.length; c++) if (catMissing(vars[c][i])) return true;
  return false;
}

/** From this many rows the kept rows are in shared memory, where the worker of a large fit reads them. */
const SHARED_ROWS_MIN = 200_000;

export function keptRows(keep: Uint8Array): Int32Array {
  let kept = 0;
  for (let i = 0; i < keep.length; i++) kept += keep[i];
  const rows = kept >= SHARED_ROWS_MIN ? new Int32Array(new SharedArrayBuffer(4 * kept)) : new Int32Array(kept);
  for (let i = 0, r = 0; i < keep.length; i++) if (keep[i]) rows[r++] = i;
  return rows;
}

export function range(y: Float64Array, rows: Int32Array): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let r = 0; r < rows.length; r++) {
    const v = y[rows[r]];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

/** Whether every value is finite and within ±MAX_ABS_VALUE (one pass; NaN fails the comparison). */
export function inRange(x: Float64Array): boolean {
  for (let i = 0; i < x.length; i++) if (!(Math.abs(x[i]) <= MAX_ABS_VALUE)) return false;
  return true;
}

/** Clear keep[i] where codes[i] is −1 or a level marked in `missing`. */
export function dropCodes(keep: Uint8Array, codes: Int32Array, missing: Uint8Array): void {
  for (let i = 0; i < keep.length; i++) {
    const k = codes[i];
    keep[i] = k < 0 || missing[k] ? 0 : keep[i];
  }
}

/** Clear keep[i] where x[i] is NaN (every element written: no branch that only some columns take). */
export function dropNaN(keep: Uint8Array, x: Float64Array): void {
  for (let i = 0; i < keep.length; i++) keep[i] = Number.isNaN(x[i]) ? 0 : keep[i];
}

/** Clear keep[i] where `missing(col[i])`, for rows still kept. */
export function dropMissing(keep: Uint8Array, col: ArrayLike<unknown>, missing: (v: unknown) => boolean): void {
  for (let i = 0; i < keep.length; i++) keep[i] = keep[i] && missing(col[i]) ? 0 : keep[i];
}
