/**
 * Cutting TrueType outlines (the glyf and loca tables) down to some glyphs without renumbering any: the glyphs
 * left out become empty (two equal loca offsets), the kept ones are copied byte for byte, and a kept composite
 * glyph keeps the glyphs it is drawn from.
 */

/** The glyphs composite glyph data `g` (at `at`, `len` bytes) is drawn from. */
function components(b: Buffer, at: number, len: number): number[] {
  if (len < 10 || b.readInt16BE(at) >= 0) return [];
  const out: number[] = [];
  let p = at + 10;
  for (let more = true; more; ) {
    const flags = b.readUInt16BE(p);
    out.push(b.readUInt16BE(p + 2));
    p += 4 + (flags & 0x1 ? 4 : 2) + (flags & 0x8 ? 2 : flags & 0x40 ? 4 : flags & 0x80 ? 8 : 0);
    more = (flags & 0x20) !== 0;
  }
  return out;
}

/**
 * For a font's glyf and loca tables (offsets into `b`) and head's loca format: a function giving the two tables
 * cut down to the kept glyphs, which it completes with their composites' parts.
 */
export function glyfCutter(
  b: Buffer,
  glyf: number,
  loca: number,
  locaLength: number,
  longLoca: boolean,
): (keep: Set<number>) => { glyf: Buffer; loca: Buffer } {
  const n = locaLength / (longLoca ? 4 : 2) - 1;
  const off = (g: number) => (longLoca ? b.readUInt32BE(loca + 4 * g) : 2 * b.readUInt16BE(loca + 2 * g));
  return (keep) => {
    const todo = [...keep];
    while (todo.length) {
      const g = todo.pop() as number;
      if (g >= n) continue;
      for (const c of components(b, glyf + off(g), off(g + 1) - off(g)))
        if (!keep.has(c)) {
          keep.add(c);
          todo.push(c);
        }
    }
    let size = 0;
    for (const g of keep) if (g < n) size += off(g + 1) - off(g);
    const newGlyf = Buffer.alloc(size);
    const newLoca = Buffer.alloc(locaLength);
    let o = 0;
    for (let g = 0; g <= n; g++) {
      if (longLoca) newLoca.writeUInt32BE(o, 4 * g);
      else newLoca.writeUInt16BE(o / 2, 2 * g);
      if (g < n && keep.has(g)) {
        b.copy(newGlyf, o, glyf + off(g), glyf + off(g + 1));
        o += off(g + 1) - off(g);
      }
    }
    return { glyf: newGlyf, loca: newLoca };
  };
}
