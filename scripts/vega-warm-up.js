// Run by scripts/build.js after bundling vega: charts of the kinds the notebooks draw (lines by group with a
// legend, bars, points with intervals and labels, density curves, a title with subtitles) rendered once through
// dist/, then V8's code cache of the bundle recorded (dist/vendor/vega.cache) with what they compiled.
'use strict';
const { renderSvg } = require('../dist/charts/render.js');
const { saveVegaCodeCache } = require('../dist/charts/vega-load.js');
const rows = [];
for (let i = 0; i < 60; i++)
  rows.push({ year: 2010 + (i % 12), v: Math.sin(i) + i / 30, g: 'abc'[i % 3], lo: i / 40 - 0.2 });
const title = { text: 'Figure 1', subtitle: ['Simulated data; seed 1', 'panel.csv'], anchor: 'start' };
const specs = [
  {
    title,
    data: { values: rows },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'year', type: 'ordinal' },
      y: { field: 'v', type: 'quantitative' },
      color: { field: 'g', type: 'nominal', title: 'group' },
    },
  },
  {
    title,
    data: { values: rows },
    mark: 'bar',
    encoding: {
      y: { field: 'g', type: 'nominal', sort: '-x' },
      x: { aggregate: 'mean', field: 'v', type: 'quantitative' },
    },
  },
  {
    title,
    data: { values: rows },
    layer: [
      {
        mark: 'rule',
        encoding: { y: { field: 'g', type: 'nominal' }, x: { field: 'lo', type: 'quantitative' }, x2: { field: 'v' } },
      },
      { mark: 'point', encoding: { y: { field: 'g', type: 'nominal' }, x: { field: 'v', type: 'quantitative' } } },
      {
        mark: 'text',
        encoding: {
          y: { field: 'g', type: 'nominal' },
          x: { field: 'v', type: 'quantitative' },
          text: { field: 'v', type: 'quantitative', format: '.3f' },
        },
      },
    ],
  },
  {
    title,
    data: { values: rows },
    transform: [{ density: 'v', groupby: ['g'] }],
    mark: 'area',
    encoding: {
      x: { field: 'value', type: 'quantitative' },
      y: { field: 'density', type: 'quantitative' },
      color: { field: 'g', type: 'nominal' },
    },
  },
];
(async () => {
  for (const s of specs) await renderSvg(s);
  saveVegaCodeCache();
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
