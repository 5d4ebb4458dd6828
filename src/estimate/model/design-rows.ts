/**
 * Loops over every row of a design (model/design.ts), each a small function of its own: the engine optimises those
 * early, where a loop inside buildDesign (run once per fit) would run unoptimised.
 */
import { MAX_ABS_VALUE } from './columns';

/** Rows kept in `before` but not in `keep`: how many, and the keys of the first 50. */
export function newlyDropped(before: Uint8Array, keep: Uint8Array, key: (i: number) => string) {
  let count = 0;
  const keys: string[] = [];
  for (let i = 0; i < keep.length; i++)
    if (before[i] && !keep[i]) {
      count++;
      if (keys.length < 50) keys.push(key(i));
    }
  return { count, keys };
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
    if (k < 0 || missing[k]) keep[i] = 0;
  }
}
