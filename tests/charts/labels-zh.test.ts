import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { linesByGroup, renderSvg, weightBars } from '../../src/charts';

// Long Chinese labels (the codebook's name_zh) in the charts that carry them: every label is drawn whole (no
// ellipsis) and every text's bounding box lies inside the chart, measured in headless Chromium.
const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));

const LONG = [
  '科研与信息服务业从业人员占比',
  '每万人在校大学生数',
  '单位GDP二氧化硫排放量',
  '一般工业固体废物综合利用率',
];

test('Chinese axis labels, legend entries and titles are whole and inside the chart', {
  skip: chromium ? false : 'Chromium not installed (apt-get install chromium): label check skipped',
}, async () => {
  const weights = weightBars(
    LONG.map((label, i) => ({
      label,
      dimension: ['劳动者', '劳动资料', '劳动对象', '劳动对象'][i],
      weight: 0.1 + i / 10,
    })),
  );
  (weights as Record<string, unknown>).title = '图3 新质生产力指标权重（熵值法）';
  const cols: Record<string, unknown[]> = { year: [], v: [], region: [] };
  for (const region of ['东部地区（沿海省份）', '中部地区', '西部地区（含西南与西北）'])
    for (let y = 2010; y <= 2021; y++) {
      cols.year.push(y);
      cols.v.push(y - 2000 + region.length);
      cols.region.push(region);
    }
  const data = { array: (n: string) => cols[n] };
  const lines = linesByGroup(data as never, {
    y: 'v',
    group: 'region',
    title: '图2 各地区城市经济韧性',
    yTitle: '城市经济韧性指数（熵值法合成）',
  });
  const { chromium: pw } = require('playwright-core');
  const browser = await pw.launch({ executablePath: chromium, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    for (const spec of [weights, lines]) {
      const svg = await renderSvg(spec);
      const page = await browser.newPage();
      await page.setContent(`<html><body style="margin:0">${svg}</body></html>`);
      const r = await page.evaluate(() => {
        const root = document.querySelector('svg') as SVGSVGElement;
        const box = root.getBoundingClientRect();
        return [...root.querySelectorAll('text')].map((t) => {
          const b = t.getBoundingClientRect();
          return {
            text: t.textContent ?? '',
            inside:
              b.left >= box.left - 0.5 &&
              b.right <= box.right + 0.5 &&
              b.top >= box.top - 0.5 &&
              b.bottom <= box.bottom + 0.5,
          };
        });
      });
      await page.close();
      const texts = r.map((x: { text: string }) => x.text);
      for (const l of spec === weights
        ? LONG
        : ['东部地区（沿海省份）', '西部地区（含西南与西北）', '城市经济韧性指数（熵值法合成）'])
        assert.ok(texts.includes(l), `"${l}" drawn whole (texts: ${texts.join(' | ')})`);
      for (const x of r) {
        assert.ok(!x.text.includes('…'), `"${x.text}" cut`);
        assert.ok(x.inside, `"${x.text}" outside the chart`);
      }
    }
  } finally {
    await browser.close();
  }
});

test("labels(codebook, 'zh') names variables, group values and chart words; weightBars and Table 2 use them", () => {
  const { labels, loadCodebook } = require('../../src/data');
  const { studyPanel } = require('../../src/study');
  const cb = loadCodebook();
  const zh = labels(cb, 'zh');
  assert.equal(zh.urban_rate, '城镇化率');
  assert.equal(zh['means of labour'], '劳动资料');
  assert.equal(zh.east, '东部');
  assert.equal(zh['Entropy weight'], '熵权');
  assert.equal(labels(cb).east, 'East');
  assert.throws(() => labels(cb, 'fr'), /labels\(\) takes 'en' or 'zh'; got "fr"/);
  const s = studyPanel();
  const spec = weightBars(s.nqp.weights, { labels: zh }) as any;
  assert.ok(spec.data.values.some((v: any) => v.label === '职工平均工资' && v.dimension === '劳动者'));
  assert.equal(spec.encoding.x.title, '熵权');
  const html = s.nqp.withLabels(zh).toHtml();
  assert.match(html, /<th>指标<\/th><th>维度<\/th>/);
  assert.match(html, /<td>职工平均工资<\/td><td>劳动者<\/td>/);
  assert.equal(s.nqp.withLabels(labels(cb)).toHtml(), s.nqp.toHtml(), 'English labels give the default table');
});
