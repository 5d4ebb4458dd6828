import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as aq from 'arquero';
import {
  linesByGroup,
  densityByGroup,
  weightBars,
  shareBars,
  binScatter,
  coefPlot,
  drawHistogram,
  pathDiagram,
  cityMap,
  renderSvg,
} from '../../src/charts';
import { bundleFor } from '../../src/notebook/display';

// Golden Vega-Lite specs: review a diff in tests/fixtures/charts/*.json like any code change.
// Regenerate after an intended change with UPDATE_GOLDEN=1 npm test.
const GOLD = join(__dirname, '..', 'fixtures', 'charts');
const t = aq.table({
  year: [2010, 2010, 2011, 2011],
  region: ['east', 'west', 'east', 'west'],
  v: Float64Array.from([0.2, 0.1, 0.3, NaN]),
}) as any;
const specs: Record<string, any> = {
  lines: linesByGroup(t, { y: 'v', group: 'region', title: 'Lines' }),
  density: densityByGroup(t, { value: 'v', by: 'year', title: 'Density' }),
  weights: weightBars(
    [
      { label: 'Wage', dimension: 'labourers', weight: 0.6 },
      { label: 'Broadband', dimension: 'means of labour', weight: 0.4 },
    ],
    { title: 'Weights' },
  ),
  shares: shareBars([
    { year: 2010, dimension: 'a', share: 0.4 },
    { year: 2010, dimension: 'b', share: 0.6 },
  ]),
  binscatter: binScatter(Float64Array.from([1, 2, 3, 4]), Float64Array.from([2, 4, 5, 8]), {
    bins: 2,
    slope: 1.9,
    intercept: 0,
  }),
  coefplot: coefPlot([
    { label: 'Baseline', estimate: 0.5, low: 0.4, high: 0.6, highlight: true },
    { label: 'IV', estimate: 0.3, low: 0.1, high: 0.5 },
  ]),
  histogram: drawHistogram([0.1, 0.2, 0.2, 0.3], [{ label: 'observed', value: 0.25 }]),
  path: pathDiagram({ x: 'NQP', m: 'Innovation', y: 'Resilience', a: '1.0', b: '0.03', c: '0.44', indirect: '0.03' }),
  map: cityMap([
    { name: 'Beijing', lon: 116.41, lat: 39.9, value: 0.8 },
    { name: 'Chengdu', lon: 104.07, lat: 30.57, value: 0.5 },
  ]),
};

for (const [name, spec] of Object.entries(specs)) {
  test(`chart spec matches its golden file: ${name}`, async () => {
    const file = join(GOLD, `${name}.json`);
    const json = JSON.stringify(spec, null, 2) + '\n';
    if (process.env.UPDATE_GOLDEN || !existsSync(file)) writeFileSync(file, json);
    assert.equal(json, readFileSync(file, 'utf8'));
    const svg = await renderSvg(spec);
    assert.match(svg, /^<svg/);
    assert.ok(svg.includes('<path') || svg.includes('<line') || svg.includes('<text'), 'rendered marks');
  });
}

test('missing values are left out of chart data, not drawn as zero', () => {
  assert.equal(specs.lines.data.values.length, 3);
  assert.ok(specs.lines.data.values.every((r: any) => Number.isFinite(r.mean)));
});

test('show() bundles Vega-Lite JSON, a PNG fallback and text; tables bundle HTML, Markdown and text', async () => {
  const b = await bundleFor(specs.weights);
  assert.deepEqual(Object.keys(b).sort(), ['application/vnd.vegalite.v5+json', 'image/png', 'text/plain']);
  const png = Buffer.from(String(b['image/png']), 'base64');
  assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
  assert.ok(png.length > 5000, `PNG of ${png.length} bytes`);
  assert.equal(b['text/plain'], '<Vega-Lite chart: Weights>');
  const tb = await bundleFor({ toHtml: () => '<table></table>', toMarkdown: () => '| a |', toString: () => 'a' });
  assert.deepEqual(Object.keys(tb).sort(), ['text/html', 'text/markdown', 'text/plain']);
});

test('Chinese labels render in the SVG fallback', async () => {
  const svg = await renderSvg(weightBars([{ label: '职工平均工资', dimension: '劳动者', weight: 1 }]));
  assert.ok(svg.includes('职工平均工资'));
});
