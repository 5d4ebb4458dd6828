/**
 * Server-side rendering of Vega-Lite specs to SVG with vega's headless View, so every output format
 * (classic Notebook, nbconvert, GitHub, the HTML pages with scripts off) has a static picture.
 */
import { vegaModules } from './vega-load';

export type VegaLiteSpec = Record<string, unknown>;

export const VEGALITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v5.json';

/** True when `x` looks like a Vega-Lite spec (has a vega-lite $schema, or a mark / composition key). */
export function isVegaLiteSpec(x: unknown): x is VegaLiteSpec {
  if (!x || typeof x !== 'object' || Array.isArray(x)) return false;
  const o = x as Record<string, unknown>;
  if (typeof o.$schema === 'string') return o.$schema.includes('vega-lite');
  return (
    'mark' in o || 'layer' in o || 'hconcat' in o || 'vconcat' in o || 'concat' in o || 'facet' in o || 'repeat' in o
  );
}

const WIDE = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/;
let metricsPatched = false;

/**
 * Without a canvas, vega sizes text as 0.8 em per character, which is right for Latin but short for Chinese,
 * Japanese and Korean characters (1 em each): long Chinese labels then spill outside the chart's SVG. Count
 * those characters as 1 em.
 */
function patchTextMetrics(vega: { textMetrics: { width: unknown } }): void {
  if (metricsPatched) return;
  metricsPatched = true;
  vega.textMetrics.width = (item: { text?: unknown; fontSize?: number }, text?: unknown) => {
    const s = String(text ?? item.text ?? '');
    const size = item.fontSize ?? 11;
    let em = 0;
    for (const ch of s) em += WIDE.test(ch) ? 1 : 0.8;
    return Math.ceil(em * size);
  };
}

/** Render a Vega-Lite spec to an SVG string. */
export async function renderSvg(spec: VegaLiteSpec): Promise<string> {
  const { vega, vegaLite: vl } = vegaModules();
  patchTextMetrics(vega);
  const compiled = vl.compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/**
 * The PNG file of a rendered chart, written by png.ts from resvg's pixels; resvg's own encoder if that declines
 * (pixels not width × height) or fails.
 */
function pngOf(image: import('@resvg/resvg-js').RenderedImage): Buffer {
  try {
    const { encodePng } = require('./png') as typeof import('./png');
    const png = encodePng(image.width, image.height, image.pixels, true);
    if (png) return png;
  } catch {
    // resvg's encoder below
  }
  return image.asPng();
}

const LATIN_FONTS = [
  '/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf',
  '/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf',
  '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf',
];
const CJK_FONT = '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc';
const CJK = /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]/;
const CJK_FAMILY = 'Noto Sans CJK SC';

/**
 * A Chinese chart's font families with Noto Sans CJK SC first. The charts name Noto Sans first; where it is installed
 * resvg takes it for the whole label and finds each Chinese character in the first face of the CJK collection that
 * has it, the Japanese one, whose shapes differ (直, 骨, 角). Without Noto Sans, SC was already the family used.
 */
function cjkFirst(svg: string): string {
  return svg.replace(/font-family="([^"]*)"/g, (m, families: string) =>
    families.startsWith(CJK_FAMILY) ? m : `font-family="${CJK_FAMILY}, ${families}"`,
  );
}

/** The characters an SVG's text can contain: its own, and those its character references stand for. */
function svgCharacters(svg: string): string {
  const refs = svg.match(/&#x?[0-9a-f]+;/gi) ?? [];
  const decoded = refs.map((r) =>
    String.fromCodePoint(Number.parseInt(r.slice(r[2] === 'x' ? 3 : 2, -1), r[2] === 'x' ? 16 : 10)),
  );
  return `${svg}${decoded.join('')}'"&<>`;
}

type Subsetter = import('./font-subset').Subsetter;
const cutters = new Map<string, Subsetter | undefined>();
let cutCount = 0;
/** Per font, the last copy cut and the code points it maps. */
const lastCut = new Map<string, { has: Set<number>; copy: Buffer | undefined }>();
const variation = (cp: number) => (cp >= 0xfe00 && cp <= 0xfe0f) || (cp >= 0xe0100 && cp <= 0xe01ef);
/** Printable ASCII, dashes, quotes, the minus sign and the like: most English charts have no other characters. */
const COMMON = Array.from({ length: 0x5f }, (_, i) => 0x20 + i).concat([
  0xa0, 0xb0, 0xb1, 0xd7, 0x2013, 0x2014, 0x2018, 0x2019, 0x201c, 0x201d, 0x2026, 0x2212,
]);

/**
 * The copy of a font for a chart's characters: the last one cut when it maps every character of the chart the font
 * maps (a copy for more characters draws the same pixels), else a new one for those and the common characters, so
 * the next English chart can use it as well. Undefined when the text has variation selectors (the whole font).
 */
function copyFor(font: string, cutter: Subsetter, chars: number[]): Buffer | undefined {
  if (chars.some(variation)) return undefined;
  const wanted = chars.filter((cp) => cutter.maps(cp));
  const last = lastCut.get(font);
  if (last && wanted.every((cp) => last.has.has(cp))) return last.copy;
  const { codePoints } = require('./font-subset') as typeof import('./font-subset');
  const all = codePoints(String.fromCodePoint(...wanted, ...COMMON.filter((cp) => cutter.maps(cp))));
  const copy = cutter(all);
  lastCut.set(font, { has: new Set(all), copy });
  return copy;
}

/**
 * The font file `font` cut down to a chart's characters (font-subset.ts), written to the temporary folder, with a
 * function removing it. The file itself when it cannot be cut, or the copy not written (Deno's kernel runs without
 * write permission, so there the whole files are used): the same pixels either way. Each font is read and parsed
 * once per process.
 */
function cutFontFile(font: string, chars: number[]): { file: string; done: () => void } {
  const whole = { file: font, done: () => {} };
  if (typeof (globalThis as { Deno?: unknown }).Deno !== 'undefined') return whole;
  const fs = require('node:fs') as typeof import('node:fs');
  try {
    if (!cutters.has(font)) {
      const { fontSubsetter } = require('./font-subset') as typeof import('./font-subset');
      cutters.set(font, fontSubsetter(fs.readFileSync(font)));
    }
    const cutter = cutters.get(font);
    const cut = cutter && copyFor(font, cutter, chars);
    if (!cut) return whole;
    const { basename, join } = require('node:path') as typeof import('node:path');
    const file = join(require('node:os').tmpdir(), `nqp-font-${process.pid}-${++cutCount}-${basename(font)}`);
    fs.writeFileSync(file, cut);
    return { file, done: () => fs.rmSync(file, { force: true }) };
  } catch {
    cutters.set(font, undefined); // a font laid out unlike any this reads, or no temporary folder: the whole file
    return whole;
  }
}

/**
 * Rasterise a chart's SVG to PNG (resvg), so that viewers that show no SVG or scripts — Debian's nbconvert HTML
 * export, GitHub's notebook preview, classic Notebook — still show the chart. Fonts are loaded by file: Noto Sans
 * or DejaVu Sans for Latin text, plus Noto Sans CJK only when a label is Chinese; the system's fonts when none of
 * these files exists. resvg reads a font file whole several times per label (Noto Sans CJK's collection is 19 MB),
 * so it is given copies of these files cut down to the chart's characters: the same outlines, the same pixels.
 * `scale` 1.5 keeps lines crisp on high-density screens at a modest size.
 */
export function renderPng(svg: string, scale = 1.5): Buffer {
  const { existsSync } = require('node:fs') as typeof import('node:fs');
  const { Resvg } = require('@resvg/resvg-js') as typeof import('@resvg/resvg-js');
  const cjk = CJK.test(svg);
  const fonts = [...LATIN_FONTS, ...(cjk ? [CJK_FONT] : [])].filter((f) => existsSync(f));
  const family = cjk ? CJK_FAMILY : fonts[0]?.includes('Noto') ? 'Noto Sans' : 'DejaVu Sans';
  const { codePoints } = require('./font-subset') as typeof import('./font-subset');
  const chars = fonts.length ? codePoints(svgCharacters(svg)) : [];
  const cut = fonts.map((f) => cutFontFile(f, chars));
  try {
    const r = new Resvg(cjk ? cjkFirst(svg) : svg, {
      fitTo: { mode: 'zoom', value: scale },
      background: 'white',
      font: {
        loadSystemFonts: fonts.length === 0,
        fontFiles: cut.map((c) => c.file),
        defaultFontFamily: family,
        sansSerifFamily: family,
      },
    });
    return pngOf(r.render());
  } finally {
    for (const c of cut) c.done();
  }
}
