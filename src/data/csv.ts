/**
 * CSV reading (RFC 4180: quoted fields, doubled quotes, CRLF, a UTF-8 byte-order mark) into string columns.
 */
import { NqpError } from '../errors';
import { checkHeader } from './csv-header';

export interface RawTable {
  names: string[];
  /** One string array per column; an empty string is a missing cell. */
  columns: string[][];
  /** 1-based line numbers of each data row in the source (for error messages). */
  lines: number[];
  /** The worksheet read (.xlsx). */
  sheet?: string;
  /** Every worksheet of the workbook (.xlsx). */
  sheets?: string[];
}

/** Parse CSV text. `where` names the source in errors. */
export function parseCsv(text: string, where: string, delimiter = ','): RawTable {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '')
    throw new NqpError(
      'EMPTY_FILE',
      where,
      `${where} is empty. Give a file with a header row and one row per city-year.`,
    );
  const rows: string[][] = [];
  const lineOf: number[] = [];
  let field = '';
  let row: string[] = [];
  let inQuotes = false;
  let line = 1;
  let rowLine = 1;
  // Runs of ordinary characters are appended as one slice (a string per character costs a cold process dearly).
  const D = delimiter.length === 1 ? delimiter.charCodeAt(0) : -1;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const ch = text[i];
    if (inQuotes) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else inQuotes = false;
      } else {
        let j = i;
        for (; j < n; j++) {
          const c = text.charCodeAt(j);
          if (c === 34) break;
          if (c === 10) line++;
        }
        field += text.slice(i, j);
        i = j - 1;
      }
      continue;
    }
    if (ch === '"' && field === '') inQuotes = true;
    else if (ch === delimiter) {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      field = '';
      if (!(row.length === 1 && row[0] === '')) {
        rows.push(row);
        lineOf.push(rowLine);
      }
      row = [];
      line++;
      rowLine = line;
    } else {
      let j = i + 1;
      for (; j < n; j++) {
        const c = text.charCodeAt(j);
        if (c === 34 || c === D || c === 10 || c === 13) break;
      }
      field += text.slice(i, j);
      i = j - 1;
    }
  }
  if (inQuotes)
    throw new NqpError(
      'BAD_FILE',
      `${where}, line ${rowLine}`,
      `${where}: a quoted field opened on line ${rowLine} never closes. Check the quotes in that row.`,
    );
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
    lineOf.push(rowLine);
  }
  const names = rows[0].map((s) => s.trim());
  checkHeader(names, where, delimiter);
  const columns = names.map(() => [] as string[]);
  for (let r = 1; r < rows.length; r++) {
    const cells = rows[r];
    if (cells.length !== names.length) {
      throw new NqpError(
        'BAD_FILE',
        `${where}, line ${lineOf[r]}`,
        `${where}, line ${lineOf[r]}: ${cells.length} fields where the header has ${names.length}. Check that row ` +
          `for a stray or missing "${delimiter}".`,
      );
    }
    for (let c = 0; c < names.length; c++) columns[c].push(cells[c].trim());
  }
  return { names, columns, lines: lineOf.slice(1) };
}

/** Quote a CSV cell when needed. */
export function csvCell(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
