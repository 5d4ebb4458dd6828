import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { crc32, deflateSync } from 'node:zlib';
import { Resvg } from '@resvg/resvg-js';
import { linesByGroup, renderPng, renderSvg } from '../../src/charts';
import { encodePng, tableCrc32 } from '../../src/charts/png';
import { decodePng } from './png-decode';

// A chart's PNG is written by src/charts/png.ts from the pixels resvg renders. These tests decode what it writes
// (checking every CRC and undoing every row's filter) and require resvg's pixels back, exactly.

// The Latin font files renderPng loads where they are installed (the whole files draw what its cut copies draw).
const FONTS = [
  '/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf',
  '/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf',
  '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf',
];

async function chartSvg(): Promise<string> {
  const cols: Record<string, unknown[]> = { year: [], v: [], region: [] };
  for (const region of ['East', 'Central', 'West', 'Northeast'])
    for (let y = 2010; y <= 2021; y++) {
      cols.year.push(y);
      cols.v.push(Math.sin(y * region.length) + region.length / 4);
      cols.region.push(region);
    }
  return renderSvg(
    linesByGroup({ array: (n: string) => cols[n] } as never, { y: 'v', group: 'region', title: 'Resilience' }),
  );
}

test('a chart: RGB, every row unfiltered, the pixels resvg draws and the size it draws them at', async () => {
  const svg = await chartSvg();
  const png = renderPng(svg);
  const fontFiles = FONTS.filter((f) => existsSync(f));
  const family = fontFiles[0]?.includes('Noto') ? 'Noto Sans' : 'DejaVu Sans';
  const image = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: 1.5 },
    background: 'white',
    font: { loadSystemFonts: fontFiles.length === 0, fontFiles, defaultFontFamily: family, sansSerifFamily: family },
  }).render();
  const ours = decodePng(png);
  assert.equal(ours.colourType, 2, 'a chart on white is written as RGB');
  assert.ok(
    ours.filters.every((f) => f === 0),
    'filter type 0 on every row',
  );
  assert.deepEqual([ours.width, ours.height], [image.width, image.height]);
  assert.ok(ours.rgba.equals(image.pixels), "the chart's pixels, exactly");
  const theirs = decodePng(image.asPng());
  assert.ok(ours.rgba.equals(theirs.rgba), "the pixels of resvg's own PNG");
  assert.ok(png.length < image.asPng().length, `${png.length} bytes against resvg's ${image.asPng().length}`);
});

/** A 256 × 256 PNG of straight RGBA: column x has red x, green 255 − x, blue 7x; row y has alpha y. */
function everyAlphaPng(): Buffer {
  const rows = Buffer.alloc((256 * 4 + 1) * 256);
  for (let y = 0; y < 256; y++)
    for (let x = 0; x < 256; x++) rows.set([x, 255 - x, (7 * x) & 255, y], y * (256 * 4 + 1) + 1 + 4 * x);
  const chunk = (type: string, data: Buffer) => {
    const c = Buffer.alloc(12 + data.length);
    c.writeUInt32BE(data.length, 0);
    c.write(type, 4, 'latin1');
    data.copy(c, 8);
    c.writeUInt32BE(crc32(c.subarray(4, 8 + data.length)), 8 + data.length);
    return c;
  };
  const header = Buffer.from([0, 0, 1, 0, 0, 0, 1, 0, 8, 6, 0, 0, 0]);
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([
    signature,
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

test("transparency: RGBA, demultiplied exactly as resvg's encoder does, for every colour value and alpha", () => {
  const uri = `data:image/png;base64,${everyAlphaPng().toString('base64')}`;
  const svg =
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="256" height="256">' +
    `<image width="256" height="256" image-rendering="optimizeSpeed" xlink:href="${uri}"/></svg>`;
  const image = new Resvg(svg).render();
  const px = image.pixels;
  // resvg's pixels are premultiplied: every (value ≤ alpha, alpha) pair occurs, so the check below is exhaustive
  const pairs = new Set<number>();
  for (let i = 0; i < px.length; i++) if (i % 4 !== 3) pairs.add(px[i - (i % 4) + 3] * 256 + px[i]);
  assert.equal(pairs.size, (256 * 257) / 2);
  const ours = decodePng(encodePng(image.width, image.height, px, true) as Buffer);
  assert.equal(ours.colourType, 6);
  assert.ok(ours.rgba.equals(decodePng(image.asPng()).rgba), "the pixels of resvg's own PNG");
  const straight = decodePng(encodePng(image.width, image.height, px) as Buffer);
  assert.ok(straight.rgba.equals(px), 'straight RGBA is written as given');
});

test('odd sizes, a buffer not starting on a word, and pixels that are not width × height', () => {
  const w = 7;
  const h = 5;
  const bytes = Buffer.alloc(w * h * 4 + 1);
  for (let i = 1; i < bytes.length; i++) bytes[i] = i % 4 === 0 ? 255 : (i * 37) & 255;
  const px = bytes.subarray(1);
  const opaque = decodePng(encodePng(w, h, px) as Buffer);
  assert.deepEqual([opaque.width, opaque.height, opaque.colourType], [w, h, 2]);
  assert.ok(opaque.rgba.equals(px));
  px[4 * 17 + 3] = 254;
  const rgba = decodePng(encodePng(w, h, px) as Buffer);
  assert.equal(rgba.colourType, 6, 'one pixel not opaque: RGBA');
  assert.ok(rgba.rgba.equals(px));
  assert.equal(encodePng(w, h + 1, px), undefined);
  assert.equal(encodePng(0, 0, Buffer.alloc(0)), undefined);
});

test("CRCs: the table's equals zlib's, and a changed byte fails the decoder's check", () => {
  const data = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 131 + (i >> 3)) & 255));
  assert.equal(tableCrc32(data), crc32(data));
  assert.equal(tableCrc32(Buffer.from('IEND')), 0xae426082);
  const png = encodePng(3, 2, Buffer.alloc(24, 255)) as Buffer;
  assert.deepEqual(decodePng(png).rgba, Buffer.alloc(24, 255));
  png[png.length - 20] ^= 1;
  assert.throws(() => decodePng(png), /CRC/);
});
