/**
 * A frame: the columns of a file as read, typed once. Number columns are Float64Array (NaN = missing); text
 * columns are interned: an Int32Array of codes (−1 = missing) into a list of distinct labels, so fixed-effect and
 * cluster codes are compared as text and no per-cell string stays alive. Built cell by cell by `ColumnBuilder`
 * under the one cell rule of cells.ts; every reader (CSV, .dta, .xlsx, Parquet) ends here.
 */
import { NqpError } from '../errors';
import { MISSING_TOKENS, readCell, type Cell } from './cells';
import { checkNames } from './names';

export interface TextColumn {
  codes: Int32Array;
  labels: string[];
}

export type FrameColumn = Float64Array | TextColumn;

export function isText(c: FrameColumn): c is TextColumn {
  return !(c instanceof Float64Array);
}

export interface ColumnFacts {
  missing: number;
  /** Cells read with thousands separators removed. */
  thousands: number;
  /** A number column read as text because a key (fixed effect, cluster, id) must compare as text. */
  keptAsText: boolean;
}

export interface Frame {
  source: string;
  format: 'csv' | 'dta' | 'xlsx' | 'parquet';
  encoding: string;
  /** Sheet read (.xlsx only). */
  sheet?: string;
  names: string[];
  n: number;
  /** Column by name (a Map: names like __proto__ are ordinary keys). */
  columns: Map<string, FrameColumn>;
  facts: Map<string, ColumnFacts>;
  /** Where each row is in the source: its 1-based line (CSV), sheet row (.xlsx) or observation (.dta). */
  lines: Int32Array;
  /** What a row is called in messages: 'line', 'sheet row', 'observation', 'row'. */
  rowWord: string;
}

export interface BuildOptions {
  /** Columns read as text even when every cell is a number (keys compared as text). */
  textColumns?: ReadonlySet<string>;
  /** The delimiter is `;`: commas are decimal commas (refused). */
  decimalComma?: boolean;
}

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
  /** Labels that are canonical integers (no sign on 0, no leading zeros, ≤ 15 digits), keyed by their value. */
  private intDict = new Map<number, number>();
  private labels: string[] = [];
  mode: 'number' | 'text';
  n = 0;
  missing = 0;
  thousands = 0;
  /** The first refused cell of a number column: reported if the column stays numeric. */
  firstBad: { row: number; reason: string } | undefined;
  /** Set when text arrived after numbers: the column must be read again as text. */
  needsReread = false;

  constructor(
    readonly name: string,
    readonly forcedText: boolean,
    capacity = 1024,
    /** Expected rows (e.g. from the file size), so that columns are allocated once rather than regrown. */
    private readonly rowsHint: () => number = () => 0,
  ) {
    this.mode = forcedText ? 'text' : 'number';
    this.nums = new Float64Array(this.mode === 'number' ? capacity : 0);
    this.codes = new Int32Array(this.mode === 'text' ? capacity : 0);
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

  /** A cell as text (trimmed). */
  pushText(s: string, decimalComma = false): void {
    if (this.mode === 'text') {
      this.pushLabel(MISSING_TOKENS.has(s) ? null : s);
      return;
    }
    const cell: Cell = readCell(s, decimalComma);
    if (cell.kind === 'number') {
      if (cell.thousands) this.thousands++;
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
    let code = this.intDict.get(v);
    if (code === undefined) {
      code = this.labels.length;
      this.labels.push(String(v));
      this.intDict.set(v, code);
    }
    this.codes[this.n++] = code;
  }

  private pushLabel(s: string | null): void {
    if (s !== null && CANONICAL_INT.test(s)) {
      this.pushCanonicalInt(Number(s));
      return;
    }
    if (this.n === this.codes.length) this.grow();
    if (s === null) {
      this.missing++;
      this.codes[this.n++] = -1;
      return;
    }
    let code = this.dict.get(s);
    if (code === undefined) {
      code = this.labels.length;
      this.labels.push(s);
      this.dict.set(s, code);
    }
    this.codes[this.n++] = code;
  }

  /** Start again as a text column (the second pass of a column that turned to text). */
  resetAsText(): void {
    this.mode = 'text';
    this.n = 0;
    this.missing = 0;
    this.thousands = 0;
    this.firstBad = undefined;
    this.needsReread = false;
    this.dict = new Map();
    this.intDict = new Map();
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
    return { missing: this.missing, thousands: this.thousands, keptAsText: this.forcedText };
  }
}

/** Refuse a number column holding a refused cell (decimal comma, hex, Infinity/NaN text, overflow). */
export function checkBadCells(builders: ColumnBuilder[], where: string, lines: Int32Array, rowWord: string): void {
  for (const b of builders) {
    if (b.mode === 'number' && b.firstBad) {
      const line = lines[b.firstBad.row];
      throw new NqpError(
        'BAD_CELL',
        `${where}, ${rowWord} ${line}, column "${b.name}"`,
        `${where}, ${rowWord} ${line}, column "${b.name}": ${b.firstBad.reason}.`,
      );
    }
  }
}

/**
 * A frame from columns already in memory: `fill(b, c)` pushes column c's n cells into its builder (and may refuse a
 * cell). A column that turns to text after numbers is filled again from the start; refused cells are reported as
 * for CSV. Used by the .dta, .xlsx and Parquet readers.
 */
export function frameFromColumns(
  meta: Pick<Frame, 'source' | 'format' | 'encoding' | 'sheet' | 'rowWord'>,
  names: string[],
  n: number,
  lines: ArrayLike<number>,
  fill: (b: ColumnBuilder, c: number) => void,
  options: BuildOptions = {},
): Frame {
  checkNames(names, meta.source, (c) => `column ${c + 1}`);
  const frame: Frame = {
    ...meta,
    names,
    n,
    columns: new Map(),
    facts: new Map(),
    lines: Int32Array.from(lines),
  };
  const builders = names.map((nm) => new ColumnBuilder(nm, options.textColumns?.has(nm) ?? false, n));
  builders.forEach((b, c) => {
    fill(b, c);
    if (b.needsReread) {
      b.resetAsText();
      fill(b, c);
    }
  });
  checkBadCells(builders, meta.source, frame.lines, meta.rowWord);
  for (const b of builders) {
    frame.columns.set(b.name, b.finish());
    frame.facts.set(b.name, b.facts());
  }
  return frame;
}

/** A frame from string cells (the .dta and .xlsx readers, small files): the same cell rule as CSV. */
export function frameFromStrings(
  meta: Pick<Frame, 'source' | 'format' | 'encoding' | 'sheet' | 'rowWord'>,
  names: string[],
  columns: string[][],
  lines: ArrayLike<number>,
  options: BuildOptions = {},
): Frame {
  const n = columns[0]?.length ?? 0;
  const fill = (b: ColumnBuilder, c: number) => {
    for (let r = 0; r < n; r++) b.pushText(columns[c][r], options.decimalComma);
  };
  return frameFromColumns(meta, names, n, lines, fill, options);
}

/** A text column's cell as a string (null when missing). */
export function textAt(c: TextColumn, r: number): string | null {
  const k = c.codes[r];
  return k < 0 ? null : c.labels[k];
}

/** A column as plain values (numbers, or strings with null for missing), for an arquero table. */
export function plainColumn(c: FrameColumn): Float64Array | (string | null)[] {
  if (!isText(c)) return c;
  const out = new Array<string | null>(c.codes.length);
  for (let r = 0; r < out.length; r++) out[r] = textAt(c, r);
  return out;
}

/**
 * A frame as a column source for `feols` (structurally the estimators' ColumnSource): numbers as they are, text
 * as strings (null when missing), and `factor(name)` handing text columns' codes to the grouping code directly.
 */
export function frameSource(frame: Frame): {
  columnNames(): string[];
  numRows(): number;
  array(name: string): ArrayLike<unknown>;
  factor(name: string): TextColumn | undefined;
} {
  const plain = new Map<string, ArrayLike<unknown>>();
  return {
    columnNames: () => frame.names,
    numRows: () => frame.n,
    array(name: string) {
      const c = frame.columns.get(name);
      if (!c) return [];
      if (!isText(c)) return c;
      let p = plain.get(name);
      if (!p) {
        p = plainColumn(c);
        plain.set(name, p);
      }
      return p;
    },
    factor(name: string) {
      const c = frame.columns.get(name);
      return c && isText(c) ? c : undefined;
    },
  };
}
