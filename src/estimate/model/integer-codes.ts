/** Codes of key columns (model/columns.ts): integers in a narrow range, and interned labels. */

/** Dense codes of integer values (first appearance first) by direct lookup; undefined if the values do not fit. */
export function integerCodes(
  col: ArrayLike<number>,
  rows: Int32Array,
  codes: Int32Array,
): { codes: Int32Array; nLevels: number; labels: string[] } | undefined {
  let lo = Infinity;
  let hi = -Infinity;
  for (let r = 0; r < rows.length; r++) {
    const x = col[rows[r]];
    if (Number.isNaN(x)) continue; // missing
    if (!Number.isInteger(x)) return undefined;
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  if (lo > hi || !(hi - lo <= 4 * rows.length + 1024)) return undefined;
  const table = new Int32Array(hi - lo + 1).fill(-1);
  const labels: string[] = [];
  for (let r = 0; r < rows.length; r++) {
    const x = col[rows[r]];
    if (Number.isNaN(x)) {
      codes[r] = -1;
      continue;
    }
    let v = table[x - lo];
    if (v < 0) {
      v = labels.length;
      table[x - lo] = v;
      labels.push(String(x));
    }
    codes[r] = v;
  }
  return { codes, nLevels: labels.length, labels };
}

/**
 * Codes of interned labels over some rows: `level(k)` gives label k's code the first time k is met (a small
 * function of its own, so the loop over every row is optimised early). Returns how often each label was met.
 */
export function denseCodes(
  interned: ArrayLike<number>,
  nLabels: number,
  rows: Int32Array,
  codes: Int32Array,
  level: (k: number) => number,
): Int32Array {
  const dense = new Int32Array(nLabels).fill(-2);
  const seen = new Int32Array(nLabels);
  for (let r = 0; r < rows.length; r++) {
    const k = interned[rows[r]];
    if (k < 0) {
      codes[r] = -1;
      continue;
    }
    let v = dense[k];
    if (v === -2) {
      v = level(k);
      dense[k] = v;
    }
    seen[k]++;
    codes[r] = v;
  }
  return seen;
}
