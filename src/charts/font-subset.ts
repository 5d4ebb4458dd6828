/**
 * A small copy of a font file (Noto Sans CJK's 19 MB collection, DejaVu Sans's 0.7 MB) that draws the given text
 * exactly as the whole file does, for the PNG renderer. resvg re-reads the whole font file several times for every
 * text element of a chart (about 6 reads of 19 MB per label: 1 s of CPU for a Chinese chart of 30 labels); the
 * copy of Noto Sans CJK is about 3.3 MB, that of DejaVu Sans 0.2 MB.
 *
 * What is kept, so every glyph the text can reach is drawn from the same outline: every face, every table, and
 * every glyph id. What is left out: the outlines (CFF charstrings, or TrueType glyf entries) of glyphs the text
 * cannot reach, each replaced by an empty one, and the character map entries of characters the text does not
 * contain. A glyph is reachable when some face maps one of the text's characters to it, or when a substitution
 * (GSUB) of some face turns a reachable glyph into it, whatever the feature, script or context (a superset of what
 * shaping can produce), or when a kept composite glyph is drawn from it. Text with variation selectors is not cut
 * (their mappings are in a cmap subtable this copy leaves out).
 */

import { cffCutter } from './cff-cut';
import { glyfCutter } from './glyf-cut';

interface Dir {
  tag: string;
  offset: number;
  length: number;
}

/** The face directories of a collection (or of one font: one face). */
function faces(b: Buffer): Dir[][] {
  const starts =
    b.toString('latin1', 0, 4) === 'ttcf'
      ? Array.from({ length: b.readUInt32BE(8) }, (_, i) => b.readUInt32BE(12 + 4 * i))
      : [0];
  return starts.map((s) =>
    Array.from({ length: b.readUInt16BE(s + 4) }, (_, j) => {
      const r = s + 12 + 16 * j;
      return { tag: b.toString('latin1', r, r + 4), offset: b.readUInt32BE(r + 8), length: b.readUInt32BE(r + 12) };
    }),
  );
}

/** The glyph a Unicode cmap (format 12, else format 4) gives `cp`; 0 when none. */
function cmapLookup(b: Buffer, cmap: number, cp: number): number {
  const n = b.readUInt16BE(cmap + 2);
  let f4 = -1;
  for (let i = 0; i < n; i++) {
    const r = cmap + 4 + 8 * i;
    const pid = b.readUInt16BE(r);
    const eid = b.readUInt16BE(r + 2);
    const sub = cmap + b.readUInt32BE(r + 4);
    const format = b.readUInt16BE(sub);
    if (format === 12 && (pid === 0 || (pid === 3 && eid === 10))) {
      let lo = 0;
      let hi = b.readUInt32BE(sub + 12) - 1;
      while (lo <= hi) {
        const m = (lo + hi) >> 1;
        const g = sub + 16 + 12 * m;
        if (cp < b.readUInt32BE(g)) hi = m - 1;
        else if (cp > b.readUInt32BE(g + 4)) lo = m + 1;
        else return b.readUInt32BE(g + 8) + cp - b.readUInt32BE(g);
      }
      return 0;
    }
    if (format === 4 && (pid === 0 || (pid === 3 && eid === 1)) && f4 < 0) f4 = sub;
  }
  if (f4 < 0 || cp > 0xffff) return 0;
  const segs = b.readUInt16BE(f4 + 6) / 2;
  const ends = f4 + 14;
  const starts = ends + 2 * segs + 2;
  for (let i = 0; i < segs; i++) {
    if (cp > b.readUInt16BE(ends + 2 * i)) continue;
    const start = b.readUInt16BE(starts + 2 * i);
    if (cp < start) return 0;
    const delta = b.readInt16BE(starts + 2 * segs + 2 * i);
    const ro = starts + 4 * segs + 2 * i;
    const range = b.readUInt16BE(ro);
    if (range === 0) return (cp + delta) & 0xffff;
    const g = b.readUInt16BE(ro + range + 2 * (cp - start));
    return g === 0 ? 0 : (g + delta) & 0xffff;
  }
  return 0;
}

/** The coverage index of glyph `g` in the coverage table at `at`; -1 when not covered. */
function coverageIndex(b: Buffer, at: number, g: number): number {
  const format = b.readUInt16BE(at);
  let lo = 0;
  let hi = b.readUInt16BE(at + 2) - 1;
  while (lo <= hi) {
    const m = (lo + hi) >> 1;
    const r = format === 1 ? at + 4 + 2 * m : at + 4 + 6 * m;
    const first = b.readUInt16BE(r);
    const last = format === 1 ? first : b.readUInt16BE(r + 2);
    if (g < first) hi = m - 1;
    else if (g > last) lo = m + 1;
    else return format === 1 ? m : b.readUInt16BE(r + 4) + g - first;
  }
  return -1;
}

const u16s = (b: Buffer, at: number, n: number) => Array.from({ length: n }, (_, i) => b.readUInt16BE(at + 2 * i));

/** A GSUB subtable that can produce glyphs: single (1), multiple (2), alternate (3), ligature (4), reverse (8). */
type Subtable = { type: number; at: number };

/** Every such subtable of every distinct GSUB of the faces, extension subtables (7) opened. */
function gsubSubtables(b: Buffer, fs: Dir[][]): Subtable[] {
  const out: Subtable[] = [];
  for (const gsub of new Set(fs.map((f) => f.find((d) => d.tag === 'GSUB')?.offset))) {
    if (gsub === undefined) continue;
    const list = gsub + b.readUInt16BE(gsub + 8);
    for (let i = 0; i < b.readUInt16BE(list); i++) {
      const lk = list + b.readUInt16BE(list + 2 + 2 * i);
      for (let k = 0; k < b.readUInt16BE(lk + 4); k++) {
        let type = b.readUInt16BE(lk);
        let at = lk + b.readUInt16BE(lk + 6 + 2 * k);
        if (type === 7) [type, at] = [b.readUInt16BE(at + 2), at + b.readUInt32BE(at + 4)];
        if ((type >= 1 && type <= 4) || type === 8) out.push({ type, at });
      }
    }
  }
  return out;
}

/** The glyphs subtable `s` can turn glyph `g` into, whatever its context (ligatures: those whose parts are kept). */
function produce(b: Buffer, { type, at }: Subtable, g: number, keep: Set<number>): number[] {
  const i = coverageIndex(b, at + b.readUInt16BE(at + 2), g);
  if (i < 0) return [];
  if (type === 1)
    return [b.readUInt16BE(at) === 1 ? (g + b.readInt16BE(at + 4)) & 0xffff : b.readUInt16BE(at + 6 + 2 * i)];
  if (type === 8) {
    let p = at + 4;
    p += 2 + 2 * b.readUInt16BE(p); // backtrack coverages
    p += 2 + 2 * b.readUInt16BE(p); // lookahead coverages
    return [b.readUInt16BE(p + 2 + 2 * i)];
  }
  const set = at + b.readUInt16BE(at + 6 + 2 * i);
  if (type !== 4) return u16s(b, set + 2, b.readUInt16BE(set));
  const out: number[] = [];
  for (let k = 0; k < b.readUInt16BE(set); k++) {
    const lig = set + b.readUInt16BE(set + 2 + 2 * k);
    if (u16s(b, lig + 4, b.readUInt16BE(lig + 2) - 1).every((c) => keep.has(c))) out.push(b.readUInt16BE(lig));
  }
  return out;
}

/** For each glyph, the subtables whose coverage holds it (`ids[start[g]..start[g+1]]`): built once per font. */
function coveredBy(b: Buffer, subtables: Subtable[]): { start: Uint32Array; ids: Uint16Array } {
  const each = (f: (g: number, id: number) => void) =>
    subtables.forEach(({ at }, id) => {
      const cov = at + b.readUInt16BE(at + 2);
      const n = b.readUInt16BE(cov + 2);
      if (b.readUInt16BE(cov) === 1) for (let i = 0; i < n; i++) f(b.readUInt16BE(cov + 4 + 2 * i), id);
      else
        for (let i = 0; i < n; i++)
          for (let g = b.readUInt16BE(cov + 4 + 6 * i); g <= b.readUInt16BE(cov + 6 + 6 * i); g++) f(g, id);
    });
  const start = new Uint32Array(0x10001);
  each((g) => start[g + 1]++);
  for (let g = 0; g < 0x10000; g++) start[g + 1] += start[g];
  const fill = start.slice(0, 0x10000);
  const ids = new Uint16Array(start[0x10000]);
  each((g, id) => {
    ids[fill[g]++] = id;
  });
  return { start, ids };
}

interface Gsub {
  b: Buffer;
  subtables: Subtable[];
  start: Uint32Array;
  ids: Uint16Array;
  /** Per glyph met so far, the glyphs all but the ligature subtables turn it into (whatever else is kept). */
  singles: Map<number, number[]>;
}

const NONE = new Set<number>();

/** Every glyph reachable from the code points in any face (see the module comment); `glyph` reads a cmap. */
function reachable(fs: Dir[][], gsub: Gsub, cps: number[], glyph: (cmap: number, cp: number) => number) {
  const b = gsub.b;
  const keep = new Set<number>([0]);
  const todo: number[] = [];
  const add = (g: number) => {
    if (keep.has(g)) return;
    keep.add(g);
    todo.push(g);
  };
  for (const f of fs) {
    const cmap = f.find((d) => d.tag === 'cmap')?.offset;
    if (cmap !== undefined) for (const cp of cps) add(glyph(cmap, cp));
  }
  const ligatures = (g: number) => {
    for (let k = gsub.start[g]; k < gsub.start[g + 1]; k++) {
      const t = gsub.subtables[gsub.ids[k]];
      if (t.type === 4) for (const h of produce(b, t, g, keep)) add(h);
    }
  };
  const visit = (g: number) => {
    let s = gsub.singles.get(g);
    if (!s) {
      s = [];
      for (let k = gsub.start[g]; k < gsub.start[g + 1]; k++) {
        const t = gsub.subtables[gsub.ids[k]];
        if (t.type !== 4) s.push(...produce(b, t, g, NONE));
      }
      gsub.singles.set(g, s);
    }
    for (const h of s) add(h);
    ligatures(g);
  };
  while (todo.length) visit(todo.pop() as number);
  // A ligature needs all its parts: when glyphs were added, the ligatures of every kept glyph are tried again.
  for (let before = -1; before !== keep.size; ) {
    before = keep.size;
    for (const g of [...keep]) ligatures(g);
    while (todo.length) visit(todo.pop() as number);
  }
  return keep;
}

/** A format-12 cmap mapping only `cps` (those the face maps), as the face's own cmap does. */
function smallCmap(cmap: number, cps: number[], glyph: (cmap: number, cp: number) => number): Buffer {
  const pairs = cps.map((cp) => [cp, glyph(cmap, cp)]).filter(([, g]) => g !== 0);
  const out = Buffer.alloc(12 + 16 + 12 * pairs.length);
  out.writeUInt16BE(1, 2); // version 0, one subtable: Windows Unicode full repertoire
  out.writeUInt16BE(3, 4);
  out.writeUInt16BE(10, 6);
  out.writeUInt32BE(12, 8);
  out.writeUInt16BE(12, 12);
  out.writeUInt32BE(16 + 12 * pairs.length, 16);
  out.writeUInt32BE(pairs.length, 24);
  pairs.forEach(([cp, g], i) => {
    out.writeUInt32BE(cp, 28 + 12 * i);
    out.writeUInt32BE(cp, 32 + 12 * i);
    out.writeUInt32BE(g, 36 + 12 * i);
  });
  return out;
}

/**
 * The outline tables of the faces (one CFF, or one glyf with its loca, shared by all faces): a function giving
 * them cut down to the kept glyphs, by table offset. Undefined for fonts laid out otherwise.
 */
function outlineCutter(b: Buffer, fs: Dir[][]): ((keep: Set<number>) => Map<number, Buffer>) | undefined {
  const shared = (tag: string) => {
    const at = new Set(fs.map((f) => f.find((d) => d.tag === tag)?.offset));
    return at.size === 1 ? fs[0].find((d) => d.tag === tag) : undefined;
  };
  const [cff, glyf, loca, head] = ['CFF ', 'glyf', 'loca', 'head'].map(shared);
  if (cff) {
    const cut = cffCutter(b.subarray(cff.offset, cff.offset + cff.length));
    return cut && ((keep) => new Map([[cff.offset, cut(keep)]]));
  }
  if (!glyf || !loca || !head) return undefined;
  const cut = glyfCutter(b, glyf.offset, loca.offset, loca.length, b.readInt16BE(head.offset + 50) === 1);
  return (keep) => {
    const t = cut(keep);
    return new Map([
      [glyf.offset, t.glyf],
      [loca.offset, t.loca],
    ]);
  };
}

/** The distinct code points of `text`, in ascending order. */
export function codePoints(text: string): number[] {
  const bmp = new Uint8Array(0x10000);
  const astral = new Set<number>();
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const cp = c >= 0xd800 && c < 0xdc00 ? (text.codePointAt(i) as number) : c;
    if (cp > 0xffff) {
      astral.add(cp);
      i++;
    } else bmp[cp] = 1;
  }
  const out: number[] = [];
  for (let c = 0; c < 0x10000; c++) if (bmp[c]) out.push(c);
  return out.concat([...astral].sort((x, y) => x - y));
}

/**
 * For the font file `b` (a collection or one font): a function cutting it down to draw a text (see the module
 * comment), given the text or its code points (ascending), which gives undefined when they include variation
 * selectors. Undefined when the font is not one this
 * can cut (not CFF, or an unusual CFF layout): use the whole font. The parsing is done once, here.
 */
export function fontSubsetter(b: Buffer): Subsetter | undefined {
  const fs = faces(b);
  const cut = outlineCutter(b, fs);
  if (!cut) return undefined;
  const subtables = gsubSubtables(b, fs);
  const gsub = { b, subtables, ...coveredBy(b, subtables), singles: new Map<number, number[]>() };
  // What each face's cmap gives each code point met so far (code points < 2^21, table offsets < 2^32).
  const glyphs = new Map<number, number>();
  const glyph = (cmap: number, cp: number) => {
    const key = cmap * 0x200000 + cp;
    const g = glyphs.get(key) ?? cmapLookup(b, cmap, cp);
    glyphs.set(key, g);
    return g;
  };
  const order = [...new Set(fs.flat().map((d) => d.offset))].sort((x, y) => x - y);
  const byOffset = new Map(fs.flat().map((d) => [d.offset, d]));
  const starts = b.toString('latin1', 0, 4) === 'ttcf' ? fs.map((_, i) => b.readUInt32BE(12 + 4 * i)) : [0];
  const cmaps = fs.flatMap((f) => f.filter((d) => d.tag === 'cmap').map((d) => d.offset));
  const subsetter = (text: string | number[]) => {
    const cps = typeof text === 'string' ? codePoints(text) : text;
    if (cps.some((cp) => (cp >= 0xfe00 && cp <= 0xfe0f) || (cp >= 0xe0100 && cp <= 0xe01ef))) return undefined;
    const outlines = cut(reachable(fs, gsub, cps, glyph));
    // Each distinct table once, in file order, 4-byte aligned; the cmaps and the outlines replaced.
    const parts: Buffer[] = [Buffer.from(b.subarray(0, order[0]))];
    const moved = new Map<number, [number, number]>();
    let at = order[0];
    for (const o of order) {
      const d = byOffset.get(o) as Dir;
      const t = outlines.get(o) ?? (d.tag === 'cmap' ? smallCmap(o, cps, glyph) : b.subarray(o, o + d.length));
      moved.set(o, [at, t.length]);
      const padded = (t.length + 3) & ~3;
      parts.push(t, Buffer.alloc(padded - t.length));
      at += padded;
    }
    const out = Buffer.concat(parts);
    starts.forEach((s, i) => {
      fs[i].forEach((d, j) => {
        const [o, len] = moved.get(d.offset) as [number, number];
        out.writeUInt32BE(o, s + 12 + 16 * j + 8);
        out.writeUInt32BE(len, s + 12 + 16 * j + 12);
      });
    });
    return out;
  };
  return Object.assign(subsetter, { maps: (cp: number) => cmaps.some((c) => glyph(c, cp) !== 0) });
}

/**
 * A font cutter; `maps(cp)`: whether some face maps the code point. A text's copy is the copy for the code points
 * the font maps (the others add nothing), and the copy for more code points draws the text the same.
 */
export type Subsetter = ((text: string | number[]) => Buffer | undefined) & { maps(cp: number): boolean };
