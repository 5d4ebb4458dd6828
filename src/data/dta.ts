/**
 * Stata .dta reader for formats 117 (Stata 13), 118 (Stata 14–18) and 119 (Stata 15+ with over 32,767 variables).
 * Follows Stata's documented file format (`help dta`): an XML-like envelope of tagged sections, a map of section
 * offsets, fixed-width rows in <data>, long strings in <strls>. Stata's missing values (., .a–.z) become NaN.
 */
import { NqpError } from '../errors';
import type { RawTable } from './csv';

interface Reader {
  buf: Buffer;
  pos: number;
  le: boolean;
  where: string;
}

function need(r: Reader, n: number, what: string): void {
  if (r.pos + n > r.buf.length) {
    throw new NqpError(
      'TRUNCATED_FILE',
      r.where,
      `${r.where} ends early (at byte ${r.buf.length}, while reading ${what}): the .dta file is truncated. Copy it ` +
        `again or re-save it from Stata.`,
    );
  }
}
function expectTag(r: Reader, tag: string): void {
  need(r, tag.length, tag);
  const got = r.buf.toString('latin1', r.pos, r.pos + tag.length);
  if (got !== tag)
    throw new NqpError(
      'BAD_FILE',
      r.where,
      `${r.where}: expected ${tag} at byte ${r.pos}, found "${got}". The file is not a valid Stata 13+ .dta file.`,
    );
  r.pos += tag.length;
}
function u8(r: Reader): number {
  need(r, 1, 'a byte');
  return r.buf[r.pos++];
}
function u16(r: Reader): number {
  need(r, 2, 'a 2-byte integer');
  const v = r.le ? r.buf.readUInt16LE(r.pos) : r.buf.readUInt16BE(r.pos);
  r.pos += 2;
  return v;
}
function u32(r: Reader): number {
  need(r, 4, 'a 4-byte integer');
  const v = r.le ? r.buf.readUInt32LE(r.pos) : r.buf.readUInt32BE(r.pos);
  r.pos += 4;
  return v;
}
function u64(r: Reader): number {
  need(r, 8, 'an 8-byte integer');
  const v = r.le ? r.buf.readBigUInt64LE(r.pos) : r.buf.readBigUInt64BE(r.pos);
  r.pos += 8;
  return Number(v);
}
function cstr(buf: Buffer, start: number, len: number, enc: BufferEncoding): string {
  const end = buf.indexOf(0, start);
  return buf.toString(enc, start, end >= 0 && end < start + len ? end : start + len);
}

/** Read a .dta file's bytes into string columns (numbers as their shortest decimal form, missing as ''). */
export function readDta(buf: Buffer, where: string): RawTable {
  const head = buf.toString('latin1', 0, Math.min(buf.length, 11));
  if (head !== '<stata_dta>') {
    if (buf.length > 0 && buf[0] >= 102 && buf[0] <= 115) {
      throw new NqpError(
        'UNKNOWN_FORMAT',
        where,
        `${where} is a Stata format-${buf[0]} file (Stata 12 or older). Re-save it in Stata 13+ with \`save\`, or ` +
          `as CSV.`,
      );
    }
    if (buf.length < 11)
      throw new NqpError(
        'TRUNCATED_FILE',
        where,
        `${where} is ${buf.length} bytes: the .dta file is truncated or empty. Copy it again or re-save it from Stata.`,
      );
    throw new NqpError('BAD_FILE', where, `${where} does not start with <stata_dta>: not a Stata 13+ .dta file.`);
  }
  const r: Reader = { buf, pos: 11, le: true, where };
  expectTag(r, '<header>');
  expectTag(r, '<release>');
  need(r, 3, 'the release');
  const release = Number(buf.toString('latin1', r.pos, r.pos + 3));
  r.pos += 3;
  if (![117, 118, 119].includes(release))
    throw new NqpError(
      'UNKNOWN_FORMAT',
      where,
      `${where}: Stata format ${release} is not supported (117, 118 and 119 are). Re-save it from Stata 13+ or as CSV.`,
    );
  expectTag(r, '</release>');
  expectTag(r, '<byteorder>');
  need(r, 3, 'the byte order');
  r.le = buf.toString('latin1', r.pos, r.pos + 3) === 'LSF';
  r.pos += 3;
  expectTag(r, '</byteorder>');
  expectTag(r, '<K>');
  const K = release === 119 ? u32(r) : u16(r);
  expectTag(r, '</K>');
  expectTag(r, '<N>');
  const N = release === 117 ? u32(r) : u64(r);
  expectTag(r, '</N>');
  // Declared sizes are checked against the file before anything is allocated: every variable takes at least
  // 2 bytes of type and a name, every observation at least a byte.
  if (K === 0) throw new NqpError('EMPTY_FILE', where, `${where} declares no variables.`);
  if (K * 2 > buf.length || N > buf.length) {
    throw new NqpError(
      'TRUNCATED_FILE',
      where,
      `${where} declares ${K} variables and ${N} observations but holds ${buf.length} bytes: the .dta file is ` +
        'truncated or damaged. Copy it again or re-save it from Stata.',
    );
  }
  expectTag(r, '<label>');
  const labelLen = release === 117 ? u8(r) : u16(r);
  need(r, labelLen, 'the data label');
  r.pos += labelLen;
  expectTag(r, '</label>');
  expectTag(r, '<timestamp>');
  const tsLen = u8(r);
  need(r, tsLen, 'the timestamp');
  r.pos += tsLen;
  expectTag(r, '</timestamp>');
  expectTag(r, '</header>');
  expectTag(r, '<map>');
  const map: number[] = [];
  for (let i = 0; i < 14; i++) map.push(u64(r));
  expectTag(r, '</map>');
  const enc: BufferEncoding = release === 117 ? 'latin1' : 'utf8';
  const nameLen = release === 117 ? 33 : 129;

  r.pos = map[2];
  expectTag(r, '<variable_types>');
  const types: number[] = [];
  for (let k = 0; k < K; k++) types.push(u16(r));
  r.pos = map[3];
  expectTag(r, '<varnames>');
  need(r, K * nameLen, 'variable names');
  const names: string[] = [];
  for (let k = 0; k < K; k++) names.push(cstr(buf, r.pos + k * nameLen, nameLen, enc));

  const widths = types.map((t) => {
    if (t >= 1 && t <= 2045) return t;
    switch (t) {
      case 32768:
        return 8;
      case 65526:
        return 8;
      case 65527:
        return 4;
      case 65528:
        return 4;
      case 65529:
        return 2;
      case 65530:
        return 1;
      default:
        throw new NqpError(
          'BAD_FILE',
          `${where}, variable ${k2name(names, types.indexOf(t))}`,
          `${where}: unknown Stata storage type ${t}.`,
        );
    }
  });
  const rowWidth = widths.reduce((s, w) => s + w, 0);

  // Long strings (strL) live in <strls> as GSO blocks keyed by (variable, observation).
  const strls = new Map<string, string>();
  if (types.includes(32768)) {
    const s: Reader = { buf, pos: map[10], le: r.le, where };
    expectTag(s, '<strls>');
    while (buf.toString('latin1', s.pos, s.pos + 3) === 'GSO') {
      s.pos += 3;
      const v = u32(s);
      const o = release === 117 ? u32(s) : u64(s);
      const t = u8(s);
      const len = u32(s);
      need(s, len, 'a long string');
      strls.set(`${v},${o}`, buf.toString(enc, s.pos, s.pos + (t === 130 ? Math.max(0, len - 1) : len)));
      s.pos += len;
    }
  }

  const d: Reader = { buf, pos: map[9], le: r.le, where };
  expectTag(d, '<data>');
  if (d.pos + N * rowWidth > buf.length) {
    throw new NqpError(
      'TRUNCATED_FILE',
      `${where}, observation ${Math.floor((buf.length - d.pos) / Math.max(1, rowWidth)) + 1}`,
      `${where} is truncated: it declares ${N} observations but the data stop after ` +
        `${Math.max(0, Math.floor((buf.length - d.pos) / Math.max(1, rowWidth)))}. Copy the file again or re-save it ` +
        `from Stata.`,
    );
  }
  const columns = names.map(() => new Array<string>(N));
  const num = (x: number) => (Number.isFinite(x) ? String(x) : '');
  for (let i = 0; i < N; i++) {
    let p = d.pos + i * rowWidth;
    for (let k = 0; k < K; k++) {
      const t = types[k];
      let v: string;
      if (t <= 2045) v = cstr(buf, p, t, enc);
      else if (t === 65526) {
        const x = r.le ? buf.readDoubleLE(p) : buf.readDoubleBE(p);
        v = x > 8.988465674311579e307 ? '' : num(x);
      } else if (t === 65527) {
        const x = r.le ? buf.readFloatLE(p) : buf.readFloatBE(p);
        v = x > 1.7014117331926443e38 ? '' : num(Math.fround(x));
      } else if (t === 65528) {
        const x = r.le ? buf.readInt32LE(p) : buf.readInt32BE(p);
        v = x > 2147483620 ? '' : String(x);
      } else if (t === 65529) {
        const x = r.le ? buf.readInt16LE(p) : buf.readInt16BE(p);
        v = x > 32740 ? '' : String(x);
      } else if (t === 65530) {
        const x = buf.readInt8(p);
        v = x > 100 ? '' : String(x);
      } else {
        // strL reference (v, o): 2+6 bytes in 118, 3+5 in 119, 4+4 in 117.
        let vv: number, oo: number;
        if (release === 117) {
          vv = r.le ? buf.readUInt32LE(p) : buf.readUInt32BE(p);
          oo = r.le ? buf.readUInt32LE(p + 4) : buf.readUInt32BE(p + 4);
        } else {
          const vb = release === 118 ? 2 : 3;
          vv = r.le ? buf.readUIntLE(p, vb) : buf.readUIntBE(p, vb);
          oo = r.le ? buf.readUIntLE(p + vb, 8 - vb) : buf.readUIntBE(p + vb, 8 - vb);
        }
        v = vv === 0 && oo === 0 ? '' : (strls.get(`${vv},${oo}`) ?? '');
      }
      columns[k][i] = v.trim();
      p += widths[k];
    }
  }
  return { names, columns, lines: Array.from({ length: N }, (_, i) => i + 1) };
}

function k2name(names: string[], k: number): string {
  return names[k] ?? String(k + 1);
}
