/**
 * The CSV reader's fast path for a plain row (csv-stream.ts): every field of a number column a plain number or
 * empty (missing), every field of a text column a canonical integer (a city code, a year), fields ended by the
 * delimiter and the row by a line feed. Such a row is read in one pass over its bytes, each field parsed where it is
 * found, and pushed whole. Any other row (a text or quoted cell, a missing token such as NA, CR, a wrong field count,
 * a row cut by the block's end) is left untouched to the general path, which then reads it exactly as it reads every
 * row; the fast path accepts only rows that the general path would read to the same values, so the frame is the
 * same either way.
 */
import * as cells from './cells';
import type { ColumnBuilder } from './frame';

/** Delimiters the fast path takes: none can continue a number or an integer, so a field ends where they occur. */
const DELIMITERS = new Set([',', ';', '\t', '|']);

export class FastRows {
  /** Per column: 1 a number column, 2 a text column. */
  private readonly kinds: Uint8Array;
  private readonly vals: Float64Array;
  private readonly D: number;
  /**
   * Rows tried and rows left to the general path. When a quarter of them (and at least 256) were not plain, the
   * fast path tries only one row in 1024 (rows are not read twice for nothing), and resumes when that one is plain.
   */
  private tried = 0;
  private misses = 0;
  private skipped = 0;

  private constructor(
    private readonly builders: ColumnBuilder[],
    delimiter: string,
  ) {
    this.kinds = new Uint8Array(builders.length);
    this.vals = new Float64Array(builders.length);
    this.D = delimiter.charCodeAt(0);
    this.refresh();
  }

  /** The fast path for these columns, or undefined when the delimiter does not allow it. */
  static for(builders: ColumnBuilder[], delimiter: string): FastRows | undefined {
    return DELIMITERS.has(delimiter) && builders.length > 0 ? new FastRows(builders, delimiter) : undefined;
  }

  /** Read the columns' types again (after the general path has read a row, which may turn a column to text). */
  refresh(): void {
    for (let c = 0; c < this.builders.length; c++) this.kinds[c] = this.builders[c].mode === 'number' ? 1 : 2;
  }

  /**
   * The row starting at buf[i] when it is plain and ends with a line feed before `filled`: its cells are pushed and
   * the position after the line feed returned. Otherwise −1, and nothing is pushed.
   */
  row(buf: Uint8Array, i: number, filled: number): number {
    const resting = this.misses >= 256 && this.misses * 4 > this.tried;
    if (resting && ++this.skipped % 1024 !== 0) return -1;
    this.tried++;
    const kinds = this.kinds;
    const vals = this.vals;
    const last = kinds.length - 1;
    for (let c = 0; c <= last; c++) {
      let v: number;
      let e: number;
      if (kinds[c] === 1) {
        if (last > 0 && i < filled && buf[i] === (c === last ? 10 : this.D)) {
          // An empty field: a missing cell, as the general path reads it (NaN here; no plain number is NaN). Not
          // in a one-column file, where an empty line is a blank line, skipped.
          e = i;
          v = NaN;
        } else {
          e = cells.scanNumberInto(buf, i, filled, vals, c);
          v = vals[c];
          if (Number.isNaN(v)) return this.miss(); // not a plain number
        }
      } else {
        // A canonical integer, as cells.ts scanCanonicalInt reads it: an optional minus, 1–15 digits, no leading
        // zero but "0". Written out here, not called: a call per key cell made a plain-row read 20% slower.
        const neg = i < filled && buf[i] === 45;
        const d0 = neg ? i + 1 : i;
        v = 0;
        for (e = d0; e < filled; e++) {
          const d = buf[e] - 48;
          if (d < 0 || d > 9) break;
          v = v * 10 + d;
        }
        const len = e - d0;
        if (len < 1 || len > 15 || (buf[d0] === 48 && (len > 1 || neg))) return this.miss();
        if (neg) v = -v;
      }
      if (e >= filled || buf[e] !== (c === last ? 10 : this.D)) return this.miss();
      vals[c] = v;
      i = e + 1;
    }
    const builders = this.builders;
    for (let c = 0; c <= last; c++) {
      if (kinds[c] === 2) builders[c].pushCanonicalInt(vals[c]);
      else if (Number.isNaN(vals[c])) builders[c].pushMissing();
      else builders[c].pushNumber(vals[c]);
    }
    if (resting) this.tried = this.misses = 0;
    return i;
  }

  private miss(): number {
    this.misses++;
    return -1;
  }
}
