/**
 * A small .xlsx reader (Office Open XML spreadsheet): the first worksheet, header in row 1, one row per
 * city-year. Shared strings, inline strings, numbers and booleans are read; formulas give their cached values.
 */
import { NqpError } from '../errors';
import type { RawTable } from './csv';

function unescapeXml(s: string): string {
  return s.replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (_m, e: string) => {
    switch (e) {
      case 'lt':
        return '<';
      case 'gt':
        return '>';
      case 'amp':
        return '&';
      case 'quot':
        return '"';
      case 'apos':
        return "'";
      default:
        return String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    }
  });
}

function colIndex(ref: string): number {
  let n = 0;
  for (const ch of ref) {
    const c = ch.charCodeAt(0);
    if (c < 65 || c > 90) break;
    n = n * 26 + (c - 64);
  }
  return n - 1;
}

/** The text of all <t> runs inside an element (rich text has several). */
function textRuns(xml: string): string {
  let out = '';
  const re = /<t(?:\s[^>]*)?>([\s\S]*?)<\/t>|<t\s*\/>/g;
  let m: RegExpExecArray | null;
  for (m = re.exec(xml); m; m = re.exec(xml)) out += m[1] ?? '';
  return unescapeXml(out);
}

export function readXlsx(buf: Buffer, where: string): RawTable {
  const { unzipSync, strFromU8 } = require('fflate') as typeof import('fflate');
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength));
  } catch (e) {
    throw new NqpError(
      'BAD_FILE',
      where,
      `${where} is not a readable .xlsx workbook (${(e as Error).message}). Re-save it from Excel, or as CSV.`,
    );
  }
  const get = (p: string) => (files[p] ? strFromU8(files[p]) : undefined);
  const workbook = get('xl/workbook.xml');
  if (!workbook)
    throw new NqpError(
      'BAD_FILE',
      where,
      `${where} has no xl/workbook.xml: not an .xlsx workbook. Re-save it from Excel, or as CSV.`,
    );
  const sheet = /<sheet\b[^>]*?r:id="([^"]+)"/.exec(workbook) ?? /<sheet\b[^>]*?\bid="([^"]+)"/.exec(workbook);
  const rels = get('xl/_rels/workbook.xml.rels') ?? '';
  let target = 'worksheets/sheet1.xml';
  if (sheet) {
    const rel = new RegExp(`<Relationship\\b[^>]*Id="${sheet[1]}"[^>]*/?>`).exec(rels);
    const t = rel && /Target="([^"]+)"/.exec(rel[0]);
    if (t) target = t[1].replace(/^\/?xl\//, '').replace(/^\//, '');
  }
  const sheetXml = get(`xl/${target}`);
  if (!sheetXml) throw new NqpError('BAD_FILE', where, `${where}: the first worksheet (xl/${target}) is missing.`);
  const shared: string[] = [];
  const sst = get('xl/sharedStrings.xml');
  if (sst) {
    const re = /<si>([\s\S]*?)<\/si>/g;
    let m: RegExpExecArray | null;
    for (m = re.exec(sst); m; m = re.exec(sst)) shared.push(textRuns(m[1]));
  }
  const rows: { line: number; cells: string[] }[] = [];
  const rowRe = /<row\b([^>]*)>([\s\S]*?)<\/row>/g;
  let rm: RegExpExecArray | null;
  for (rm = rowRe.exec(sheetXml); rm; rm = rowRe.exec(sheetXml)) {
    const rAttr = /\br="(\d+)"/.exec(rm[1]);
    const line = rAttr ? Number(rAttr[1]) : rows.length + 1;
    const cells: string[] = [];
    const cellRe = /<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g;
    let cm: RegExpExecArray | null;
    let next = 0;
    for (cm = cellRe.exec(rm[2]); cm; cm = cellRe.exec(rm[2])) {
      const attrs = cm[1];
      const ref = /\br="([A-Z]+)\d+"/.exec(attrs);
      const idx = ref ? colIndex(ref[1]) : next;
      next = idx + 1;
      const type = /\bt="([^"]+)"/.exec(attrs)?.[1] ?? 'n';
      const body = cm[2] ?? '';
      const v = /<v>([\s\S]*?)<\/v>/.exec(body)?.[1];
      let value = '';
      if (type === 's') value = v !== undefined ? (shared[Number(v)] ?? '') : '';
      else if (type === 'inlineStr') value = textRuns(body);
      else if (type === 'b') value = v === '1' ? '1' : v === '0' ? '0' : '';
      else if (type === 'e') value = '';
      else value = v !== undefined ? unescapeXml(v) : '';
      cells[idx] = value.trim();
    }
    if (cells.some((c) => c !== undefined && c !== '')) rows.push({ line, cells });
  }
  if (!rows.length)
    throw new NqpError(
      'EMPTY_FILE',
      where,
      `${where}: the first worksheet is empty. Put a header row and one row per city-year on the first sheet.`,
    );
  const names = Array.from(rows[0].cells, (c) => (c ?? '').trim());
  const width = names.length;
  const columns = names.map(() => [] as string[]);
  for (const row of rows.slice(1)) {
    for (let c = 0; c < width; c++) columns[c].push(row.cells[c] ?? '');
  }
  return { names, columns, lines: rows.slice(1).map((r) => r.line) };
}
