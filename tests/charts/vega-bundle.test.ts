import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderSvg } from '../../src/charts';

// The built package renders charts with vega and vega-lite from one bundled file (dist/vendor/vega.js) and V8's
// code cache recorded for it by the build; run from src/ it uses the packages. Both must draw the same SVG.
const ROOT = join(__dirname, '..', '..');
const VENDOR = join(ROOT, 'dist', 'vendor');
const skip = existsSync(join(VENDOR, 'vega.js')) ? false : 'dist/vendor/vega.js not built (npm run build): skipped';

const rows = Array.from({ length: 36 }, (_, i) => ({ year: 2010 + (i % 12), v: Math.cos(i) * 3 + i, g: 'xyz'[i % 3] }));
const SPECS: Record<string, unknown>[] = [
  {
    title: { text: '图1 城市经济韧性', subtitle: ['Simulated data; seed 7'], anchor: 'start' },
    data: { values: rows },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'year', type: 'ordinal' },
      y: { field: 'v', type: 'quantitative' },
      color: { field: 'g', type: 'nominal' },
    },
  },
  {
    data: { values: rows },
    transform: [{ density: 'v', groupby: ['g'] }],
    mark: 'area',
    encoding: { x: { field: 'value', type: 'quantitative' }, y: { field: 'density', type: 'quantitative' } },
  },
];

/** Run `body` in a fresh node process with dist/charts/render.js as `r`; its stdout parsed as JSON. */
function inFreshNode(body: string, charts = join(ROOT, 'dist', 'charts')): Record<string, unknown> {
  const script =
    `const r = require(${JSON.stringify(join(charts, 'render.js'))});` +
    `const l = require(${JSON.stringify(join(charts, 'vega-load.js'))});` +
    `(async () => { ${body} })().catch((e) => { console.error(e); process.exit(1); });`;
  const res = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', cwd: ROOT });
  assert.equal(res.status, 0, res.stderr);
  return JSON.parse(res.stdout);
}

test('the built package draws the same SVG from the bundle and its code cache as the packages do', {
  skip,
}, async () => {
  const out = inFreshNode(
    `const specs = ${JSON.stringify(SPECS)}; const svgs = [];` +
      'for (const s of specs) svgs.push(await r.renderSvg(s));' +
      'const files = Object.keys(require.cache);' +
      'process.stdout.write(JSON.stringify({ svgs, cache: l.vegaCacheUsed,' +
      ' packages: files.filter((f) => /node_modules\\/vega(-lite)?\\//.test(f)) }));',
  );
  assert.deepEqual(out.packages, [], 'vega or vega-lite loaded from their packages as well');
  assert.equal(out.cache, true, 'the code cache the build recorded was not used');
  const expected = [];
  for (const s of SPECS) expected.push(await renderSvg(s));
  assert.deepEqual(out.svgs, expected);
  assert.match(expected[0], /<svg[^>]*>/);
});

test('a code cache recorded for another bundle is not used, and the bundle still draws', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nqp-vega-'));
  try {
    cpSync(join(ROOT, 'dist', 'charts'), join(dir, 'charts'), { recursive: true });
    cpSync(VENDOR, join(dir, 'vendor'), { recursive: true });
    appendFileSync(join(dir, 'vendor', 'vega.js'), '\n// another bundle\n');
    const out = inFreshNode(
      `const svg = await r.renderSvg(${JSON.stringify(SPECS[0])});` +
        'process.stdout.write(JSON.stringify({ svg, cache: l.vegaCacheUsed }));',
      join(dir, 'charts'),
    );
    assert.equal(out.cache, false);
    assert.equal(out.svg, await renderSvg(SPECS[0]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the bundle still loads chart data by URL (node-fetch, required on the first fetch)', { skip }, async () => {
  const { createServer } = await import('node:http');
  const server = createServer((_req, res) => res.end(JSON.stringify(rows)));
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as { port: number };
  const spec = { ...SPECS[0], data: { url: `http://127.0.0.1:${port}/rows.json` } };
  try {
    const script =
      `const r = require(${JSON.stringify(join(ROOT, 'dist', 'charts', 'render.js'))});` +
      `r.renderSvg(${JSON.stringify(spec)}).then((svg) => process.stdout.write(svg), (e) => {` +
      ' console.error(e); process.exit(1); });';
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, ['-e', script], { cwd: ROOT });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const code = await new Promise((ok) => child.on('close', ok));
    assert.equal(code, 0, err);
    assert.equal(out, await renderSvg({ ...SPECS[0], data: { values: rows } }));
  } finally {
    server.close();
  }
});
