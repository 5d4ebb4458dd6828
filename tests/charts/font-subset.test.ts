import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { linesByGroup, renderPng, renderSvg, weightBars } from '../../src/charts';
import { fontSubsetter } from '../../src/charts/font-subset';
import { samePicture } from './png-decode';

// The PNG of a Chinese chart is drawn from a copy of Noto Sans CJK cut down to the chart's characters; these
// tests draw the same SVGs from the whole collection and require the same pixels.
const CJK = '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc';
const DEJAVU = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';
const skip = existsSync(CJK) ? false : `${CJK} not installed (apt-get install fonts-noto-cjk): subset checks skipped`;
const LATIN = [
  '/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf',
  '/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf',
  DEJAVU,
  '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf',
].filter((f) => existsSync(f));

/** What renderPng drew before the cut copies: the whole font files. */
function wholeFontPng(svg: string, latinOnly = false): Buffer {
  const font = { loadSystemFonts: false, fontFiles: latinOnly ? LATIN : [...LATIN, CJK] };
  const name = latinOnly ? (LATIN[0].includes('Noto') ? 'Noto Sans' : 'DejaVu Sans') : 'Noto Sans CJK SC';
  const family = { defaultFontFamily: name, sansSerifFamily: name };
  const r = new Resvg(svg, { fitTo: { mode: 'zoom', value: 1.5 }, background: 'white', font: { ...font, ...family } });
  return r.render().asPng();
}

const text = (s: string, weight = 'normal', size = 13) =>
  `<text x="10" y="${size + 6}" font-family="Noto Sans, Noto Sans CJK SC, sans-serif" font-size="${size}px" ` +
  `font-weight="${weight}">${s}</text>`;
const svgOf = (...lines: string[]) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="420" height="${30 * lines.length}">` +
  lines.map((l, i) => `<g transform="translate(0,${30 * i})">${l}</g>`).join('') +
  '</svg>';

test('Chinese, Latin, full-width and escaped text: the cut font draws the same pixels as the whole one', {
  skip,
}, () => {
  const svg = svgOf(
    text('图2 各地区城市经济韧性（熵值法）：2010–2021年', 'bold', 16),
    text('新质生产力 NQP → resilience; office fi ffl ﬁ', 'normal', 11),
    text('数据来源：模拟面板 &amp; 城市 &lt;230&gt; &#x97E7;&#24615; “引号”…', 'normal', 10),
    text('ＡＢＣ１２３，。！？「」『』《》', 'normal', 12),
  );
  const png = renderPng(svg);
  assert.ok(png.length > 1000);
  assert.ok(samePicture(png, wholeFontPng(svg)));
});

test('Chinese charts of the package: the same pixels as with the whole collection', { skip }, async () => {
  const weights = weightBars([
    { label: '科研与信息服务业从业人员占比', dimension: '劳动者', weight: 0.2 },
    { label: '单位GDP二氧化硫排放量', dimension: '劳动对象', weight: 0.1 },
  ]);
  const cols: Record<string, unknown[]> = { year: [], v: [], region: [] };
  for (const region of ['东部地区', '中部地区', '西部地区'])
    for (let y = 2010; y <= 2021; y++) {
      cols.year.push(y);
      cols.v.push((y - 2000) * region.charCodeAt(0) * 1e-5);
      cols.region.push(region);
    }
  const lines = linesByGroup({ array: (n: string) => cols[n] } as never, {
    y: 'v',
    group: 'region',
    title: '图2 各地区城市经济韧性',
  });
  for (const spec of [weights, lines]) {
    const svg = await renderSvg(spec);
    assert.ok(samePicture(renderPng(svg), wholeFontPng(svg)));
  }
});

test('English charts: the same pixels as with the whole Latin font files', {
  skip: LATIN.length ? false : 'neither Noto Sans nor DejaVu Sans installed: skipped',
}, async () => {
  const cols: Record<string, unknown[]> = { year: [], v: [], region: [] };
  for (const region of ['East', 'Central', 'West & "Northeast" <all>'])
    for (let y = 2010; y <= 2021; y++) {
      cols.year.push(y);
      cols.v.push((y - 2000) * region.length * 1e-3);
      cols.region.push(region);
    }
  const spec = linesByGroup({ array: (n: string) => cols[n] } as never, {
    y: 'v',
    group: 'region',
    title: 'Figure 2 Urban economic resilience by region — office fi ﬂ',
  });
  const svg = await renderSvg(spec);
  assert.ok(samePicture(renderPng(svg), wholeFontPng(svg, true)));
  const bold = svgOf(text('Ωmega ≥ 0.5 (p &lt; 0.01) é ñ Ǆ ﬁ', 'bold'), text('plain ½ ¾ ‰ → ±', 'normal'));
  assert.ok(samePicture(renderPng(bold), wholeFontPng(bold, true)));
});

test('the cut copy is small, keeps every face, and its temporary file is removed', { skip }, () => {
  const before = readdirSync(tmpdir()).filter((f) => f.startsWith('nqp-font-')).length;
  const cut = fontSubsetter(readFileSync(CJK));
  assert.ok(cut, 'Noto Sans CJK is a font this can cut');
  const small = cut('城市经济韧性 2010');
  assert.ok(small && small.length < readFileSync(CJK).length / 4, `cut copy of ${small?.length} bytes`);
  assert.equal(small.readUInt32BE(8), readFileSync(CJK).readUInt32BE(8), 'as many faces as the collection');
  renderPng(svgOf(text('城市')));
  assert.equal(readdirSync(tmpdir()).filter((f) => f.startsWith('nqp-font-')).length, before);
});

test('a character left out of the cut copy is not drawn from it (the copy maps only the text)', { skip }, () => {
  const cut = fontSubsetter(readFileSync(CJK));
  const file = join(tmpdir(), `nqp-cjk-test-${process.pid}.ttc`);
  writeFileSync(file, cut?.('城') as Buffer);
  try {
    const draw = (s: string, f: string) =>
      new Resvg(svgOf(text(s)), {
        font: { loadSystemFonts: false, fontFiles: [f], defaultFontFamily: 'Noto Sans CJK SC' },
      })
        .render()
        .asPng();
    assert.deepEqual(draw('城', file), draw('城', CJK));
    assert.notDeepEqual(draw('市', file), draw('市', CJK));
  } finally {
    rmSync(file, { force: true });
  }
});

test('text with variation selectors is drawn from the whole font; TrueType fonts are cut too', { skip }, () => {
  assert.equal(fontSubsetter(readFileSync(CJK))?.('葛\u{e0100}'), undefined);
  if (!existsSync(DEJAVU)) return;
  const whole = readFileSync(DEJAVU);
  const small = fontSubsetter(whole)?.('Resilience 2010');
  assert.ok(small && small.length < whole.length / 2, `cut copy of ${small?.length} bytes`);
});

test('with no writable temporary folder the whole font files are used: the same PNG', { skip }, () => {
  const svg = svgOf(text('城市经济韧性 2010–2021', 'bold'));
  const saved = process.env.TMPDIR;
  process.env.TMPDIR = join(tmpdir(), 'nqp-no-such-folder', 'x');
  try {
    assert.ok(samePicture(renderPng(svg), wholeFontPng(svg)));
  } finally {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
  }
});
