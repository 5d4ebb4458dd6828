// The package's own modules in one file, for the kernels (src/notebook/pack.ts tells why and how they are loaded).
// Run by scripts/build.js after TypeScript has written dist/:
//
//   1. dist/index.pack: a JSON header line (each module reachable from dist/index.js by relative requires: its
//      path, size and time, and the file node resolves each of its relative requires to), then their sources;
//   2. dist/index.js: the compiled code kept as it is, inside a function that runs only when runPacked declines;
//   3. dist/index.pack.cache: V8's code cache for the packed modules, recorded by importing the package once.
//
// Deleting dist/index.pack (or a dist/ file edited after the build) only makes node load files the usual way.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { randomBytes } = require('node:crypto');
const { spawnSync } = require('node:child_process');

const root = path.resolve(__dirname, '..');
const dist = path.join(root, 'dist');
const entry = path.join(dist, 'index.js');
const PACK = path.join(dist, 'index.pack');
const CACHE = path.join(dist, 'index.pack.cache');
const LOADER = path.join(dist, 'notebook', 'pack.js');
const MARK = '// packed by scripts/pack-dist.js';

fs.rmSync(PACK, { force: true });
fs.rmSync(CACHE, { force: true });
const compiled = fs.readFileSync(entry, 'utf8');
if (compiled.includes(MARK)) {
  process.stderr.write('pack-dist: dist/index.js is packed already; run the whole build (scripts/build.js)\n');
  process.exit(1);
}

/** Every module reachable from dist/index.js through `require("./…")` / `require("../…")`, inside dist/. */
const modules = [];
const seen = new Set();
// The arquero bundle too, which dist/data/aq.js requires by its absolute path (src/notebook/pack.ts packs such a
// require when the path is a packed file's).
const queue = [entry, ...['vendor/arquero.js'].map((f) => path.join(dist, f)).filter((f) => fs.existsSync(f))];
while (queue.length) {
  const file = queue.shift();
  if (seen.has(file)) continue;
  seen.add(file);
  const source = file === entry ? compiled : fs.readFileSync(file, 'utf8');
  const deps = {};
  for (const [, spec] of source.matchAll(/\brequire\("(\.\.?\/[^"]*|\.\.?)"\)/g)) {
    const target = require.resolve(spec, { paths: [path.dirname(file)] });
    const rel = path.relative(dist, target);
    if (rel.startsWith('..') || !target.endsWith('.js') || rel.startsWith(`vendor${path.sep}`)) continue;
    deps[spec] = rel.split(path.sep).join('/');
    queue.push(target);
  }
  const stat = fs.statSync(file);
  modules.push({
    name: path.relative(dist, file).split(path.sep).join('/'),
    source,
    size: stat.size,
    mtimeMs: stat.mtimeMs,
    deps,
  });
}

let at = 0;
const header = { token: randomBytes(12).toString('hex'), node: process.version, modules: [] };
for (const m of modules) {
  header.modules.push({
    name: m.name,
    start: at,
    end: at + m.source.length,
    size: m.size,
    mtimeMs: m.mtimeMs,
    deps: m.deps,
  });
  at += m.source.length;
}
fs.writeFileSync(PACK, `${JSON.stringify(header)}\n${modules.map((m) => m.source).join('')}`);

// dist/index.js: the pack's loader first; the compiled code, unchanged, runs only if it declines.
fs.writeFileSync(
  entry,
  `"use strict";\n${MARK}: the modules come from dist/index.pack (src/notebook/pack.ts)\n` +
    'if (!require("./notebook/pack.js").runPacked(module))\n' +
    `(function (exports, require, module, __filename, __dirname) {\n${compiled}\n})` +
    '(exports, require, module, __filename, __dirname);\n',
);

const warm = spawnSync(
  process.execPath,
  ['-e', `require(${JSON.stringify(entry)}); require(${JSON.stringify(LOADER)}).savePackCache();`],
  { cwd: root, stdio: 'inherit' },
);
if (warm.status !== 0) {
  fs.rmSync(CACHE, { force: true });
  process.stderr.write('pack-dist: recording the code cache failed; dist/ loads its packed modules without one\n');
}
