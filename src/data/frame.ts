/**
 * A frame: the columns of a file as read, typed once. Number columns are Float64Array (NaN = missing); text
 * columns are interned: an Int32Array of codes (−1 = missing) into a list of distinct labels, so fixed-effect and
 * cluster codes are compared as text and no per-cell string stays alive. Built cell by cell by `ColumnBuilder`
 * under the one cell rule of cells.ts; every reader (CSV, .dta, .xlsx, Parquet) ends here.
 */
import { NqpError } from '../errors';
import { ColumnBuilder } from './column-builder';
import { checkNames } from './names';

export { ColumnBuilder, CANONICAL_INT, type BuilderState } from './column-builder';

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
  /**
   * Of those, cells with one comma and no point ("7,820"): read as 7820, but 7.82 if the file's author wrote
   * decimal commas. `nqp fit` and the load report warn when this is not 0 (see thousandsWarnings).
   */
  thousandsAmbiguous: number;
  /** The first such cell as written. */
  thousandsExample?: string;
  /** A number column read as text because a key (fixed effect, cluster, id) must compare as text. */
  keptAsText: boolean;
}

export interface Frame {
  source: string;
  format: 'csv' | 'dta' | 'xlsx' | 'parquet';
  encoding: string;
  /** Sheet read (.xlsx only). */
  sheet?: string;
  /** Every sheet of the workbook (.xlsx only), for messages that name the sheet read and the others. */
  sheets?: string[];
  /** What the reader did that a reader of the file should know (a `sep=` line, dropped index or empty columns). */
  notes?: string[];
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
  /** The line number of the source's first byte (2 after an Excel `sep=` line). Default 1. */
  firstLine?: number;
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
