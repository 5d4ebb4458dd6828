import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { Resvg } from '@resvg/resvg-js';
import { renderPng } from '../../src/charts';
import { samePicture } from './png-decode';

// A Chinese chart names a Latin font first (its config: Noto Sans, then Noto Sans CJK SC). Where that Latin font is
// installed, resvg took it for the whole label and found each Chinese character in the CJK collection's first face
// that has it: the Japanese one, whose 直, 骨 and 角 are drawn differently. DejaVu Sans stands in for the Latin font
// here (it is loaded on every machine the tests run on; Noto Sans may not be).
const CJK_FONT = '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc';
const DEJAVU = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';
const svg = (families: string) =>
  '<svg xmlns="http://www.w3.org/2000/svg" width="160" height="60">' +
  `<text x="5" y="45" font-size="40" font-family="${families}">直骨角</text></svg>`;
/** The text drawn by resvg itself from the whole collection, in one named face. */
const face = (family: string) =>
  new Resvg(svg(family), {
    background: 'white',
    font: { loadSystemFonts: false, fontFiles: [CJK_FONT], defaultFontFamily: family },
  })
    .render()
    .asPng();

test('Chinese characters are drawn in the Simplified Chinese face even when a Latin font is named first', () => {
  assert.ok(existsSync(CJK_FONT), `${CJK_FONT} is missing (apt-get install fonts-noto-cjk)`);
  assert.ok(existsSync(DEJAVU), `${DEJAVU} is missing (apt-get install fonts-dejavu-core)`);
  const sc = face('Noto Sans CJK SC');
  assert.ok(!sc.equals(face('Noto Sans CJK JP')), 'the three characters differ between SC and JP');
  assert.ok(samePicture(renderPng(svg('Noto Sans CJK SC'), 1), sc), 'renderPng draws SC as resvg does');
  const latinFirst = renderPng(svg('DejaVu Sans, Noto Sans CJK SC, sans-serif'), 1);
  assert.ok(samePicture(latinFirst, sc), 'with a Latin font named first, still drawn in the SC face');
});
