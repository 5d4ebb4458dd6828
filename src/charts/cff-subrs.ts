/**
 * The local subroutines of a CID-keyed CFF table that the charstrings of some glyphs can call, so a cut copy can
 * empty the others (Noto Sans CJK's private dicts carry 1.2 MB of them; resvg reads the whole font file several
 * times per label, so every byte left out is time saved). A subroutine no kept charstring calls is never run:
 * the kept glyphs are drawn from the same bytes. The charstrings are read as Type 2 programs, following
 * callsubr and callgsubr with the index on the operand stack; a program this does not follow (arithmetic on the
 * stack, seac-like endchar, CFF2 operators, nesting over 10) gives undefined, and the table is then kept whole.
 */

/** The item offsets (and the end) of the CFF INDEX at `at`. */
export function indexOffsets(c: Buffer, at: number): Uint32Array {
  const n = c.readUInt16BE(at);
  if (n === 0) return Uint32Array.of(at + 2);
  const os = c[at + 2];
  const base = at + 2 + (n + 1) * os;
  const out = new Uint32Array(n + 1);
  for (let i = 0, p = at + 3; i <= n; i++, p += os) {
    let v = 0;
    for (let k = 0; k < os; k++) v = v * 256 + c[p + k];
    out[i] = base + v;
  }
  return out;
}

/** The FD of each glyph (FDSelect format 0 or 3); undefined for other formats. */
export function fdOfGlyphs(c: Buffer, at: number, n: number): Uint8Array | undefined {
  const out = new Uint8Array(n);
  if (c[at] === 0) {
    out.set(c.subarray(at + 1, at + 1 + n));
    return out;
  }
  if (c[at] !== 3) return undefined;
  const ranges = c.readUInt16BE(at + 1);
  for (let r = 0; r < ranges; r++) {
    const p = at + 3 + 3 * r;
    out.fill(c[p + 2], c.readUInt16BE(p), Math.min(n, c.readUInt16BE(p + 3)));
  }
  return out;
}

const bias = (n: number) => (n < 1240 ? 107 : n < 33900 ? 1131 : 32768);

/** Marks which subroutines some charstrings call. */
export class SubrTracer {
  private stack: number[] = [];
  private stems = 0;

  constructor(
    private readonly c: Buffer,
    private readonly global: Uint32Array,
    private readonly local: Uint32Array,
    readonly usedGlobal: Uint8Array,
    readonly usedLocal: Uint8Array,
  ) {}

  /** Follow the charstring at [s, e); false when it does something this does not follow. */
  glyph(s: number, e: number): boolean {
    this.stack = [];
    this.stems = 0;
    return this.run(s, e, 0) !== 'fail';
  }

  private call(offsets: Uint32Array, used: Uint8Array, depth: number): 'fail' | 'end' | 'return' {
    const count = offsets.length - 1;
    const i = (this.stack.pop() ?? Number.NaN) + bias(count);
    if (!Number.isInteger(i) || i < 0 || i >= count || depth >= 10) return 'fail';
    used[i] = 1;
    return this.run(offsets[i], offsets[i + 1], depth + 1);
  }

  private run(s: number, e: number, depth: number): 'fail' | 'end' | 'return' {
    const { c, stack } = this;
    let p = s;
    while (p < e) {
      const b = c[p];
      if (b >= 32) {
        if (b <= 246) stack.push(b - 139);
        else if (b <= 250) stack.push((b - 247) * 256 + c[p + 1] + 108);
        else if (b <= 254) stack.push(-(b - 251) * 256 - c[p + 1] - 108);
        else stack.push(c.readInt32BE(p + 1) / 65536);
        p += b <= 246 ? 1 : b <= 254 ? 2 : 5;
        continue;
      }
      if (b === 28) {
        stack.push(c.readInt16BE(p + 1));
        p += 3;
        continue;
      }
      if (b === 10 || b === 29) {
        const r =
          b === 10 ? this.call(this.local, this.usedLocal, depth) : this.call(this.global, this.usedGlobal, depth);
        if (r !== 'return') return r;
        p++;
        continue;
      }
      if (b === 11) return 'return';
      if (b === 14) return stack.length >= 4 ? 'fail' : 'end';
      if (b === 12) {
        if (c[p + 1] < 34 || c[p + 1] > 37) return 'fail'; // only the flex operators
        stack.length = 0;
        p += 2;
        continue;
      }
      if (b === 1 || b === 3 || b === 18 || b === 23 || b === 19 || b === 20) {
        this.stems += stack.length >> 1;
        stack.length = 0;
        p += b === 19 || b === 20 ? 1 + ((this.stems + 7) >> 3) : 1;
        continue;
      }
      if ((b >= 4 && b <= 8) || (b >= 21 && b <= 27) || b === 30 || b === 31) {
        stack.length = 0;
        p++;
        continue;
      }
      return 'fail';
    }
    return depth === 0 ? 'fail' : 'return';
  }
}

/**
 * The INDEX `offsets` (items in `c`) with the items not in `used` left empty. The offsets of a run of empty items
 * are all the same bytes, written with one fill, so the time goes with the items kept, not with all 65,535.
 */
export function emptiedIndex(c: Buffer, offsets: Uint32Array, used: Uint8Array): Buffer {
  const n = offsets.length - 1;
  if (n === 0) return Buffer.from([0, 0]);
  const kept: number[] = [];
  let total = 1;
  for (let i = used.indexOf(1); i >= 0 && i < n; i = used.indexOf(1, i + 1)) {
    kept.push(i);
    total += offsets[i + 1] - offsets[i];
  }
  const os = total < 0x100 ? 1 : total < 0x10000 ? 2 : total < 0x1000000 ? 3 : 4;
  const head = 3 + (n + 1) * os;
  const out = Buffer.alloc(head + total - 1);
  out.writeUInt16BE(n, 0);
  out[2] = os;
  const one = Buffer.alloc(os);
  const fill = (from: number, to: number, v: number) => {
    one.writeUIntBE(v, 0, os);
    if (to > from) out.fill(one, 3 + from * os, 3 + to * os);
  };
  let o = 1;
  let next = 0;
  for (const i of kept) {
    fill(next, i + 1, o); // the empty items before item i, and item i, start at o
    c.copy(out, head + o - 1, offsets[i], offsets[i + 1]);
    o += offsets[i + 1] - offsets[i];
    next = i + 1;
  }
  fill(next, n + 1, o);
  return out;
}
