/**
 * CSV straight into typed columns (RFC 4180: quoted fields, doubled quotes, CRLF, a UTF-8 byte-order mark),
 * reading the file in 4 MB blocks: no whole-file string and no per-cell string for numbers (they are parsed from
 * the bytes, see cells.ts `fastNumber`; plain rows in one pass, see csv-rows.ts); text cells are interned (frame.ts).
 * Memory is the columns themselves.
 *
 * Encoding: UTF-8 (with or without BOM); a block that is not throws NotUtf8, and csv-read.ts then decodes the file
 * as GB18030 (which contains GBK and GB2312, the encodings of Chinese yearbook exports) when it is valid GB18030,
 * and refuses it otherwise; the load report names the encoding. A NUL byte means a binary file, refused.
 */
import { isUtf8 } from 'node:buffer';
import { NqpError } from '../errors';
import type { Source } from './byte-source';
import { checkHeader, growBounds } from './csv-header';
import { FastRows } from './csv-rows';
import * as cells from './cells';
import { ColumnBuilder, type BuildOptions } from './frame';

export { toFrame } from './csv-header';

const CHUNK = 4 << 20;

export class NotUtf8 extends Error {}

/** A part of a file read on its own (csv-parallel.ts): its rows only, the header's names given. */
export interface Part {
  names: string[];
  /** The line number of the part's first byte. */
  firstLine: number;
  /** Per column, the array to fill while it has room (shared memory, csv-parallel.ts). */
  storage?: (Float64Array | Int32Array)[];
}

/** Thrown while reading a part when the part cannot be read exactly on its own (a quote, a column turning to text). */
export class NeedsWholeFile extends Error {}

/** Columns and row lines as read, before the frame is made (a part's result, or a whole file's). */
export interface Parsed {
  names: string[];
  builders: ColumnBuilder[];
  lines: Int32Array;
  /** The line number the next row would have. */
  nextLine: number;
}

/**
 * The byte parser; two passes only when a column turned from numbers to text after its first row. With `part`,
 * the source holds rows only (no header), and a quote or a column turning to text throws NeedsWholeFile.
 */
export function parse(
  src: Source,
  where: string,
  delimiter: string,
  options: BuildOptions,
  encoding: string,
  size: number,
  part?: Part,
): Parsed {
  const D = delimiter.charCodeAt(0);
  // Byte classes: 1 for the delimiter, line feed, carriage return and the quote; 0 for every other byte.
  const CLS = new Uint8Array(256);
  for (const c of [D, 10, 13, 34]) CLS[c] = 1;
  let buf: Uint8Array = new Uint8Array(CHUNK);
  let names: string[] | undefined;
  let builders: ColumnBuilder[] = [];
  let lines = new Int32Array(1024);
  let nRows = 0;
  // Field bounds of the current row.
  let starts: Int32Array = new Int32Array(64);
  let ends: Int32Array = new Int32Array(64);
  let quoted: Uint8Array = new Uint8Array(64);
  // Values of number fields parsed during the scan, and which fields have one.
  let vals = new Float64Array(64);
  let done = new Uint8Array(64);
  let fast = false;
  /** The fast path for plain rows (csv-rows.ts), on the first pass only. */
  let rows: FastRows | undefined;
  let only: Set<number> | undefined;
  /** Bytes of the file before the current row (for the row-count estimate). */
  let pos = 0;
  let blockBase = 0;
  const decimalComma = options.decimalComma ?? delimiter === ';';

  // Rows expected from the bytes per row so far: columns are allocated about once.
  const hint = () => (nRows > 0 && pos > 0 ? Math.ceil(((nRows * size) / pos) * 1.05) + 1024 : 0);
  const text = (c: number): string => {
    const s = Buffer.from(buf.buffer, buf.byteOffset + starts[c], ends[c] - starts[c]).toString('utf8');
    return (quoted[c] === 2 ? s.replace(/""/g, '"') : s).trim();
  };

  let headerSeen = false;
  if (part) {
    headerSeen = true;
    names = part.names;
    const store = part.storage;
    builders = names.map(
      (nm, c) => new ColumnBuilder(nm, options.textColumns?.has(nm) ?? false, store?.[c] ?? 64, hint),
    );
    fast = true;
    rows = FastRows.for(builders, delimiter);
  }
  let nextLine = 1;
  const addLine = (line: number): void => {
    if (nRows === lines.length) {
      const l = new Int32Array(lines.length * 2);
      l.set(lines);
      lines = l;
    }
    lines[nRows++] = line;
  };
  const row = (nf: number, line: number): void => {
    if (!headerSeen) {
      headerSeen = true;
      if (names) return; // the second pass

      const header = Array.from({ length: nf }, (_, c) => text(c));
      if (header[0]?.charCodeAt(0) === 0xfeff) header[0] = header[0].slice(1).trim();
      checkHeader(header, where, delimiter);
      builders = header.map((nm) => new ColumnBuilder(nm, options.textColumns?.has(nm) ?? false, 64, hint));
      names = header;
      fast = !only;
      rows = FastRows.for(builders, delimiter);
      return;
    }
    const width = builders.length;
    if (nf === 1 && starts[0] === ends[0] && !quoted[0]) return; // blank line
    if (nf !== width) {
      throw new NqpError(
        'BAD_FILE',
        `${where}, line ${line}`,
        `${where}, line ${line}: ${nf} fields where the header has ${width}. Check that row for a stray or ` +
          `missing "${delimiter}".`,
      );
    }
    if (!only) addLine(line);
    else nRows++;
    for (let c = 0; c < nf; c++) {
      if (only && !only.has(c)) continue;
      const b = builders[c];
      if (done[c]) {
        b.pushNumber(vals[c]);
        continue;
      }
      if (b.mode === 'number' && quoted[c] !== 2) {
        const s = starts[c];
        const e = ends[c];
        if (s === e) {
          b.pushText('');
          continue;
        }
        const v = buf[s] > 32 && buf[e - 1] > 32 ? cells.fastNumber(buf, s, e) : NaN;
        if (!Number.isNaN(v)) {
          b.pushNumber(v);
          continue;
        }
      }
      if (b.mode === 'text' && quoted[c] === 0) {
        const v = cells.canonicalInt(buf, starts[c], ends[c]);
        if (v !== undefined) {
          b.pushCanonicalInt(v);
          continue;
        }
      }
      b.pushText(text(c), decimalComma);
    }
  };

  const pass = (): void => {
    let filled = 0;
    let line = part?.firstLine ?? options.firstLine ?? 1;
    let first = true;
    blockBase = 0;
    for (;;) {
      const got = src.read(buf, filled, buf.length - filled);
      const eof = got === 0;
      filled += got;
      if (first && filled > 0) {
        first = false;
        if (buf.subarray(0, Math.min(filled, 65536)).includes(0)) {
          throw new NqpError('BAD_FILE', where, `${where} contains NUL bytes: it is a binary file, not CSV text.`);
        }
      }
      if (part && buf.subarray(0, filled).includes(34)) throw new NeedsWholeFile('a quote');
      // The block's whole lines must be UTF-8 before any cell is read (LF never occurs inside a UTF-8 or GB18030
      // character, so a block cut after a line feed cuts no character).
      if (encoding === 'utf-8') {
        const lastLf = eof ? filled - 1 : buf.lastIndexOf(10, filled - 1);
        if (lastLf >= 0 && !isUtf8(buf.subarray(0, lastLf + 1))) throw new NotUtf8();
      }
      // Parse whole rows; keep the unfinished one for the next block.
      let i = 0;
      let rowLine = line;
      let nf = 0;
      let fieldStart = 0;
      let q = 0; // 0 unquoted, 1 quoted, 2 quoted with doubled quotes
      let inQuotes = false;
      let complete = 0;
      while (i < filled) {
        const ch = buf[i];
        if (inQuotes) {
          if (ch === 34) {
            if (i + 1 < filled && buf[i + 1] === 34) {
              q = 2;
              i += 2;
              continue;
            }
            if (i + 1 >= filled && !eof) break; // a quote at the block's end: decide after refill
            inQuotes = false;
            ends[nf] = i;
          } else if (ch === 10) line++;
          i++;
          continue;
        }
        if (rows && nf === 0 && i === fieldStart) {
          const next = rows.row(buf, i, filled);
          if (next >= 0) {
            addLine(line++);
            rowLine = line;
            i = fieldStart = complete = next;
            pos = blockBase + i;
            continue;
          }
        }
        if (i === fieldStart && fast) {
          // A number column: parse the field while finding its end (each byte read once).
          done[nf] = 0;
          if (nf < builders.length && builders[nf].mode === 'number') {
            const e = cells.scanNumberInto(buf, i, filled, vals, nf);
            if (!Number.isNaN(vals[nf]) && e < filled && CLS[buf[e]] === 1 && buf[e] !== 34) {
              done[nf] = 1;
              i = e;
              continue;
            }
          }
        }
        if (CLS[ch] === 0) {
          // Ordinary bytes: skip to the next delimiter, line end or quote in a tight loop.
          i++;
          while (i < filled && CLS[buf[i]] === 0) i++;
          continue;
        }
        if (ch === 34 && i === fieldStart) {
          inQuotes = true;
          q = 1;
          starts[nf] = i + 1;
          i++;
          continue;
        }
        if (ch === D || ch === 10 || ch === 13) {
          if (q === 0) {
            starts[nf] = fieldStart;
            ends[nf] = i;
          }
          quoted[nf] = q;
          nf++;
          if (nf === starts.length) {
            [starts, ends, quoted] = growBounds(starts, ends, quoted);
            const v2 = new Float64Array(starts.length);
            v2.set(vals);
            vals = v2;
            const d2 = new Uint8Array(starts.length);
            d2.set(done);
            done = d2;
          }
          q = 0;
          if (ch === D) {
            i++;
            fieldStart = i;
            continue;
          }
          if (ch === 13) {
            if (i + 1 >= filled && !eof) break;
            if (buf[i + 1] === 10) i++;
          }
          i++;
          line++;
          pos = blockBase + i;
          row(nf, rowLine);
          rows?.refresh();
          rowLine = line;
          fieldStart = i;
          nf = 0;
          complete = i;
          continue;
        }
        i++;
      }
      if (eof) {
        if (inQuotes) {
          throw new NqpError(
            'BAD_FILE',
            `${where}, line ${rowLine}`,
            `${where}: a quoted field opened on line ${rowLine} never closes. Check the quotes in that row.`,
          );
        }
        if (complete < filled) {
          if (q === 0) {
            starts[nf] = fieldStart;
            ends[nf] = filled;
          }
          quoted[nf] = q;
          row(nf + 1, rowLine);
          line++;
        }
        nextLine = line;
        return;
      }
      // Move the unfinished row to the front; grow the block when one row fills it.
      const carry = filled - complete;
      blockBase += complete;
      if (carry === buf.length) {
        const b = new Uint8Array(buf.length * 2);
        b.set(buf);
        buf = b;
      } else buf.copyWithin(0, complete, filled);
      filled = carry;
      line = rowLine;
    }
  };

  pass();
  if (!names) {
    throw new NqpError(
      'EMPTY_FILE',
      where,
      `${where} is empty. Give a file with a header row and one row per city-year.`,
    );
  }
  const lineArr = lines.slice(0, nRows);
  const reread = builders.map((b, c) => (b.needsReread ? c : -1)).filter((c) => c >= 0);
  if (reread.length && part) throw new NeedsWholeFile('a column turned to text');
  if (reread.length) {
    // Columns that turned to text after their first rows: read them again, as text, in a second pass.
    only = new Set(reread);
    for (const c of reread) builders[c].resetAsText();
    src.rewind();
    headerSeen = false;
    fast = false;
    rows = undefined;
    done.fill(0);
    nRows = 0;
    pass();
  }
  return { names, builders, lines: lineArr, nextLine };
}
