/**
 * ColumnBuilder: one column collected cell by cell under the cell rule of cells.ts (numbers, or interned text),
 * and its contents as plain data for passing between threads.
 */
import { MISSING_TOKENS, readCell, type Cell } from './cells';
import type { ColumnFacts, FrameColumn } from './frame';

/** A ColumnBuilder's contents as plain data (see ColumnBuilder.state). */
export interface BuilderState {
  mode: 'number' | 'text';
  n: number;
  nums: Float64Array;
  codes: Int32Array;
  labels: string[];
  missing: number;
  thousands: number;
  ambiguous: number;
  ambiguousExample: string | undefined;
  firstBad: { row: number; reason: string } | undefined;
  needsReread: boolean;
}

/** Integer keys below this are interned through an array indexed by value (at most 8 MB a column). */
const SMALL_INTS = 1 << 21;

/** A canonical integer as text: 0, or an optional minus and 1–15 digits without a leading zero. */
export const CANONICAL_INT = /^(0|-?[1-9][0-9]{0,14})$/;

/**
 * Collects one column. It starts as numbers; the first text cell turns it into text, and the cells before it are
 * then needed again (`needsReread`): the CSV reader re-reads those columns in a second pass.
 */
export class ColumnBuilder {
  private nums: Float64Array;
  private codes: Int32Array;
  private dict = new Map<string, number>();
  /**
   * Labels that are canonical integers (no sign on 0, no leading zeros, ≤ 15 digits), keyed by their value: those
   * below the length of `small` (at most SMALL_INTS) there, the others here.
   */
  private intDict = new Map<number, number>();
  /** Codes of the integers 0 ≤ v < SMALL_INTS (years, city codes, unit ids) by value: code + 1 at [v], 0 if none. */
  private small = new Int32Array(0);
  private labels: string[] = [];
  mode: 'number' | 'text';
  n = 0;
  missing = 0;
  thousands = 0;
  /** Thousands cells with one comma and no point ("7,820"): 7820, or 7.82 written with a decimal comma. */
  ambiguous = 0;
  ambiguousExample: string | undefined;
  /** The first refused cell of a number column: reported if the column stays numeric. */
  firstBad: { row: number; reason: string } | undefined;
  /** Set when text arrived after numbers: the column must be read again as text. */
  needsReread = false;

  constructor(
    readonly name: string,
    readonly forcedText: boolean,
    /** Rows to allocate, or the array to fill (e.g. a part of shared memory, csv-parallel.ts) while it has room. */
    capacity: number | Float64Array | Int32Array = 1024,
    /** Expected rows (e.g. from the file size), so that columns are allocated once rather than regrown. */
    private readonly rowsHint: () => number = () => 0,
  ) {
    this.mode = forcedText ? 'text' : 'number';
    const n = typeof capacity === 'number' ? capacity : 64;
    this.nums = capacity instanceof Float64Array && !forcedText ? capacity : new Float64Array(forcedText ? 0 : n);
    this.codes = capacity instanceof Int32Array && forcedText ? capacity : new Int32Array(forcedText ? n : 0);
  }

  /**
   * Continue in all of `full` when the builder's array is still the start of full's memory (it has not grown out
   * of it): `append` then joins a later part in place. Returns whether it did.
   */
  widen(full: Float64Array | Int32Array): boolean {
    const a = this.mode === 'number' ? this.nums : this.codes;
    const same = a.buffer === full.buffer && a.byteOffset === full.byteOffset && a.length <= full.length;
    if (!same || a.constructor !== full.constructor) return false;
    if (this.mode === 'number') this.nums = full as Float64Array;
    else this.codes = full as Int32Array;
    return true;
  }

  private grow(): void {
    const cap = Math.max(64, Math.ceil(this.n * 1.5), this.rowsHint());
    if (this.mode === 'number') {
      const a = new Float64Array(cap);
      a.set(this.nums);
      this.nums = a;
    } else {
      const a = new Int32Array(cap);
      a.set(this.codes);
      this.codes = a;
    }
  }

  /** A number already parsed from bytes (the fast path). */
  pushNumber(v: number): void {
    if (this.mode === 'text') throw new Error('pushNumber on a text column');
    if (this.n === this.nums.length) this.grow();
    this.nums[this.n++] = v;
  }

  /** An empty cell of a number column: missing, exactly as pushText('') counts and stores it. */
  pushMissing(): void {
    if (this.mode === 'text') throw new Error('pushMissing on a text column');
    this.missing++;
    this.pushNumber(NaN);
  }

  /** A cell as text (trimmed). */
  pushText(s: string, decimalComma = false): void {
    if (this.mode === 'text') {
      this.pushLabel(MISSING_TOKENS.has(s) ? null : s);
      return;
    }
    const cell: Cell = readCell(s, decimalComma);
    if (cell.kind === 'number') {
      if (cell.thousands) this.thousands++;
      if (cell.ambiguous) {
        this.ambiguous++;
        this.ambiguousExample ??= s;
      }
      this.pushNumber(cell.value);
    } else if (cell.kind === 'missing') {
      this.missing++;
      this.pushNumber(NaN);
    } else if (cell.kind === 'bad') {
      this.firstBad ??= { row: this.n, reason: cell.reason };
      this.pushNumber(NaN);
    } else {
      // Text after numbers: from here on a text column; the cells before must be read again as text.
      if (this.n > 0) this.needsReread = true;
      this.mode = 'text';
      this.codes = new Int32Array(Math.max(64, this.nums.length));
      this.nums = new Float64Array(0);
      this.missing = 0;
      this.thousands = 0;
      this.ambiguous = 0;
      this.ambiguousExample = undefined;
      this.firstBad = undefined;
      const rows = this.n;
      this.n = 0;
      for (let r = 0; r < rows; r++) this.pushLabel(null);
      this.pushLabel(s);
    }
  }

  /**
   * A text cell whose bytes are a canonical integer (e.g. a city code): interned by value, so no string is made
   * for it. Canonical integers and their strings correspond one to one, so "12" read here and "12" read as a
   * string get the same code, and "012" or "1.10" (not canonical) stay distinct labels.
   */
  pushCanonicalInt(v: number): void {
    if (this.n === this.codes.length) this.grow();
    this.codes[this.n++] = this.internInt(v);
  }

  /** The code of canonical integer `v` (`s` its text when already made). */
  private internInt(v: number, s?: string): number {
    // The array grows only as far as the labels justify (a few large codes must not cost megabytes per column).
    if (v >= 0 && v < SMALL_INTS && v >= this.small.length && v < 8 * (this.labels.length + 1024)) this.growSmall(v);
    if (v >= 0 && v < this.small.length) {
      const k = this.small[v];
      if (k !== 0) return k - 1;
      this.labels.push(s ?? String(v));
      this.small[v] = this.labels.length;
      return this.labels.length - 1;
    }
    let code = this.intDict.get(v);
    if (code === undefined) {
      code = this.labels.length;
      this.labels.push(s ?? String(v));
      this.intDict.set(v, code);
    }
    return code;
  }

  /** `small` grown to hold `v`; the integers in `intDict` that it now covers move into it (one place per value). */
  private growSmall(v: number): void {
    const a = new Int32Array(Math.min(SMALL_INTS, Math.max(v + 1, 2 * this.small.length, 1024)));
    a.set(this.small);
    for (const [key, code] of this.intDict) {
      if (key >= 0 && key < a.length) {
        a[key] = code + 1;
        this.intDict.delete(key);
      }
    }
    this.small = a;
  }

  private intern(s: string): number {
    if (CANONICAL_INT.test(s)) return this.internInt(Number(s), s);
    let code = this.dict.get(s);
    if (code === undefined) {
      code = this.labels.length;
      this.labels.push(s);
      this.dict.set(s, code);
    }
    return code;
  }

  private pushLabel(s: string | null): void {
    if (this.n === this.codes.length) this.grow();
    if (s === null) this.missing++;
    this.codes[this.n++] = s === null ? -1 : this.intern(s);
  }

  /**
   * What the builder holds, as plain data that can pass between threads: its own arrays, not copies (rows 0..n−1
   * hold the column). Once they are handed to another thread, the builder is not used again.
   */
  state(): BuilderState {
    return {
      mode: this.mode,
      n: this.n,
      nums: this.nums,
      codes: this.codes,
      labels: this.labels,
      missing: this.missing,
      thousands: this.thousands,
      ambiguous: this.ambiguous,
      ambiguousExample: this.ambiguousExample,
      firstBad: this.firstBad,
      needsReread: this.needsReread,
    };
  }

  /**
   * Append the rows of the same column read from a later part of the file (another thread). Text is interned
   * again in order, so the codes are those a single read would give. Returns false when the parts disagree on the
   * column's type or one of them must be read again: the caller then reads the file in one piece.
   */
  append(o: BuilderState): boolean {
    if (o.mode !== this.mode || o.needsReread || this.needsReread) return false;
    const base = this.n;
    const total = base + o.n;
    // In place when the column was allocated for the whole file (the usual case), else in a new array.
    if (this.mode === 'number') {
      if (this.nums.length < total) this.nums = copyInto(new Float64Array(total), this.nums, base);
      this.nums.set(o.nums.subarray(0, o.n), base);
    } else {
      const map = Int32Array.from(o.labels, (l) => this.intern(l));
      if (this.codes.length < total) this.codes = copyInto(new Int32Array(total), this.codes, base);
      // Locals only in the loop: it runs once, mostly before the engine optimizes it.
      const to = this.codes;
      const from = o.codes;
      for (let r = 0, n = o.n; r < n; r++) {
        const k = from[r];
        to[base + r] = k < 0 ? -1 : map[k];
      }
    }
    this.n = total;
    this.missing += o.missing;
    this.thousands += o.thousands;
    this.ambiguous += o.ambiguous;
    this.ambiguousExample ??= o.ambiguousExample;
    if (!this.firstBad && o.firstBad) this.firstBad = { row: base + o.firstBad.row, reason: o.firstBad.reason };
    return true;
  }

  /** Start again as a text column (the second pass of a column that turned to text). */
  resetAsText(): void {
    this.mode = 'text';
    this.n = 0;
    this.missing = 0;
    this.thousands = 0;
    this.ambiguous = 0;
    this.ambiguousExample = undefined;
    this.firstBad = undefined;
    this.needsReread = false;
    this.dict = new Map();
    this.intDict = new Map();
    this.small = new Int32Array(0);
    this.labels = [];
    this.codes = new Int32Array(Math.max(64, this.codes.length));
  }

  /** The column; a view (no copy) when at most a fifth of the allocation is unused. */
  finish(): FrameColumn {
    const cut = <T extends Float64Array | Int32Array>(a: T): T =>
      (this.n >= 0.8 * a.length ? a.subarray(0, this.n) : a.slice(0, this.n)) as T;
    if (this.mode === 'number') return cut(this.nums);
    return { codes: cut(this.codes), labels: this.labels };
  }

  facts(): ColumnFacts {
    return {
      missing: this.missing,
      thousands: this.thousands,
      thousandsAmbiguous: this.ambiguous,
      thousandsExample: this.ambiguousExample,
      keptAsText: this.forcedText,
    };
  }
}

function copyInto<T extends Float64Array | Int32Array>(to: T, from: T, n: number): T {
  to.set(from.subarray(0, n));
  return to;
}
