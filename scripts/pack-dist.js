// Modules in one file each for the kernels and the page writer (src/notebook/pack.ts tells why and how they are
// loaded). Run by scripts/build.js after TypeScript has written dist/:
//
//   1. dist/index.pack: every module reachable from dist/index.js by relative requires, and the arquero bundle;
//      dist/index.js keeps its compiled code, inside a function that runs only when runPacked declines;
//   2. dist/pages.pack: sanitize-html, katex and marked with the node_modules files they require;
//   3. dist/<pack>.cache: V8's code cache for each, recorded by importing the package once and by writing a page.
//
// Deleting a pack (or a file changed after the build) only makes node load those files the usual way.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { createRequire } = require('node:module');
const { randomBytes } = require('node:crypto');
const { spawnSync } = require('node:child_process');
const { requireGraph } = require('./require-graph.js');

const root = path.resolve(__dirname, '..');
const dist = path.join(root, 'dist');
const entry = path.join(dist, 'index.js');
const LOADER = path.join(dist, 'notebook', 'pack.js');
const MARK = '// packed by scripts/pack-dist.js';
const slash = (p) => p.split(path.sep).join('/');

/**
 * Write pack `file`: the modules reachable from `starts` through string-literal requires that node resolves to a
 * .js or .cjs file for which `keep(file)` holds; their names relative to `base`. `sources` overrides a file's text.
 */
function writePack(file, { base, check, starts, entries = {}, keep, sources = {} }) {
  fs.rmSync(file, { force: true });
  fs.rmSync(`${file}.cache`, { force: true });
  const modules = requireGraph(starts, keep, sources).map(({ file: f, source, deps }) => {
    const stat = fs.statSync(f);
    const name = slash(path.relative(base, f));
    const named = Object.entries(deps).map(([spec, target]) => [spec, slash(path.relative(base, target))]);
    return { name, source, size: stat.size, mtimeMs: stat.mtimeMs, deps: Object.fromEntries(named) };
  });
  const header = {
    token: randomBytes(12).toString('hex'),
    node: process.version,
    base: slash(path.relative(path.dirname(file), base)) || '.',
    check,
    entries: Object.fromEntries(Object.entries(entries).map(([id, f]) => [id, slash(path.relative(base, f))])),
    modules: [],
  };
  let at = 0;
  for (const { source, ...m } of modules) {
    header.modules.push({ ...m, start: at, end: at + source.length });
    at += source.length;
  }
  fs.writeFileSync(file, `${JSON.stringify(header)}\n${modules.map((m) => m.source).join('')}`);
}

const compiled = fs.readFileSync(entry, 'utf8');
if (compiled.includes(MARK)) {
  process.stderr.write('pack-dist: dist/index.js is packed already; run the whole build (scripts/build.js)\n');
  process.exit(1);
}
const inside = (dir) => (f) => !path.relative(dir, f).startsWith('..');
const arquero = path.join(dist, 'vendor', 'arquero.js');
writePack(path.join(dist, 'index.pack'), {
  base: dist,
  check: 'time',
  // The arquero bundle too: dist/data/aq.js requires it by its absolute path, which the loader serves from the pack.
  starts: [entry, ...(fs.existsSync(arquero) ? [arquero] : [])],
  keep: (f) => inside(dist)(f) && !inside(path.join(dist, 'vendor'))(f),
  sources: { [entry]: compiled },
});
const fromHtml = createRequire(path.join(dist, 'notebook', 'html.js'));
const libs = Object.fromEntries(['sanitize-html', 'katex', 'marked'].map((id) => [id, fromHtml.resolve(id)]));
writePack(path.join(dist, 'pages.pack'), {
  base: root,
  check: 'text',
  starts: Object.values(libs),
  entries: libs,
  keep: inside(path.join(root, 'node_modules')),
});

// dist/index.js: the pack's loader first; the compiled code, unchanged, runs only if it declines.
fs.writeFileSync(
  entry,
  `"use strict";\n${MARK}: the modules come from dist/index.pack (src/notebook/pack.ts)\n` +
    'if (!require("./notebook/pack.js").runPacked(module))\n' +
    `(function (exports, require, module, __filename, __dirname) {\n${compiled}\n})` +
    '(exports, require, module, __filename, __dirname);\n',
);

// The code caches, recorded after importing the package and after writing a page with math, a table and an SVG.
const warmUp = `
const pack = require(${JSON.stringify(LOADER)});
require(${JSON.stringify(entry)});
pack.savePackCache(pack.PACK);
const { notebookToHtml } = require(${JSON.stringify(path.join(dist, 'notebook', 'html.js'))});
const md = '# Title\\n\\nText with $\\\\beta_1 x_{it}$, **bold**, a [link](https://example.org) and\\n\\n' +
  '$$\\\\hat{y} = \\\\sqrt{\\\\frac{a}{b}} + \\\\sum_i x_i$$\\n\\n| a | b |\\n|---|---|\\n| 1 | 2 |\\n';
const html = '<table><thead><tr><th style="text-align:left">x</th></tr></thead>' +
  '<tbody><tr><td>1.0</td></tr></tbody></table>';
const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><path d="M0 0L5 5" fill="none"/></svg>';
notebookToHtml({ cells: [
  { cell_type: 'markdown', source: md },
  { cell_type: 'code', source: 'x', execution_count: 1, outputs: [
    { output_type: 'display_data', data: { 'text/html': html }, metadata: {} },
    { output_type: 'display_data', data: { 'image/svg+xml': svg }, metadata: {} },
    { output_type: 'display_data', data: { 'text/markdown': md }, metadata: {} } ] } ],
  metadata: {}, nbformat: 4, nbformat_minor: 5 }, 'warm-up');
pack.savePackCache(pack.PAGES_PACK);
`;
const warm = spawnSync(process.execPath, ['-e', warmUp], { cwd: root, stdio: 'inherit' });
if (warm.status !== 0) {
  for (const f of ['index.pack.cache', 'pages.pack.cache']) fs.rmSync(path.join(dist, f), { force: true });
  process.stderr.write('pack-dist: recording the code caches failed; the packs are loaded without them\n');
}
