// A strict PNG reader for the charts' tests and the pixel comparison of two runs: 8-bit RGB or RGBA, not interlaced,
// every chunk's CRC checked, every row's filter (0–4) undone. Returns straight RGBA, so a PNG written as RGB and one
// written as RGBA of the same picture compare equal.
import { crc32, inflateSync } from 'node:zlib';

export interface DecodedPng {
  width: number;
  height: number;
  /** The colour type of the file: 2 (RGB) or 6 (RGBA). */
  colourType: number;
  /** Every row's filter byte, as written. */
  filters: number[];
  rgba: Buffer;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function decodePng(png: Buffer): DecodedPng {
  if (!png.subarray(0, 8).equals(SIGNATURE)) throw new Error('not a PNG signature');
  let p = 8;
  let header: Buffer | undefined;
  const data: Buffer[] = [];
  let ended = false;
  while (p < png.length) {
    const len = png.readUInt32BE(p);
    const type = png.toString('latin1', p + 4, p + 8);
    const body = png.subarray(p + 8, p + 8 + len);
    const crc = png.readUInt32BE(p + 8 + len);
    if (crc32(png.subarray(p + 4, p + 8 + len)) !== crc) throw new Error(`bad CRC in ${type} chunk at ${p}`);
    if (type === 'IHDR') header = body;
    else if (type === 'IDAT') data.push(body);
    else if (type === 'IEND') ended = true;
    else if (!(type.charCodeAt(0) & 0x20)) throw new Error(`unknown critical chunk ${type}`);
    p += 12 + len;
  }
  if (!header || !ended || p !== png.length) throw new Error('no IHDR, no IEND, or bytes after IEND');
  const width = header.readUInt32BE(0);
  const height = header.readUInt32BE(4);
  const [depth, colourType, compression, filterMethod, interlace] = header.subarray(8, 13);
  if (depth !== 8 || (colourType !== 2 && colourType !== 6) || compression || filterMethod || interlace)
    throw new Error(`unsupported IHDR: depth ${depth}, colour type ${colourType}, interlace ${interlace}`);
  const bpp = colourType === 6 ? 4 : 3;
  const stride = width * bpp;
  const raw = inflateSync(Buffer.concat(data));
  if (raw.length !== (stride + 1) * height) throw new Error(`${raw.length} bytes of image data, not ${height} rows`);
  const rows = Buffer.alloc(stride * height);
  const filters: number[] = [];
  for (let y = 0; y < height; y++) {
    const f = raw[y * (stride + 1)];
    filters.push(f);
    const src = y * (stride + 1) + 1;
    const o = y * stride;
    for (let x = 0; x < stride; x++) {
      const a = x >= bpp ? rows[o + x - bpp] : 0;
      const b = y > 0 ? rows[o + x - stride] : 0;
      const c = x >= bpp && y > 0 ? rows[o + x - stride - bpp] : 0;
      let pred: number;
      if (f === 0) pred = 0;
      else if (f === 1) pred = a;
      else if (f === 2) pred = b;
      else if (f === 3) pred = (a + b) >> 1;
      else if (f === 4) {
        const pa = Math.abs(b - c);
        const pb = Math.abs(a - c);
        const pc = Math.abs(a + b - 2 * c);
        pred = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      } else throw new Error(`row ${y}: filter type ${f}`);
      rows[o + x] = (raw[src + x] + pred) & 255;
    }
  }
  if (bpp === 4) return { width, height, colourType, filters, rgba: rows };
  const rgba = Buffer.alloc(width * height * 4, 255);
  for (let i = 0, j = 0; i < rows.length; i += 3, j += 4) rows.copy(rgba, j, i, i + 3);
  return { width, height, colourType, filters, rgba };
}

/** True when two PNG files hold the same picture: the same size and the same pixels, however each was written. */
export function samePicture(a: Buffer, b: Buffer): boolean {
  const x = decodePng(a);
  const y = decodePng(b);
  return x.width === y.width && x.height === y.height && x.rgba.equals(y.rgba);
}
