import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { Resvg } from '@resvg/resvg-js';
import { SubrTracer } from '../../src/charts/cff-subrs';
import { fontSubsetter } from '../../src/charts/font-subset';
import { linesByGroup } from '../../src/charts';
import { bundleFor } from '../../src/notebook/display';
import { setLang } from '../../src/lang';
import { samePicture } from './png-decode';

// The font cutter keeps, per font and process, what a glyph's substitutions and a cmap give (they depend on the
// font alone), and empties the local subroutines no kept glyph calls. A cut must not depend on the cuts before it,
// and must draw what the whole font draws.
const CJK = '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc';
const DEJAVU = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';
const skip = existsSync(CJK) ? false : `${CJK} not installed: skipped`;

const TEXTS = [
  '城市经济韧性 2010–2021',
  '图2 新质生产力（熵值法）office ﬁ ffl',
  '数据来源：模拟面板；N = 2760',
  '城市',
];

test('a cutter used before gives the same copy as a fresh one, whatever was cut before', { skip }, () => {
  for (const file of [CJK, DEJAVU].filter((f) => existsSync(f))) {
    const font = readFileSync(file);
    const reused = fontSubsetter(font);
    for (const order of [TEXTS, [...TEXTS].reverse()])
      for (const t of order) assert.deepEqual(reused?.(t), fontSubsetter(font)?.(t), `${file}: ${t}`);
    assert.notDeepEqual(reused?.(TEXTS[0]), reused?.(TEXTS[1]));
  }
});

const svgOf = (lines: string[]) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="560" height="${24 * lines.length + 8}">` +
  lines
    .map(
      (l, i) =>
        `<text x="6" y="${24 * i + 22}" font-family="Noto Sans CJK SC" font-size="15px"` +
        ` font-weight="${i % 2 ? 'bold' : 'normal'}">${l}</text>`,
    )
    .join('') +
  '</svg>';

test('the copy with unused subroutines emptied is small and draws many glyphs as the whole font does', {
  skip,
}, () => {
  const lines = [
    '东部中部西部东北地区劳动者劳动对象劳动资料熵值权重',
    '韧性抵抗力恢复力再组织创新能力置换检验自助法中介效应',
    '骨曜鬱龜齉籲爨灪麤 ぁアヴ한국어 ①②③ ％＋－＝ ～〜・',
    'Resilience 0123456789 (p &lt; 0.01) — “quoted” é ñ ß ﬁ',
  ];
  const svg = svgOf(lines);
  const cut = fontSubsetter(readFileSync(CJK))?.(`${svg}'"&<>`);
  assert.ok(cut && cut.length < 2_400_000, `cut copy of ${cut?.length} bytes (3.3 MB with every subroutine kept)`);
  const file = `${require('node:os').tmpdir()}/nqp-cut-cache-test-${process.pid}.ttc`;
  require('node:fs').writeFileSync(file, cut);
  try {
    const draw = (f: string) =>
      new Resvg(svg, { font: { loadSystemFonts: false, fontFiles: [f], defaultFontFamily: 'Noto Sans CJK SC' } })
        .render()
        .asPng();
    assert.deepEqual(draw(file), draw(CJK));
  } finally {
    require('node:fs').rmSync(file, { force: true });
  }
});

/** Type 2 charstring numbers -107..107 are one byte: v + 139. */
const n = (v: number) => v + 139;

test('the subroutine tracer follows calls through local subroutines and skips hint masks', () => {
  // local subrs (bias 107): 0 = return; 1 = call 0, return; 2 = return (never called)
  const subrs = Buffer.from([11, n(-107), 10, 11, 11]);
  const local = Uint32Array.of(0, 1, 4, 5);
  const glyph = Buffer.from([
    ...[n(10), n(20), n(30), n(40), 1], // hstem: 2 stems
    ...[n(5), n(6), 19, 0x0a], // hintmask with an implicit vstem: 3 stems, one mask byte (0x0a is not callsubr)
    ...[n(-106), 10, 14], // call local subr 1, endchar
  ]);
  const c = Buffer.concat([subrs, glyph]);
  const usedLocal = new Uint8Array(3);
  const t = new SubrTracer(c, Uint32Array.of(0), local, new Uint8Array(0), usedLocal);
  assert.equal(t.glyph(subrs.length, c.length), true);
  assert.deepEqual([...usedLocal], [1, 1, 0]);
  // arithmetic on the stack (12 10: add) is not followed: the whole table is then kept
  const add = Buffer.concat([subrs, Buffer.from([n(1), n(2), 12, 10, 10, 14])]);
  const t2 = new SubrTracer(add, Uint32Array.of(0), local, new Uint8Array(0), new Uint8Array(3));
  assert.equal(t2.glyph(subrs.length, add.length), false);
});

test('a chart after a language switch or a data change is drawn anew; the same chart again, the same', async () => {
  const cols = (k: number) => {
    const c: Record<string, unknown[]> = { year: [], v: [], region: [] };
    for (const region of ['East', 'West'])
      for (let y = 2010; y <= 2015; y++) {
        c.year.push(y);
        c.v.push((y - 2000) * region.length * k);
        c.region.push(region);
      }
    return c;
  };
  const chart = (k: number) =>
    linesByGroup({ array: (name: string) => cols(k)[name] } as never, {
      y: 'v',
      group: 'region',
      title: 'Urban economic resilience by region',
    });
  const png = async () => (await bundleFor(chart(1)))['image/png'];
  try {
    const en = await png();
    setLang('zh');
    const zh = await png();
    setLang('en');
    assert.notEqual(zh, en, 'the Chinese chart is not the English one');
    assert.equal(await png(), en, 'the English chart again');
    assert.notEqual((await bundleFor(chart(2)))['image/png'], en, 'other data, another chart');
  } finally {
    setLang('en');
  }
});

test('a chart reuses the last copy of a font only when that copy maps all its characters', {
  skip: existsSync(DEJAVU) ? false : `${DEJAVU} not installed: skipped`,
}, () => {
  const { renderPng } = require('../../src/charts') as typeof import('../../src/charts');
  const latin = [DEJAVU, '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf'].filter((f) => existsSync(f));
  const noto = '/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf';
  const whole = (svg: string) => {
    const family = existsSync(noto) ? 'Noto Sans' : 'DejaVu Sans';
    const fontFiles = existsSync(noto) ? [noto, '/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf', ...latin] : latin;
    const font = { loadSystemFonts: false, fontFiles, defaultFontFamily: family, sansSerifFamily: family };
    return new Resvg(svg, { fitTo: { mode: 'zoom', value: 1.5 }, background: 'white', font }).render().asPng();
  };
  // The first chart's copy holds ASCII and common punctuation; the Greek, the arrows and Cyrillic need new ones.
  for (const lines of [['plain text 2010–2021'], ['Ωmega ≥ 0.5 → ∞'], ['plain again'], ['ЖЯ ⇒ Ωmega']]) {
    const svg = svgOf(lines).replaceAll('Noto Sans CJK SC', 'Noto Sans, sans-serif');
    assert.ok(samePicture(renderPng(svg), whole(svg)), lines[0]);
  }
});
