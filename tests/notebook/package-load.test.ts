import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

// Every notebook's first cell imports the package in a fresh kernel, and `nqp reproduce` loads its runner in a
// fresh process: what they load at import is paid once per kernel. The page writer's sanitiser (sanitize-html and
// its parsers, about 60 ms of CPU) is loaded when a page is written, and the runner does not load the notebook
// layer's display code (arquero and the estimators, about 0.25 s). Checked on the built package, as kernels load it.
const ROOT = join(__dirname, '..', '..');

/** The node_modules packages a fresh node process has loaded after requiring `entry` (and calling `then`). */
function loadedPackages(entry: string, then = ''): Set<string> {
  const script =
    `const m = require(${JSON.stringify(join(ROOT, 'dist', entry))}); ${then};` +
    'process.stdout.write(JSON.stringify(Object.keys(require.cache)))';
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const files: string[] = JSON.parse(r.stdout);
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
  // The control: the package itself does load arquero, so the check above can fail.
  assert.ok(loadedPackages('index.js').has('arquero'));
});
