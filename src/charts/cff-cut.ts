/**
 * Cutting a CFF table (the outlines of an OpenType font) down to some glyphs without renumbering any: the
 * charstrings of the glyphs left out are emptied, and so are the local subroutines no kept
 * charstring calls (cff-subrs.ts); everything else is kept byte for byte (global subroutines, charset, FDSelect,
 * private dicts), only the offsets that move are rewritten.
 */
import { emptiedIndex, fdOfGlyphs, indexOffsets, SubrTracer } from './cff-subrs';

/** A CFF INDEX at `at`: the byte ranges of its items and where it ends. */
function index(c: Buffer, at: number): { items: [number, number][]; end: number } {
  const n = c.readUInt16BE(at);
  if (n === 0) return { items: [], end: at + 2 };
  const os = c[at + 2];
  const base = at + 2 + (n + 1) * os;
  const off = (i: number) => base + c.readUIntBE(at + 3 + i * os, os);
  const items = Array.from({ length: n }, (_, i): [number, number] => [off(i), off(i + 1)]);
  return { items, end: off(n) };
}

function writeIndex(items: Buffer[]): Buffer {
  if (items.length === 0) return Buffer.from([0, 0]);
  const total = items.reduce((s, x) => s + x.length, 0) + 1;
  const os = total < 0x100 ? 1 : total < 0x10000 ? 2 : total < 0x1000000 ? 3 : 4;
  const head = Buffer.alloc(3 + (items.length + 1) * os);
  head.writeUInt16BE(items.length, 0);
  head[2] = os;
  let o = 1;
  head.writeUIntBE(o, 3, os);
  items.forEach((x, i) => {
    o += x.length;
    head.writeUIntBE(o, 3 + (i + 1) * os, os);
  });
  return Buffer.concat([head, ...items]);
}

type DictEntry = { op: number; operands: Buffer[] };

function readDict(c: Buffer, s: number, e: number): DictEntry[] {
  const out: DictEntry[] = [];
  let operands: Buffer[] = [];
  let p = s;
  while (p < e) {
    const b0 = c[p];
    let q = p + 1;
    if (b0 <= 21) {
      const op = b0 === 12 ? 1200 + c[p + 1] : b0;
      out.push({ op, operands });
      operands = [];
      p = b0 === 12 ? p + 2 : p + 1;
      continue;
    }
    if (b0 === 28) q = p + 3;
    else if (b0 === 29) q = p + 5;
    else if (b0 === 30) {
      while ((c[q] & 15) !== 15 && c[q] >> 4 !== 15) q++;
      q++;
    } else if (b0 >= 247 && b0 <= 254) q = p + 2;
    operands.push(c.subarray(p, q));
    p = q;
  }
  return out;
}

const int32 = (v: number) => {
  const x = Buffer.alloc(5);
  x[0] = 29;
  x.writeInt32BE(v, 1);
  return x;
};
const intValue = (x: Buffer) => (x[0] === 29 ? x.readInt32BE(1) : x[0] === 28 ? x.readInt16BE(1) : decodeSmall(x));
function decodeSmall(x: Buffer): number {
  if (x[0] <= 246) return x[0] - 139;
  if (x[0] <= 250) return (x[0] - 247) * 256 + x[1] + 108;
  return -(x[0] - 251) * 256 - x[1] - 108;
}

function writeDict(entries: DictEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const { op, operands } of entries) {
    parts.push(...operands, op >= 1200 ? Buffer.from([12, op - 1200]) : Buffer.from([op]));
  }
  return Buffer.concat(parts);
}

const indexEnd = (c: Buffer, at: number) => indexOffsets(c, at).at(-1) as number;

/**
 * The CharStrings INDEX with the charstrings of glyphs not in `keep` left empty (no byte: such a glyph is never
 * drawn, and the offsets then often fit in 2 bytes instead of 3).
 */
function charstringsIndex(c: Buffer, offs: Uint32Array, keep: Set<number>): Buffer {
  const used = new Uint8Array(offs.length - 1);
  for (const g of keep) if (g < used.length) used[g] = 1;
  return emptiedIndex(c, offs, used);
}

/**
 * For a CFF table: a function giving the table with the charstrings of glyphs not kept emptied. Only CID-keyed
 * CFF with one font and Noto Sans CJK's layout is handled; otherwise undefined, and the whole font is used.
 */
export function cffCutter(c: Buffer): ((keep: Set<number>) => Buffer) | undefined {
  const names = index(c, c[2]);
  const top = index(c, names.end);
  const strings = index(c, top.end);
  const gsubrs = index(c, strings.end);
  if (top.items.length !== 1) return undefined;
  const td = readDict(c, ...top.items[0]);
  const get = (op: number) => td.find((e) => e.op === op)?.operands;
  const [cs, fda, fds, charset] = [17, 1236, 1237, 15].map((op) => get(op));
  if (!cs || !fda || !fds || !charset || get(1230) === undefined) return undefined;
  const at = (x: Buffer[]) => intValue(x[0]);
  const charstrings = { end: indexEnd(c, at(cs)) };
  const fdarray = index(c, at(fda));
  const fdDicts = fdarray.items.map(([s, e]) => readDict(c, s, e));
  const privOffsets = fdDicts.map((d) => {
    const p = d.find((e) => e.op === 18)?.operands;
    return p ? at(p.slice(1)) : c.length;
  });
  const tail = Math.min(...privOffsets);
  // charset and FDSelect sit between the global subroutines and the charstrings; the private dicts come last.
  if (at(charset) < gsubrs.end || at(fds) < gsubrs.end || at(cs) < Math.max(at(charset), at(fds))) return undefined;
  if (charstrings.end > at(fda) || fdarray.end > tail) return undefined;
  const offs = indexOffsets(c, at(cs));
  // Offsets in the new Top DICT are written as 5-byte integers, so its size is known before they are.
  const fix = (offsets: Map<number, number>) =>
    writeIndex([
      writeDict(td.map((e) => (offsets.has(e.op) ? { ...e, operands: [int32(offsets.get(e.op) ?? 0)] } : e))),
    ]);
  const topSize = fix(
    new Map([
      [17, 0],
      [1236, 0],
      [1237, 0],
      [15, 0],
    ]),
  ).length;
  const fdaFor = (privAt: (fd: number) => number, size: (fd: number) => number | undefined) =>
    writeIndex(fdDicts.map((d, i) => writeDict(d.map((e) => (e.op === 18 ? fixPriv(e, size(i), privAt(i)) : e)))));
  const fdaSize = fdaFor(
    () => 0,
    () => undefined,
  ).length;
  const head = c.subarray(0, names.end);
  const middle = c.subarray(top.end, at(cs)); // strings, global subrs, charset, FDSelect
  const shift = head.length + topSize - top.end;
  const subrs = localSubrs(c, fdDicts, privOffsets, tail, offs, at(fds), indexOffsets(c, strings.end));
  return (keep) => {
    const newCs = charstringsIndex(c, offs, keep);
    const csAt = at(cs) + shift;
    const fdaAt = csAt + newCs.length;
    const offsets: [number, number][] = [
      [17, csAt],
      [1236, fdaAt],
      [1237, at(fds) + shift],
      [15, at(charset) + shift],
    ];
    const newTop = fix(new Map(offsets));
    const cut = subrs?.(keep);
    const privAt = (fd: number) => fdaAt + fdaSize + (cut ? cut.privAt[fd] : privOffsets[fd] - tail);
    const size = (fd: number) => cut?.privSize[fd];
    return Buffer.concat([head, newTop, middle, newCs, fdaFor(privAt, size), cut ? cut.tail : c.subarray(tail)]);
  };
}

const NONE = Uint32Array.of(0);

type TailCut = { tail: Buffer; privAt: number[]; privSize: number[] };

/**
 * When the end of the table holds only the private dicts and their local subroutines, in any order (Noto Sans CJK:
 * the dicts, then the subroutines): a function giving that end with the subroutines the kept glyphs do not call
 * emptied, and where each private dict starts in it and its size (each Subrs offset written as a 5-byte integer).
 * Undefined for another layout; the function gives undefined for kept glyphs whose calls are not followed.
 */
function localSubrs(
  c: Buffer,
  fdDicts: DictEntry[][],
  privOffsets: number[],
  tail: number,
  charstrings: Uint32Array,
  fdSelect: number,
  global: Uint32Array,
): ((keep: Set<number>) => TailCut | undefined) | undefined {
  const n = charstrings.length - 1;
  const fdOf = fdOfGlyphs(c, fdSelect, n);
  const sizes = fdDicts.map((d) => intValue(d.find((e) => e.op === 18)?.operands[0] ?? Buffer.from([139])));
  const privs = fdDicts.map((_, i) => readDict(c, privOffsets[i], privOffsets[i] + sizes[i]));
  const rels = privs.map((d) => d.find((e) => e.op === 19)?.operands[0]);
  const locals = rels.map((r, i) => (r ? indexOffsets(c, privOffsets[i] + intValue(r)) : undefined));
  // Each private dict and each local subroutine INDEX, in file order: together they must fill the end exactly.
  const blocks = fdDicts.flatMap((_, i) => {
    const priv = { fd: i, subrs: false, start: privOffsets[i], end: privOffsets[i] + sizes[i] };
    const r = rels[i];
    const l = locals[i];
    return r && l ? [priv, { fd: i, subrs: true, start: privOffsets[i] + intValue(r), end: l[l.length - 1] }] : [priv];
  });
  blocks.sort((x, y) => x.start - y.start);
  if (!fdOf || sizes.some((x) => x <= 0) || blocks[0]?.start !== tail || blocks.at(-1)?.end !== c.length) return;
  if (blocks.some((x, k) => k > 0 && x.start !== blocks[k - 1].end)) return undefined;
  const dict = (fd: number, rel: number) =>
    writeDict(privs[fd].map((e) => (e.op === 19 ? { op: 19, operands: [int32(rel)] } : e)));
  return (keep) => {
    const usedGlobal = new Uint8Array(global.length - 1);
    const used = locals.map((l) => new Uint8Array((l?.length ?? 1) - 1));
    const tracers = locals.map((l, i) => new SubrTracer(c, global, l ?? NONE, usedGlobal, used[i]));
    for (const g of keep) if (g < n && !tracers[fdOf[g]]?.glyph(charstrings[g], charstrings[g + 1])) return undefined;
    const parts = blocks.map((x) => (x.subrs ? emptiedIndex(c, locals[x.fd] ?? NONE, used[x.fd]) : dict(x.fd, 0)));
    const privAt: number[] = [];
    const subrsAt: number[] = [];
    let o = 0;
    blocks.forEach((x, k) => {
      (x.subrs ? subrsAt : privAt)[x.fd] = o;
      o += parts[k].length;
    });
    blocks.forEach((x, k) => {
      if (!x.subrs) parts[k] = dict(x.fd, subrsAt[x.fd] - privAt[x.fd]);
    });
    return { tail: Buffer.concat(parts), privAt, privSize: fdDicts.map((_, i) => dict(i, 0).length) };
  };
}

/** A private dict's size and offset, as 5-byte integers (so the FDArray's size does not depend on them). */
function fixPriv(e: DictEntry, size: number | undefined, at: number): DictEntry {
  return { op: 18, operands: [int32(size ?? intValue(e.operands[0])), int32(at)] };
}
