import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as aq from 'arquero';
import { readCell } from '../src/data/cells';
import { parseCsv } from '../src/data/csv';
import { cellNumber } from '../src/data/missing';

export const FIXTURES = join(__dirname, 'fixtures');

/**
 * A fixture CSV as an arquero table: a column whose every cell is a number or missing under the package's cell rule
 * (src/data/cells.ts, as src/data/missing.ts reads text) is a Float64Array (missing as NaN); other columns stay text.
 */
export function fixtureTable(file: string): any {
  const raw = parseCsv(readFileSync(join(FIXTURES, file), 'utf8'), file);
  const cols: Record<string, unknown> = {};
  raw.names.forEach((nm, c) => {
    const vals = raw.columns[c];
    const numeric = vals.every((v) => ['number', 'missing'].includes(readCell(v.trim()).kind));
    cols[nm] = numeric
      ? Float64Array.from(vals, (v, i) => cellNumber(v, `${file}, column "${nm}", row ${i + 1}`))
      : vals;
  });
  return aq.table(cols as any);
}

export function readJson(file: string): any {
  return JSON.parse(readFileSync(join(FIXTURES, file), 'utf8'));
}

/** Relative difference, with an absolute floor for values near zero. */
export function relDiff(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
}

/**
 * Minimal Stata format-118 writer (doubles and fixed-width strings), written from Stata's documented dta
 * specification independently of the reader, for round-trip and truncation tests.
 */
export function writeDta118(names: string[], columns: (Float64Array | string[])[]): Buffer {
  const K = names.length,
    N = columns[0].length;
  const parts: Buffer[] = [];
  const push = (b: Buffer | string) => parts.push(typeof b === 'string' ? Buffer.from(b, 'latin1') : b);
  const u16 = (v: number) => {
    const b = Buffer.alloc(2);
    b.writeUInt16LE(v);
    return b;
  };
  const u64 = (v: number) => {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(v));
    return b;
  };
  const fixed = (s: string, len: number) => {
    const b = Buffer.alloc(len);
    b.write(s, 'utf8');
    return b;
  };
  const widths = columns.map((c) =>
    c instanceof Float64Array ? 8 : Math.max(1, ...c.map((s) => Buffer.byteLength(s))),
  );
  const types = columns.map((c, k) => (c instanceof Float64Array ? 65526 : widths[k]));
  push('<stata_dta><header><release>118</release><byteorder>LSF</byteorder><K>');
  push(u16(K));
  push('</K><N>');
  push(u64(N));
  push('</N><label>');
  push(u16(0));
  push('</label><timestamp>');
  push(Buffer.from([0]));
  push('</timestamp></header>');
  const offsets: number[] = new Array(14).fill(0);
  const size = () => parts.reduce((s, b) => s + b.length, 0);
  push('<map>');
  const mapAt = size();
  push(Buffer.alloc(14 * 8));
  push('</map>');
  offsets[2] = size();
  push('<variable_types>');
  for (const t of types) push(u16(t));
  push('</variable_types>');
  offsets[3] = size();
  push('<varnames>');
  for (const n of names) push(fixed(n, 129));
  push('</varnames>');
  offsets[4] = size();
  push('<sortlist>');
  push(Buffer.alloc(2 * (K + 1)));
  push('</sortlist>');
  offsets[5] = size();
  push('<formats>');
  for (let k = 0; k < K; k++) push(fixed(columns[k] instanceof Float64Array ? '%10.0g' : `%${widths[k]}s`, 57));
  push('</formats>');
  offsets[6] = size();
  push('<value_label_names>');
  push(Buffer.alloc(129 * K));
  push('</value_label_names>');
  offsets[7] = size();
  push('<variable_labels>');
  push(Buffer.alloc(321 * K));
  push('</variable_labels>');
  offsets[8] = size();
  push('<characteristics></characteristics>');
  offsets[9] = size();
  push('<data>');
  for (let i = 0; i < N; i++)
    for (let k = 0; k < K; k++) {
      const c = columns[k];
      if (c instanceof Float64Array) {
        const b = Buffer.alloc(8);
        b.writeDoubleLE(Number.isNaN(c[i]) ? 8.98846567431158e307 : c[i]);
        push(b);
      } else push(fixed(c[i], widths[k]));
    }
  push('</data>');
  offsets[10] = size();
  push('<strls></strls>');
  offsets[11] = size();
  push('<value_labels></value_labels>');
  offsets[12] = size();
  push('</stata_dta>');
  offsets[13] = size();
  const buf = Buffer.concat(parts);
  offsets.forEach((o, i) => buf.writeBigUInt64LE(BigInt(o), mapAt + 8 * i));
  return buf;
}

/**
 * A minimal .xlsx (one sheet, inline strings and numbers), zipped with fflate. `opts.sheetXml` replaces the
 * sheet's XML and `opts.parts` adds parts (styles, shared strings) for the hostile and odd workbooks of
 * tests/data/bad-inputs.test.ts.
 */
export function writeXlsx(
  names: string[],
  rows: (string | number | null)[][],
  opts: { sheetXml?: string; parts?: Record<string, string> } = {},
): Buffer {
  const { zipSync, strToU8 } = require('fflate');
  const col = (i: number) => {
    let s = '';
    i++;
    while (i > 0) {
      const m = (i - 1) % 26;
      s = String.fromCharCode(65 + m) + s;
      i = Math.floor((i - 1) / 26);
    }
    return s;
  };
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const cell = (v: string | number | null, r: number, c: number) =>
    v === null
      ? ''
      : typeof v === 'number'
        ? `<c r="${col(c)}${r}"><v>${v}</v></c>`
        : `<c r="${col(c)}${r}" t="inlineStr"><is><t>${esc(v)}</t></is></c>`;
  const sheetRows = [names, ...rows]
    .map((r, i) => `<row r="${i + 1}">${r.map((v, c) => cell(v as any, i + 1, c)).join('')}</row>`)
    .join('');
  const files = {
    '[Content_Types].xml': strToU8(
      '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default ' +
        'Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default ' +
        'Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ' +
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override ' +
        'PartName="/xl/worksheets/sheet1.xml" ' +
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
    ),
    '_rels/.rels': strToU8(
      '<?xml version="1.0"?><Relationships ' +
        'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" ' +
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" ' +
        'Target="xl/workbook.xml"/></Relationships>',
    ),
    'xl/workbook.xml': strToU8(
      '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ' +
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="panel" ' +
        'sheetId="1" r:id="rId1"/></sheets></workbook>',
    ),
    'xl/_rels/workbook.xml.rels': strToU8(
      '<?xml version="1.0"?><Relationships ' +
        'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" ' +
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" ' +
        'Target="worksheets/sheet1.xml"/></Relationships>',
    ),
    'xl/worksheets/sheet1.xml': strToU8(
      opts.sheetXml ??
        `<?xml version="1.0"?><worksheet ` +
          `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${sheetRows}</sheetData>` +
          `</worksheet>`,
    ),
  };
  for (const [name, xml] of Object.entries(opts.parts ?? {})) (files as Record<string, unknown>)[name] = strToU8(xml);
  return Buffer.from(zipSync(files));
}

/** Catch an NqpError and return "CODE @ where" (or 'no error'). */
export function errCode(fn: () => unknown): string {
  const { NqpError } = require('../src/errors');
  try {
    fn();
  } catch (e) {
    if (e instanceof NqpError) return `${(e as any).code} @ ${(e as any).where}`;
    throw e;
  }
  return 'no error';
}

/** The nqp command as a child process from the project root (as users run it), with a fresh scratch folder. */
export function nqpCli(...args: string[]): import('node:child_process').SpawnSyncReturns<string> {
  const { spawnSync } = require('node:child_process');
  const root = join(__dirname, '..');
  return spawnSync(process.execPath, [join(root, 'bin', 'nqp.js'), ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 900_000,
  });
}

/** tests/.tmp/<name>, emptied. */
export function scratch(name: string): string {
  const { mkdirSync, rmSync } = require('node:fs');
  const dir = join(__dirname, '.tmp', name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

let gbkTable: Map<string, number[]> | undefined;

/**
 * Text as GBK bytes, for tests of GBK exports (Node decodes GBK but has no encoder): the table inverts Node's own
 * GBK decoder over every two-byte sequence, so no network and no system iconv are needed.
 */
export function gbkEncode(text: string): Buffer {
  if (!gbkTable) {
    gbkTable = new Map();
    const dec = new TextDecoder('gbk');
    for (let lead = 0x81; lead <= 0xfe; lead++) {
      for (let trail = 0x40; trail <= 0xfe; trail++) {
        if (trail === 0x7f) continue;
        const ch = dec.decode(Uint8Array.from([lead, trail]));
        if (ch.length === 1 && ch !== '\ufffd' && !gbkTable.has(ch)) gbkTable.set(ch, [lead, trail]);
      }
    }
  }
  const out: number[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0) as number;
    if (cp < 0x80) out.push(cp);
    else {
      const b = gbkTable.get(ch);
      if (!b) throw new Error(`"${ch}" has no GBK encoding`);
      out.push(...b);
    }
  }
  return Buffer.from(out);
}

/**
 * Damage a kernel snapshot's header in place, keeping its size and modification time: its stamp still matches
 * (snapshot.ts cannot see it), and node aborts when a kernel starts from it.
 */
export function damageSnapshot(file: string): void {
  const { closeSync, openSync, statSync, utimesSync, writeSync } = require('node:fs');
  const { mtime } = statSync(file);
  const fd = openSync(file, 'r+');
  writeSync(fd, Buffer.alloc(64), 0, 64, 0);
  closeSync(fd);
  utimesSync(file, mtime, mtime);
}
