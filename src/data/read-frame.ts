/**
 * Read any supported file (.csv, .txt, .dta, .xlsx, .parquet) into typed columns under one cell rule (cells.ts).
 * A pipe or /dev/stdin is read to its end and then read as its extension says (or, without one, as its first
 * bytes say: a zip is .xlsx, PAR1 is Parquet, <stata_dta> is .dta, anything else CSV); never called "empty".
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { NqpError } from '../errors';
import { readCsvFrame } from './csv-read';
import { readDta } from './dta';
import { frameFromStrings, type Frame } from './frame';
import { readParquetFrame } from './parquet';
import { readXlsx } from './xlsx';

export interface ReadOptions {
  /** CSV delimiter. Default ',', or what an Excel `sep=;` first line declares. With ';', commas are decimal commas. */
  delimiter?: string;
  /** .xlsx worksheet by name. Default: the first. */
  sheet?: string;
  /** Columns read as text even when every cell is a number (keys compared as text). */
  textColumns?: Iterable<string>;
}

const STDIN = new Set(['/dev/stdin', '/dev/fd/0', '/proc/self/fd/0']);
const KNOWN = new Set(['.csv', '.txt', '.dta', '.xlsx', '.parquet']);

/** Read a panel file into a frame (see the module comment). */
export function readFrame(path: string, options: ReadOptions = {}): Frame {
  const abs = resolve(path);
  if (!existsSync(abs))
    throw new NqpError(
      'FILE_NOT_FOUND',
      path,
      `File ${path} does not exist. Check the path (relative paths start from ${process.cwd()}).`,
    );
  const st = statSync(abs);
  if (st.isDirectory())
    throw new NqpError(
      'BAD_FILE',
      path,
      `${path} is a folder; give the panel file inside it (.csv, .dta, .xlsx or .parquet).`,
    );
  let stream: Buffer | undefined;
  if (!st.isFile()) {
    // Standard input may be a socket (node's own child processes) that /dev/stdin cannot reopen: read fd 0 itself.
    const stdin = STDIN.has(path) || STDIN.has(abs);
    if (!stdin && !st.isFIFO() && !st.isCharacterDevice())
      throw new NqpError(
        'BAD_FILE',
        path,
        `${path} is not a regular file (a socket or block device). Save the panel to a file and give that.`,
      );
    stream = readFileSync(stdin ? 0 : abs);
    if (stream.length === 0)
      throw new NqpError(
        'EMPTY_FILE',
        path,
        `${path} is a pipe or device that gave no bytes before it closed. Send the panel file through it.`,
      );
  } else if (st.size === 0)
    throw new NqpError(
      'EMPTY_FILE',
      path,
      `${path} is empty. Give a file with a header row and one row per city-year.`,
    );
  let ext = extname(abs).toLowerCase();
  if (stream && !KNOWN.has(ext)) ext = sniff(stream);
  const textColumns = new Set(options.textColumns ?? []);
  if (options.sheet !== undefined && ext !== '.xlsx') {
    throw new NqpError('BAD_SHEET', 'sheet', `A sheet applies to .xlsx workbooks; ${path} is ${ext || 'not one'}.`);
  }
  switch (ext) {
    case '.csv':
    case '.txt':
      return readCsvFrame(abs, path, options.delimiter, { textColumns }, stream);
    case '.dta': {
      const raw = readDta(stream ?? readFileSync(abs), path);
      const meta = { source: path, format: 'dta' as const, encoding: 'utf-8', rowWord: 'observation' };
      return frameFromStrings(meta, raw.names, raw.columns, raw.lines, { textColumns });
    }
    case '.parquet':
      return readParquetFrame(abs, path, { textColumns }, stream);
    case '.xlsx': {
      const raw = readXlsx(stream ?? readFileSync(abs), path, options.sheet);
      const meta = { source: path, format: 'xlsx' as const, encoding: 'utf-8', sheet: raw.sheet, rowWord: 'row' };
      const frame = frameFromStrings(meta, raw.names, raw.columns, raw.lines, { textColumns });
      frame.sheets = raw.sheets;
      return frame;
    }
    default:
      throw new NqpError(
        'UNKNOWN_FORMAT',
        path,
        `${path}: unknown format "${ext || '(no extension)'}". Use .csv, .dta (Stata 13+), .xlsx or .parquet.`,
      );
  }
}

/** The format of a stream without a known extension, from its first bytes. */
function sniff(b: Buffer): string {
  if (b.subarray(0, 4).equals(Buffer.from('PK\x03\x04', 'latin1'))) return '.xlsx';
  if (b.subarray(0, 4).toString('latin1') === 'PAR1') return '.parquet';
  if (b.subarray(0, 11).toString('latin1') === '<stata_dta>') return '.dta';
  return '.csv';
}
