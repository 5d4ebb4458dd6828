/**
 * `npm run reproduce` builds with `scripts/build.js --if-stale`: dist/ is rebuilt when a source is newer than its
 * stamp, and also when the installed arquero is not the one bundled into dist/vendor (npm gives installed files a
 * fixed old mtime, so a changed dependency is noticed by its version).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const ROOT = join(__dirname, '..', '..');
const VERSION = join(ROOT, 'dist', 'vendor', 'arquero.version');
const build = () => spawnSync(process.execPath, ['scripts/build.js', '--if-stale'], { cwd: ROOT, encoding: 'utf8' });

test('another arquero than the bundled one makes dist/ stale; once rebuilt it is current', {
  skip: existsSync(VERSION) ? false : 'no arquero bundle in dist/ (esbuild absent): nothing to check',
}, () => {
  const installed = require('arquero/package.json').version as string;
  assert.equal(readFileSync(VERSION, 'utf8'), installed);
  writeFileSync(VERSION, '0.0.1');
  const rebuilt = build();
  assert.equal(rebuilt.status, 0, rebuilt.stderr);
  assert.doesNotMatch(rebuilt.stderr, /compile skipped/);
  assert.equal(readFileSync(VERSION, 'utf8'), installed);
  assert.match(build().stderr, /compile skipped/);
});
