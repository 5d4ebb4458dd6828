/** Codes of a numeric key column (model/columns.ts): the fast path for integers in a narrow range. */

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
