/**
 * The one rule for reading a cell, for every format and every entry point (notebooks, `nqp fit`, `nqp
 * reproduce`):
 *
 * - missing: empty, `NA`, `N/A`, `.`, `-`, `—`, `NULL` (counted per column in the load report);
 * - a number: JavaScript/R/Stata decimal syntax (`12`, `-0.5`, `.5`, `1e-3`, `+2`);
 * - thousands separators: digits grouped by commas in threes (`41,890`, `1,234,567.5`) are read without the commas
 *   and counted; those with one comma and no point (`7,820`), which a decimal-comma locale means as 7.82, are
 *   counted apart (ColumnFacts.thousandsAmbiguous) so the load report and `nqp fit` can warn; with `;` as the
 *   delimiter a comma is a decimal comma and is refused;
 * - refused, naming the cell: a decimal comma (`3,5`), hexadecimal (`0x1F`), `Infinity`/`inf`/`NaN` written as
 *   text, and overflow (`1e309`): none has one safe reading;
 * - anything else is text (the column is then a text column, or an error where the codebook wants a number).
 */

export type Cell =
  | { kind: 'number'; value: number; thousands: boolean; ambiguous?: boolean }
  | { kind: 'missing' }
  | { kind: 'bad'; reason: string }
  | { kind: 'text' };

export const MISSING_TOKENS: ReadonlySet<string> = new Set(['', 'NA', 'N/A', 'n/a', '.', '-', '—', 'NULL', 'null']);

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const THOUSANDS = /^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/;
/** One comma, three digits after it, no point: "7,820" is 7820 with thousands separators, 7.82 with a decimal comma. */
const AMBIGUOUS = /^[+-]?\d{1,3},\d{3}$/;
const DECIMAL_COMMA = /^[+-]?\d*,\d+$/;
const HEX = /^[+-]?0[xX][0-9a-fA-F]+$/;
const NON_FINITE = /^[+-]?(inf|infinity|nan)$/i;

const MISSING: Cell = { kind: 'missing' };
const TEXT: Cell = { kind: 'text' };

/** Read one (already trimmed) cell. `decimalComma` is true when the delimiter is `;`. */
export function readCell(s: string, decimalComma = false): Cell {
  if (MISSING_TOKENS.has(s)) return MISSING;
  if (NUMBER.test(s)) {
    const value = Number(s);
    if (!Number.isFinite(value)) return { kind: 'bad', reason: `"${s}" overflows a double` };
    return { kind: 'number', value, thousands: false };
  }
  if (!decimalComma && THOUSANDS.test(s)) {
    return { kind: 'number', value: Number(s.replace(/,/g, '')), thousands: true, ambiguous: AMBIGUOUS.test(s) };
  }
  if (DECIMAL_COMMA.test(s) || (decimalComma && THOUSANDS.test(s))) {
    return { kind: 'bad', reason: `"${s}" has a decimal comma; write numbers with a decimal point` };
  }
  if (HEX.test(s)) return { kind: 'bad', reason: `"${s}" is hexadecimal; write it in decimal` };
  if (NON_FINITE.test(s)) {
    return { kind: 'bad', reason: `"${s}" is not a finite number; leave the cell empty (or NA) if it is missing` };
  }
  return TEXT;
}

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18];
const POW10_HI = [1e19, 1e20, 1e21, 1e22];

const ONE = new Float64Array(1);

/**
 * A plain decimal number straight from bytes, starting at `start` and stopping at the first byte that cannot
 * continue it, without making a string: digits, one point, an optional sign and exponent. Exact (correctly
 * rounded, as Number()) by Clinger's fast path: at most 15 significant digits and a power of ten within 10^±22,
 * where the integer mantissa and the power of ten are both exact doubles and one multiplication or division rounds
 * once. Writes the number to out[k] — NaN for anything else, which the caller then reads through readCell — and
 * returns where it stopped: the hot loops of the CSV reader call this, since a call that returns a double that is
 * not a small integer allocates it.
 */
export function scanNumberInto(b: Uint8Array, start: number, limit: number, out: Float64Array, k: number): number {
  let i = start;
  out[k] = NaN;
  if (i >= limit) return start;
  let neg = false;
  const s = b[i];
  if (s === 45 || s === 43) {
    neg = s === 45;
    i++;
  }
  // The digits before and after the point make one integer mantissa; leading zeros add nothing to it, so more
  // than 15 significant digits is exactly a mantissa of 10^15 or more (refused below; only then can it be inexact).
  let mant = 0;
  const intStart = i;
  for (; i < limit; i++) {
    const d = b[i] - 48;
    if (d < 0 || d > 9) break;
    mant = mant * 10 + d;
  }
  let digits = i - intStart;
  let scale = 0;
  if (i < limit && b[i] === 46) {
    i++;
    const fracStart = i;
    for (; i < limit; i++) {
      const d = b[i] - 48;
      if (d < 0 || d > 9) break;
      mant = mant * 10 + d;
    }
    scale = fracStart - i;
    digits += i - fracStart;
  }
  if (digits === 0) return start;
  if (i < limit && (b[i] === 101 || b[i] === 69)) return scanExponent(b, i + 1, limit, out, k, mant, scale, neg);
  // No exponent (the common case, kept small enough for the engine to inline this function into its callers).
  if (mant >= 1e15) return i;
  if (mant === 0) out[k] = neg ? -0 : 0;
  else if (scale >= -22) {
    const v = scale === 0 ? mant : mant / (-scale <= 18 ? POW10[-scale] : POW10_HI[-scale - 19]);
    out[k] = neg ? -v : v;
  }
  return i;
}

/** scanNumberInto from the byte after an "e" or "E": the exponent, then the number (or NaN) to out[k]. */
function scanExponent(
  b: Uint8Array,
  start: number,
  limit: number,
  out: Float64Array,
  k: number,
  mant: number,
  scale: number,
  neg: boolean,
): number {
  let i = start;
  let eneg = false;
  if (i < limit && (b[i] === 45 || b[i] === 43)) {
    eneg = b[i] === 45;
    i++;
  }
  let e = 0;
  let expDigits = 0;
  for (; i < limit; i++) {
    const c = b[i];
    if (c < 48 || c > 57) break;
    if (e < 100000) e = e * 10 + (c - 48);
    expDigits++;
  }
  const sc = scale + (eneg ? -e : e);
  if (!expDigits || mant >= 1e15) return i;
  let v: number;
  if (mant === 0) v = 0;
  else if (sc === 0) v = mant;
  else if (sc > 0 && sc <= 22) v = mant * (sc <= 18 ? POW10[sc] : POW10_HI[sc - 19]);
  else if (sc < 0 && sc >= -22) v = mant / (-sc <= 18 ? POW10[-sc] : POW10_HI[-sc - 19]);
  else return i;
  out[k] = neg ? -v : v;
  return i;
}

/** The number that is exactly the bytes [start, end), or NaN (see scanNumberInto). */
export function fastNumber(b: Uint8Array, start: number, end: number): number {
  return scanNumberInto(b, start, end, ONE, 0) === end ? ONE[0] : NaN;
}

/**
 * A canonical integer (see CANONICAL_INT: an optional minus, 1–15 digits, no leading zero but "0") from the bytes
 * at `start`: its value, or NaN when the digits there are not one, to out[k]; returns where the digits stop.
 */
export function scanCanonicalInt(b: Uint8Array, start: number, limit: number, out: Float64Array, k: number): number {
  const neg = start < limit && b[start] === 45;
  const d0 = neg ? start + 1 : start;
  let v = 0;
  let e = d0;
  for (; e < limit; e++) {
    const d = b[e] - 48;
    if (d < 0 || d > 9) break;
    v = v * 10 + d;
  }
  const len = e - d0;
  out[k] = len < 1 || len > 15 || (b[d0] === 48 && (len > 1 || neg)) ? NaN : neg ? -v : v;
  return e;
}

/** The value of bytes s..e when they are a canonical integer (see CANONICAL_INT); undefined otherwise. */
export function canonicalInt(buf: Uint8Array, s: number, e: number): number | undefined {
  return scanCanonicalInt(buf, s, e, ONE, 0) === e && !Number.isNaN(ONE[0]) ? ONE[0] : undefined;
}
