// The one build: every path (`npm ci`'s prepare, `npm run build`, `npm run reproduce`, `npm test`, the bench) runs
// this file, which calls the project's own TypeScript (devDependency `typescript`, by its path) — never whatever
// `node_modules/.bin/tsc` links to: tslab's bundled TypeScript 5.0.4 also installs a `tsc` bin and often wins that
// link. The emitted .d.ts must still be readable by tslab's 5.0 (tests/notebook/declarations.test.ts checks it).
//
//   node scripts/build.js            compile src/ → dist/, stamp dist/.built, link the package to itself
//   node scripts/build.js --if-stale compile only when a file under src/ or tsconfig.json is newer than dist/.built
//                                    or the installed arquero is not the one bundled in dist/vendor
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

function stale() {
  const inputs = Math.max(newest(path.join(root, 'src')), fs.statSync(path.join(root, 'tsconfig.json')).mtimeMs);
  const built = fs.existsSync(stamp) ? fs.statSync(stamp).mtimeMs : 0;
  // npm gives installed files a fixed old mtime, so another arquero is noticed by its version, not its date.
  const bundled = fs.existsSync(BUNDLED_VERSION) ? fs.readFileSync(BUNDLED_VERSION, 'utf8') : undefined;
  return built < inputs || (fs.existsSync(BUNDLE) && bundled !== arqueroVersion());
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
  fs.writeFileSync(stamp, `${new Date().toISOString()}\n`);
}
require('./link-self.js');

/**
 * The installed arquero (about 170 ES-module files) bundled into one CommonJS file, dist/vendor/arquero.js, which
 * src/data/aq.ts loads in place of the package: 0.03 s of CPU instead of 0.15 s in every notebook's kernel. The
 * bundler is the esbuild that tsx (a devDependency) installs; without it the package loads arquero itself.
 */
function bundleArquero() {
  const out = BUNDLE;
  let esbuild;
  try {
    esbuild = require(require.resolve('esbuild', { paths: [path.dirname(require.resolve('tsx/package.json'))] }));
  } catch {
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
