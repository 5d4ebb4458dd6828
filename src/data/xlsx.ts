/**
 * A small .xlsx reader (Office Open XML spreadsheet): one worksheet (the first, or `sheet` by name), header in
 * its first row, one row per city-year. Shared strings, inline strings, numbers and booleans are read; formula
 * cells give their cached values. Refused, naming the cell or range: a formula without a cached value, merged
 * cells, date-formatted cells, a duplicate header name, a row longer than the header. Hostile files are bounded:
 * only the needed parts are decompressed, with a size cap and a compression-ratio cap (zip bombs), and the XML is
 * scanned in linear time (an unclosed tag is an error, never a quadratic search).
 */
import { NqpError } from '../errors';
import type { RawTable } from './csv';
import { checkNames } from './names';

/** Decompressed bytes allowed per part, and the largest plausible compression ratio of spreadsheet XML. */
const MAX_PART = 512 << 20;
const MAX_RATIO = 200;

function unescapeXml(s: string): string {
  if (!s.includes('&')) return s;
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
      default: {
        const cp = e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
        return cp <= 0x10ffff ? String.fromCodePoint(cp) : '\uFFFD';
      }
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

function colName(i: number): string {
  let s = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** Each element `<tag …>…</tag>` (or `<tag …/>`) in order, found with indexOf: linear in the text. */
function* elements(xml: string, tag: string, where: string): Generator<{ attrs: string; body: string }> {
  const open = `<${tag}`;
  const close = `</${tag}>`;
  let pos = 0;
  for (;;) {
    let i = xml.indexOf(open, pos);
    while (i >= 0 && /[\w:-]/.test(xml[i + open.length] ?? '')) i = xml.indexOf(open, i + 1);
    if (i < 0) return;
    const gt = xml.indexOf('>', i);
    if (gt < 0) throw unclosed(where, tag);
    if (xml[gt - 1] === '/') {
      yield { attrs: xml.slice(i + open.length, gt - 1), body: '' };
      pos = gt + 1;
      continue;
    }
    const end = xml.indexOf(close, gt);
    if (end < 0) throw unclosed(where, tag);
    yield { attrs: xml.slice(i + open.length, gt), body: xml.slice(gt + 1, end) };
    pos = end + close.length;
  }
}

function unclosed(where: string, tag: string): NqpError {
  return new NqpError('BAD_FILE', where, `${where}: a <${tag}> element never closes; the workbook is damaged.`);
}

/**
 * The text of the <t> runs inside an element (rich text has several), without the phonetic guides (<rPh>, the
 * furigana/pinyin Excel stores beside East Asian text), which Excel and readxl do not show as the cell's value.
 */
function textRuns(xml: string, where: string): string {
  let out = '';
  for (const t of elements(withoutElements(xml, 'rPh'), 't', where)) out += t.body;
  return unescapeXml(out);
}

/** The xml with every <tag>…</tag> removed (linear: indexOf from the last position). */
function withoutElements(xml: string, tag: string): string {
  if (!xml.includes(`<${tag}`)) return xml;
  let out = '';
  let pos = 0;
  for (const m of xml.matchAll(new RegExp(`<${tag}[\\s>/]`, 'g'))) {
    if (m.index < pos) continue;
    out += xml.slice(pos, m.index);
    const selfClose = xml.indexOf('>', m.index);
    const close = xml.indexOf(`</${tag}>`, m.index);
    if (selfClose >= 0 && xml[selfClose - 1] === '/' && (close < 0 || selfClose < close)) pos = selfClose + 1;
    else pos = close < 0 ? xml.length : close + tag.length + 3;
  }
  return out + xml.slice(pos);
}

const MAIN_NS = new RegExp(
  'xmlns:([A-Za-z_][\\w.-]*)="(?:http://schemas\\.openxmlformats\\.org/spreadsheetml/2006/main|' +
    'http://purl\\.oclc\\.org/ooxml/spreadsheetml/main)"',
);

/** A part written with a prefix for the spreadsheet namespace (<x:sheetData>, <x:row>, <x:c>) as if unprefixed. */
function unprefixed(xml: string | undefined): string | undefined {
  const p = xml && MAIN_NS.exec(xml)?.[1];
  return p ? (xml as string).replaceAll(`<${p}:`, '<').replaceAll(`</${p}:`, '</') : xml;
}

const attr = (attrs: string, name: string): string | undefined =>
  new RegExp(`(?:^|\\s)${name}="([^"]*)"`).exec(attrs)?.[1];

/** Style indices whose number format is a date or time (built-in 14–22, 45–47, or a custom d/m/y/h format). */
function dateStyles(styles: string | undefined, where: string): Set<number> {
  const out = new Set<number>();
  if (!styles) return out;
  const custom = new Map<number, string>();
  for (const f of elements(styles, 'numFmt', where)) {
    custom.set(Number(attr(f.attrs, 'numFmtId')), unescapeXml(attr(f.attrs, 'formatCode') ?? ''));
  }
  const isDate = (id: number) => {
    if ((id >= 14 && id <= 22) || (id >= 45 && id <= 47)) return true;
    const code = custom.get(id)?.replace(/"[^"]*"|\[[^\]]*\]|\\./g, '');
    return code !== undefined && /[dmyhs]/i.test(code);
  };
  const xfs = [...elements(styles, 'cellXfs', where)][0];
  if (!xfs) return out;
  let k = 0;
  for (const xf of elements(xfs.body, 'xf', where)) {
    if (isDate(Number(attr(xf.attrs, 'numFmtId') ?? 0))) out.add(k);
    k++;
  }
  return out;
}

export function readXlsx(
  buf: Buffer,
  where: string,
  sheetName?: string,
): RawTable & { sheet: string; sheets: string[] } {
  const { unzipSync, strFromU8 } = require('fflate') as typeof import('fflate');
  const wanted = (n: string) =>
    n === 'xl/workbook.xml' ||
    n === 'xl/_rels/workbook.xml.rels' ||
    n === 'xl/sharedStrings.xml' ||
    n === 'xl/styles.xml' ||
    n.startsWith('xl/worksheets/');
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength), {
      filter(f) {
        if (!wanted(f.name)) return false;
        if (f.originalSize > MAX_PART || (f.originalSize > 50 << 20 && f.originalSize > MAX_RATIO * f.size)) {
          throw new NqpError(
            'BAD_FILE',
            where,
            `${where}: part ${f.name} would decompress to ${(f.originalSize / 2 ** 20).toFixed(0)} MB from ` +
              `${(f.size / 2 ** 20).toFixed(1)} MB; refused as a likely zip bomb. Save the data as CSV.`,
          );
        }
        return true;
      },
    });
  } catch (e) {
    if (e instanceof NqpError) throw e;
    throw new NqpError(
      'BAD_FILE',
      where,
      `${where} is not a readable .xlsx workbook (${(e as Error).message}). Re-save it from Excel, or as CSV.`,
    );
  }
  const get = (p: string) => unprefixed(files[p] ? strFromU8(files[p]) : undefined);
  const workbook = get('xl/workbook.xml');
  if (!workbook)
    throw new NqpError(
      'BAD_FILE',
      where,
      `${where} has no xl/workbook.xml: not an .xlsx workbook. Re-save it from Excel, or as CSV.`,
    );
  const sheets = [...elements(workbook, 'sheet', where)].map((s) => ({
    name: unescapeXml(attr(s.attrs, 'name') ?? ''),
    rid: attr(s.attrs, 'r:id'),
  }));
  if (!sheets.length) throw new NqpError('EMPTY_FILE', where, `${where} has no worksheet.`);
  const chosen = sheetName === undefined ? sheets[0] : sheets.find((s) => s.name === sheetName);
  if (!chosen) {
    throw new NqpError(
      'BAD_SHEET',
      `sheet "${sheetName}"`,
      `${where} has no sheet "${sheetName}"; its sheets are ${sheets.map((s) => `"${s.name}"`).join(', ')}.`,
    );
  }
  const at = `${where}, sheet "${chosen.name}"`;
  const rels = get('xl/_rels/workbook.xml.rels') ?? '';
  let target = `worksheets/sheet${sheets.indexOf(chosen) + 1}.xml`;
  for (const rel of elements(rels, 'Relationship', where)) {
    if (attr(rel.attrs, 'Id') === chosen.rid) {
      target = (attr(rel.attrs, 'Target') ?? target).replace(/^\/?xl\//, '').replace(/^\//, '');
    }
  }
  const sheetXml = get(`xl/${target}`);
  if (!sheetXml) throw new NqpError('BAD_FILE', at, `${at}: its part xl/${target} is missing.`);
  const merged = [...elements(sheetXml, 'mergeCell', where)].map((m) => attr(m.attrs, 'ref'));
  if (merged.length) {
    throw new NqpError(
      'BAD_FILE',
      `${at}, cells ${merged[0]}`,
      `${at} has merged cells (${merged.slice(0, 3).join(', ')}${merged.length > 3 ? ', …' : ''}): a merged ` +
        'block hides which row a value belongs to. Unmerge them and fill every cell.',
    );
  }
  const shared: string[] = [];
  const sst = get('xl/sharedStrings.xml');
  if (sst) for (const si of elements(sst, 'si', where)) shared.push(textRuns(si.body, where));
  const dates = dateStyles(get('xl/styles.xml'), where);
  const rows: { line: number; cells: string[] }[] = [];
  for (const row of elements(sheetXml, 'row', where)) {
    const line = Number(attr(row.attrs, 'r') ?? rows.length + 1);
    const cells: string[] = [];
    let next = 0;
    for (const c of elements(row.body, 'c', where)) {
      const ref = attr(c.attrs, 'r');
      const idx = ref ? colIndex(ref) : next;
      next = idx + 1;
      const cell = ref ?? `${colName(idx)}${line}`;
      const type = attr(c.attrs, 't') ?? 'n';
      const v = [...elements(c.body, 'v', where)][0]?.body;
      if (v === undefined && c.body.includes('<f')) {
        throw new NqpError(
          'BAD_CELL',
          `${at}, cell ${cell}`,
          `${at}, cell ${cell}: a formula without a saved value. Open the workbook in Excel, recalculate and save, ` +
            'or paste the values.',
        );
      }
      if (type === 'n' && v !== undefined && dates.has(Number(attr(c.attrs, 's') ?? -1))) {
        throw new NqpError(
          'BAD_CELL',
          `${at}, cell ${cell}`,
          `${at}, cell ${cell}: a date-formatted cell (Excel serial ${v}). Store years and values as plain ` +
            'numbers (Format Cells → Number).',
        );
      }
      let value = '';
      if (type === 's') value = v !== undefined ? (shared[Number(v)] ?? '') : '';
      else if (type === 'inlineStr') value = textRuns(c.body, where);
      else if (type === 'b') value = v === '1' ? '1' : v === '0' ? '0' : '';
      else if (type === 'e') value = '';
      else value = v !== undefined ? unescapeXml(v) : '';
      cells[idx] = value.trim();
    }
    if (cells.some((c) => c !== undefined && c !== '')) rows.push({ line, cells });
  }
  if (!rows.length)
    throw new NqpError('EMPTY_FILE', at, `${at} is empty. Put a header row and one row per city-year on it.`);
  const names = Array.from(rows[0].cells, (c) => (c ?? '').trim());
  const width = names.length;
  checkNames(names, at, (c) => `cell ${colName(c)}${rows[0].line}`);
  const columns = names.map(() => [] as string[]);
  for (const row of rows.slice(1)) {
    if (row.cells.length > width && row.cells.slice(width).some((c) => c !== undefined && c !== '')) {
      const c = row.cells.findIndex((x, i) => i >= width && x !== undefined && x !== '');
      throw new NqpError(
        'BAD_FILE',
        `${at}, cell ${colName(c)}${row.line}`,
        `${at}, row ${row.line}: a value in column ${colName(c)}, beyond the header's ${width} columns. Give it a ` +
          'header or delete it.',
      );
    }
    for (let c = 0; c < width; c++) columns[c].push(row.cells[c] ?? '');
  }
  const all = sheets.map((x) => x.name);
  return { names, columns, lines: rows.slice(1).map((r) => r.line), sheet: chosen.name, sheets: all };
}
