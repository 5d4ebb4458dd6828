import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

// Every notebook's first cell imports the package in a fresh kernel, and `nqp reproduce` loads its runner in a
// fresh process: what they load at import is paid once per kernel. The page writer's sanitiser (sanitize-html and
// its parsers, about 60 ms of CPU) is loaded when a page is written, and the runner does not load the notebook
// layer's display code (arquero and the estimators, about 0.25 s), and the package loads arquero from one bundled
// file (about 0.03 s instead of 0.15 s). Checked on the built package, as kernels load it.
const ROOT = join(__dirname, '..', '..');

/** The files a fresh node process has loaded after requiring `entry` from dist/ (and running `then`). */
function loadedFiles(entry: string, then = ''): string[] {
  const script =
    `const m = require(${JSON.stringify(join(ROOT, 'dist', entry))}); ${then};` +
    'process.stdout.write(JSON.stringify(Object.keys(require.cache)))';
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

/** The node_modules packages among the files loaded. */
function loadedPackages(entry: string, then = ''): Set<string> {
  const files = loadedFiles(entry, then);
  return new Set(files.map((f) => /node_modules\/((@[^/]+\/)?[^/]+)/.exec(f)?.[1]).filter((p) => p !== undefined));
}

test('importing the package does not load the page sanitiser; writing a page does, and still sanitises', () => {
  assert.ok(!loadedPackages('index.js').has('sanitize-html'));
  const withPage = loadedPackages(
    'notebook/html.js',
    "if (m.markdownToHtml('<b onclick=\"x()\">hi</b>') !== '<p><b>hi</b></p>\\n') process.exit(3)",
  );
  assert.ok(withPage.has('sanitize-html'));
});

test('the reproduce runner loads neither arquero nor the sanitiser until it writes a page', () => {
  const loaded = loadedPackages('notebook/run.js');
  assert.ok(!loaded.has('arquero'), [...loaded].join(', '));
  assert.ok(!loaded.has('sanitize-html'));
  assert.ok(!loadedFiles('notebook/run.js').some((f) => f.endsWith('vendor/arquero.js')));
});

test('the built package loads arquero from its one-file bundle, which behaves as the package does', () => {
  const files = loadedFiles('index.js');
  assert.ok(files.includes(join(ROOT, 'dist', 'vendor', 'arquero.js')), 'dist/vendor/arquero.js was not loaded');
  assert.ok(!files.some((f) => f.includes('node_modules/arquero/')), 'the arquero package was loaded as well');
  // The same table through the bundle and through the package: same rows after the same verbs.
  const verbs =
    "t.derive({ z: (d) => d.x * 2 + op.log(d.y) }).groupby('g')" +
    ".rollup({ s: (d) => op.sum(d.z), m: (d) => op.median(d.y) }).orderby('g').toCSV()";
  const run = (mod: string) => {
    const script =
      `const aq = require(${JSON.stringify(mod)}); const op = aq.op;` +
      "const t = aq.table({ g: ['a', 'b', 'a', 'c'], x: [1, 2, 3, 4], y: [0.5, 2, 8, 1e-3] });" +
      `process.stdout.write(${verbs});`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', cwd: ROOT });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout;
  };
  const bundled = run(join(ROOT, 'dist', 'vendor', 'arquero.js'));
  assert.match(bundled, /^g,s,m\n/);
  assert.equal(bundled, run('arquero'));
});
