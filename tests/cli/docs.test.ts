import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { nqpCli } from '../helpers';

const ROOT = join(__dirname, '..', '..');
const PROJECT_PATH = /(?<![\w./-])((?:src|tests|bench|data|scripts|notebooks|bin|\.ci)\/[\w./-]*[\w-])/g;

/** Project paths a text names (src/..., tests/..., data/...), without placeholders such as DIR/. */
function pathsIn(text: string): string[] {
  return [...new Set([...text.matchAll(PROJECT_PATH)].map((m) => m[1]))];
}

test('every project file the README and data/README.md name exists', () => {
  for (const doc of ['README.md', 'data/README.md']) {
    const text = readFileSync(join(ROOT, doc), 'utf8');
    // data/README.md names its own files relative to data/ (src/candidates.csv is data/src/candidates.csv).
    const bases = doc === 'README.md' ? [ROOT] : [join(ROOT, 'data'), ROOT];
    const missing = pathsIn(text).filter((p) => !bases.some((b) => existsSync(join(b, p))));
    assert.deepEqual(missing, [], `${doc} names files that do not exist`);
  }
});

test('every file the command-line help names exists, and no help points outside the repository', () => {
  for (const args of [['--help'], ['fit', '--help'], ['reproduce', '--help'], ['data', '--help']]) {
    const r = nqpCli(...args);
    assert.equal(r.status, 0, r.stderr);
    const missing = pathsIn(r.stdout).filter((p) => !existsSync(join(ROOT, p)));
    assert.deepEqual(missing, [], `nqp ${args.join(' ')}`);
    assert.doesNotMatch(r.stdout, /DESIGN\.md|\.\.\/shared/, `nqp ${args.join(' ')} names a file outside the repo`);
  }
});

test('hints for flags people bring from Stata and R, and a tab delimiter the shell can pass', () => {
  const g = ['fit', '--data', 'tests/fixtures/grunfeld.csv', '--formula', 'inv ~ value'];
  assert.match(nqpCli(...g, '--cluster', 'firm').stderr, /no --cluster: cluster with --vcov cluster:V/);
  assert.match(nqpCli(...g, '--robust').stderr, /--vcov hc1/);
  assert.match(nqpCli(...g, '--absorb', 'firm').stderr, /fixed effects go after the bar/);
  // The hint for a tab-separated file is a form a shell passes as is, and that form works.
  const { mkdtempSync, writeFileSync } = require('node:fs');
  const f = join(mkdtempSync(join(require('node:os').tmpdir(), 'nqp-tab-')), 'tabs.csv');
  writeFileSync(f, 'a\tb\n1\t2\n3\t5\n4\t4\n');
  const hint = nqpCli('fit', '--data', f, '--formula', 'a ~ b');
  assert.match(hint.stderr, /--delimiter tab/);
  for (const d of ['tab', '\\t']) {
    const ok = nqpCli('fit', '--data', f, '--formula', 'a ~ b', '--vcov', 'iid', '--delimiter', d, '--json');
    assert.equal(ok.status, 0, ok.stderr);
    assert.equal(JSON.parse(ok.stdout).nobs, 3);
  }
  assert.match(nqpCli('fit', '--data', f, '--formula', 'a ~ b', '--delimiter', 'ab').stderr, /one character or tab/);
});
