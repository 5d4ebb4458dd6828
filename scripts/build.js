// The one build: every path (`npm ci`'s prepare, `npm run build`, `npm run reproduce`, `npm test`, the bench) runs
// this file, which calls the project's own TypeScript (devDependency `typescript`, by its path) — never whatever
// `node_modules/.bin/tsc` links to: tslab's bundled TypeScript 5.0.4 also installs a `tsc` bin and often wins that
// link. The emitted .d.ts must still be readable by tslab's 5.0 (tests/notebook/declarations.test.ts checks it).
//
//   node scripts/build.js            compile src/ → dist/, stamp dist/.built, link the package to itself
//   node scripts/build.js --if-stale compile only when a file under src/ or tsconfig.json is newer than dist/.built
//                                    or the installed arquero, vega or vega-lite is not the one bundled in
//                                    dist/vendor; either way, make the kernel snapshot for notebooks/ again when it
//                                    is missing or not current (src/notebook/snapshot.ts: another node, install,
//                                    tslab, or a file it read changed)
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const root = path.resolve(__dirname, '..');
const stamp = path.join(root, 'dist', '.built');
const TSC = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');

function newest(dir) {
  let t = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
  }
  return t;
}

const BUNDLE = path.join(root, 'dist', 'vendor', 'arquero.js');
const BUNDLED_VERSION = path.join(root, 'dist', 'vendor', 'arquero.version');
const arqueroVersion = () => require('arquero/package.json').version;
const VEGA_BUNDLE = path.join(root, 'dist', 'vendor', 'vega.js');
const VEGA_VERSION = path.join(root, 'dist', 'vendor', 'vega.version');
const vegaVersion = () =>
  `vega ${require('vega/package.json').version}, vega-lite ${require('vega-lite/package.json').version}, ` +
  `node ${process.version}`;

function stale() {
  const inputs = Math.max(newest(path.join(root, 'src')), fs.statSync(path.join(root, 'tsconfig.json')).mtimeMs);
  const built = fs.existsSync(stamp) ? fs.statSync(stamp).mtimeMs : 0;
  // npm gives installed files a fixed old mtime, so another arquero is noticed by its version, not its date.
  const bundled = fs.existsSync(BUNDLED_VERSION) ? fs.readFileSync(BUNDLED_VERSION, 'utf8') : undefined;
  const vega = fs.existsSync(VEGA_VERSION) ? fs.readFileSync(VEGA_VERSION, 'utf8') : undefined;
  return (
    built < inputs ||
    (fs.existsSync(BUNDLE) && bundled !== arqueroVersion()) ||
    (fs.existsSync(VEGA_BUNDLE) && vega !== vegaVersion())
  );
}

const args = process.argv.slice(2);
const unknown = args.filter((a) => a !== '--if-stale');
if (unknown.length) {
  process.stderr.write(`build: unknown argument ${unknown[0]}; the only option is --if-stale\n`);
  process.exit(2);
}
if (args.includes('--if-stale') && !stale()) {
  process.stderr.write('build: dist/ is current (no source newer than dist/.built); compile skipped\n');
} else {
  if (!fs.existsSync(TSC)) {
    process.stderr.write(`build: ${path.relative(root, TSC)} is missing; run \`npm ci\` first\n`);
    process.exit(1);
  }
  const r = spawnSync(process.execPath, [TSC, '-p', 'tsconfig.json'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    process.stderr.write(`build: TypeScript (${path.relative(root, TSC)}) reported errors; dist/ is not current\n`);
    process.exit(r.status ?? 1);
  }
  bundleArquero();
  bundleVega();
  require('./pack-dist.js'); // dist/index.pack: the package's own modules in one file, with a code cache
  // dist/default-panel.cache: the default study panel, computed once here instead of in every notebook's kernel
  spawnSync(process.execPath, [path.join(__dirname, 'write-panel-cache.js')], { cwd: root, stdio: 'inherit' });
  fs.writeFileSync(stamp, `${new Date().toISOString()}\n`);
}
require('./link-self.js');
kernelSnapshot();

/**
 * The start-up snapshot of a tslab kernel for the project's notebooks/ (src/notebook/snapshot.ts), made again when
 * missing or not current (another node, install or tslab, or a file it read changed, such as dist/'s declarations
 * after a compile). Without one, kernels start as tslab's own bin starts them.
 */
function kernelSnapshot() {
  const snap = require(path.join(root, 'dist', 'notebook', 'snapshot.js'));
  if (snap.snapshotCurrent(snap.NOTEBOOKS_DIR)) return;
  snap.buildKernelSnapshot(snap.NOTEBOOKS_DIR).then((r) => {
    if (r.ok) process.stderr.write(`build: kernel snapshot for notebooks/ written (${path.relative(root, r.file)})\n`);
    else process.stderr.write(`build: no kernel snapshot for notebooks/ (${r.why}); kernels start as usual\n`);
  });
}

/**
 * The installed arquero (about 170 ES-module files) bundled into one CommonJS file, dist/vendor/arquero.js, which
 * src/data/aq.ts loads in place of the package: 0.03 s of CPU instead of 0.15 s in every notebook's kernel. The
 * bundler is the esbuild that tsx (a devDependency) installs; without it the package loads arquero itself.
 */
function esbuildOrUndefined() {
  try {
    return require(require.resolve('esbuild', { paths: [path.dirname(require.resolve('tsx/package.json'))] }));
  } catch {
    return undefined;
  }
}

function bundleArquero() {
  const out = BUNDLE;
  const esbuild = esbuildOrUndefined();
  if (!esbuild) {
    fs.rmSync(out, { force: true });
    fs.rmSync(BUNDLED_VERSION, { force: true });
    process.stderr.write('build: esbuild (installed with tsx) is missing; dist/ loads arquero from its package\n');
    return;
  }
  esbuild.buildSync({
    entryPoints: [require.resolve('arquero')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile: out,
    logLevel: 'warning',
  });
  fs.writeFileSync(BUNDLED_VERSION, arqueroVersion());
}

/**
 * The installed vega and vega-lite (about 60 CommonJS files) bundled into dist/vendor/vega.js, which
 * src/charts/vega-load.ts loads in place of the packages, then V8's code cache for it recorded after rendering the
 * charts below (dist/vendor/vega.cache), so that every kernel skips parsing and compiling what charts use: 0.05 s
 * of CPU to load instead of 0.12 s. The node version is part of dist/vendor/vega.version, since V8 refuses a cache
 * made by another one (the bundle then still works, compiled as usual).
 */
function bundleVega() {
  const esbuild = esbuildOrUndefined();
  for (const f of [
    VEGA_BUNDLE,
    VEGA_VERSION,
    `${VEGA_BUNDLE.slice(0, -3)}.cache`,
    `${VEGA_BUNDLE.slice(0, -3)}.cache.sha1`,
  ])
    fs.rmSync(f, { force: true });
  if (!esbuild) {
    process.stderr.write('build: esbuild (installed with tsx) is missing; dist/ loads vega from its packages\n');
    return;
  }
  esbuild.buildSync({
    stdin: {
      contents: "module.exports = { vega: require('vega'), vegaLite: require('vega-lite') };",
      resolveDir: root,
    },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile: VEGA_BUNDLE,
    external: ['canvas'], // vega-canvas's optional node canvas, required inside a try
    alias: { 'node-fetch': path.join(__dirname, 'lazy-node-fetch.js') }, // see that file
    logLevel: 'warning',
  });
  fs.writeFileSync(VEGA_VERSION, vegaVersion());
  const warm = spawnSync(process.execPath, [path.join(__dirname, 'vega-warm-up.js')], { cwd: root, stdio: 'inherit' });
  if (warm.status !== 0)
    process.stderr.write('build: rendering the warm-up charts failed; dist/ loads vega without a code cache\n');
}
