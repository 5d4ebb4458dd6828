/**
 * The CSV reader's small parts: the header check, the columns without a name (a pandas or R row index first, the
 * empty columns Excel leaves at the end), an Excel `sep=` first line, the growth of its per-row field bounds, and
 * the frame made of the columns read.
 */
import { NqpError } from '../errors';
import type { Parsed } from './csv-stream';
import { checkBadCells, isText, type Frame, type FrameColumn } from './frame';
import { checkNames } from './names';

export function growBounds(
  starts: Int32Array,
  ends: Int32Array,
  quoted: Uint8Array,
): [Int32Array, Int32Array, Uint8Array] {
  const grow = <T extends Int32Array | Uint8Array>(a: T, make: (n: number) => T): T => {
    const b = make(a.length * 2);
    b.set(a);
    return b;
  };
  return [
    grow(starts, (n) => new Int32Array(n)),
    grow(ends, (n) => new Int32Array(n)),
    grow(quoted, (n) => new Uint8Array(n)),
  ];
}

/** The header: names present, distinct (checked in linear time), and the delimiter plausible. */
export function checkHeader(names: string[], where: string, delimiter: string): void {
  if (names.length === 1) {
    for (const [d, label] of [
      [';', 'semicolons'],
      ['\t', 'tabs'],
      ['|', 'vertical bars'],
      [',', 'commas'],
    ] as const) {
      if (d !== delimiter && names[0].includes(d)) {
        throw new NqpError(
          'BAD_DELIMITER',
          `${where}, line 1`,
          `${where} looks separated by ${label}, not "${delimiter === '\t' ? '\\t' : delimiter}": its header is ` +
            `one column "${names[0].slice(0, 60)}". Save it as comma-separated, or give the delimiter ` +
            (d === '\t' ? "(nqp fit: --delimiter tab; in code: { delimiter: '\\t' })." : `(--delimiter '${d}').`),
        );
      }
    }
  }
  // Without a name: the first column (a row index, checked by unnamedColumns) and trailing ones (Excel's empties).
  let end = names.length;
  while (end > 1 && names[end - 1] === '') end--;
  const start = names[0] === '' && end > 1 ? 1 : 0;
  checkNames(names.slice(start, end), where, (c) => `column ${c + start + 1}`);
}

/**
 * The columns whose header is empty (or pandas' "Unnamed: 0" first): a first column holding 0, 1, …, n−1 (pandas'
 * index) or 1, …, n (R's row names) and trailing columns with no value are dropped, each named in a note; an
 * unnamed column holding other values is an error naming it and its first value's line.
 */
export function unnamedColumns(
  names: string[],
  cols: FrameColumn[],
  lines: Int32Array,
  where: string,
): { drop: Set<number>; notes: string[] } {
  const drop = new Set<number>();
  const notes: string[] = [];
  const empties: number[] = [];
  for (let c = 0; c < names.length; c++) {
    const col = cols[c];
    if (c === 0 && (names[0] === '' || /^Unnamed: 0$/.test(names[0])) && names.length > 1) {
      const base = rowIndexBase(col);
      if (base !== undefined) {
        drop.add(0);
        const what =
          base === 0
            ? 'a pandas row index (to_csv without index=False)'
            : "R's row names (write.csv without row.names = FALSE)";
        notes.push(
          `column 1${names[0] ? ` ("${names[0]}")` : ' (no name)'} holds ${base}, ${base + 1}, …, ` +
            `${base + lines.length - 1}: ${what}; not read as data`,
        );
        continue;
      }
    }
    if (names[c] !== '') continue;
    const r = firstValue(col);
    if (r < 0) {
      drop.add(c);
      empties.push(c + 1);
      continue;
    }
    throw new NqpError(
      'BAD_FILE',
      `${where}, column ${c + 1}`,
      `${where}: column ${c + 1} has no name but holds values (first on line ${lines[r]}). Give it a name in the ` +
        `header${c === 0 ? ', or, if it is a row index, save the file without it' : ''}.`,
    );
  }
  if (empties.length) {
    notes.push(
      `${empties.length} empty column${empties.length > 1 ? 's' : ''} without a name at the end of the header ` +
        `(column${empties.length > 1 ? 's' : ''} ${empties.join(', ')}, as Excel leaves them) dropped`,
    );
  }
  return { drop, notes };
}

/** 0 or 1 when the column is exactly base, base+1, …, base+n−1 (a row index); undefined otherwise. */
function rowIndexBase(col: FrameColumn): number | undefined {
  if (isText(col) || col.length === 0 || (col[0] !== 0 && col[0] !== 1)) return undefined;
  const base = col[0];
  for (let r = 0; r < col.length; r++) if (col[r] !== base + r) return undefined;
  return base;
}

function firstValue(col: FrameColumn): number {
  if (isText(col)) return col.codes.findIndex((k) => k >= 0);
  return col.findIndex((v) => !Number.isNaN(v));
}

/** An Excel `sep=X` first line (optionally quoted, after a BOM): the delimiter it declares and the bytes it takes. */
export function sepLine(head: Uint8Array): { delimiter: string; bytes: number } | undefined {
  const m = /^(\ufeff)?"?sep=([^\r\n"])"?(\r\n|\n|\r)/.exec(Buffer.from(head).toString('utf8'));
  return m ? { delimiter: m[2], bytes: Buffer.byteLength(m[0], 'utf8') } : undefined;
}

/** The frame of a whole file's columns (refused cells reported by line). */
export function toFrame(p: Parsed, where: string, encoding: string): Frame {
  checkBadCells(p.builders, where, p.lines, 'line');
  const cols = p.builders.map((b) => b.finish());
  const { drop, notes } = unnamedColumns(p.names, cols, p.lines, where);
  const frame: Frame = {
    source: where,
    format: 'csv',
    encoding,
    notes,
    names: p.names.filter((_, c) => !drop.has(c)),
    n: p.lines.length,
    columns: new Map(),
    facts: new Map(),
    lines: p.lines,
    rowWord: 'line',
  };
  p.builders.forEach((b, c) => {
    if (drop.has(c)) return;
    frame.columns.set(b.name, cols[c]);
    frame.facts.set(b.name, b.facts());
  });
  return frame;
}
