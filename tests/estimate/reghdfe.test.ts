import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { frameSource, readFrame } from '../../src/data';
import { feols, parseVcovText } from '../../src/estimate';
import { summary } from '../../src/report';
import { FIXTURES, readJson } from '../helpers';

// Published reghdfe output (tests/fixtures/reghdfe-reference.json records each call and its source). Counts are
// compared exactly; the numbers on the right-hand side come from the publication, not from our code.
const ref = readJson('reghdfe-reference.json');
const ROOT = join(__dirname, '..', '..');

test('auto.dta is the public file the fixture names (sha256)', () => {
  for (const [file, d] of Object.entries<any>(ref.data)) {
    const sha = createHash('sha256')
      .update(readFileSync(join(FIXTURES, file)))
      .digest('hex');
    assert.equal(sha, d.sha256, file);
  }
});

for (const c of ref.cases) {
  test(`reghdfe preset matches reghdfe's published output: ${c.id}`, () => {
    const data = frameSource(readFrame(join(FIXTURES, c.data)));
    const m = feols(data, c.formula, {
      vcov: parseVcovText(c.vcov),
      ssc: { preset: 'reghdfe' },
      singletons: 'drop',
    });
    assert.equal(m.fit.nObs, c.implied.nobs);
    const table = m.fixedEffects.map((f) => ({
      fixed_effect: f.name,
      num_coefs: f.counted,
      categories: f.levels,
      redundant: f.redundant,
      nested: f.nested,
    }));
    assert.deepEqual(table, c.published.absorbed_dof);
    // reghdfe's K: regressors + Σ Num. Coefs + nested_adj (1 when some fixed effect is nested; Regression.mata).
    const nestedAdj = c.published.absorbed_dof.some((r: any) => r.nested) ? 1 : 0;
    const numCoefs = c.published.absorbed_dof.reduce((s: number, r: any) => s + r.num_coefs, 0);
    assert.equal(m.vcov.K, m.coefficients.length + numCoefs + nestedAdj);
    const text = summary(m);
    assert.match(text, /Absorbed degrees of freedom:/);
    for (const r of c.published.absorbed_dof) {
      const line = text.split('\n').find((l) => l.startsWith(`${r.fixed_effect} `));
      assert.ok(line, `summary has a row for ${r.fixed_effect}`);
      assert.deepEqual(line!.replace('*', '').trim().split(/\s+/).slice(1).map(Number), [
        r.categories,
        r.redundant,
        r.num_coefs,
      ]);
      assert.equal(line!.trim().endsWith('*'), r.nested);
    }
  });
}

test('nqp fit --ssc reghdfe --drop-singletons --json reports the FAQ table as fixed_effects', () => {
  const c = ref.cases.find((x: any) => x.id === 'faq-nested-within-cluster');
  const r = spawnSync(
    process.execPath,
    [
      join(ROOT, 'bin', 'nqp.js'),
      'fit',
      '--data',
      join('tests', 'fixtures', c.data),
      '--formula',
      c.formula,
      '--vcov',
      c.vcov,
      '--ssc',
      'reghdfe',
      '--drop-singletons',
      '--json',
    ],
    { cwd: ROOT, encoding: 'utf8' },
  );
  assert.equal(r.status, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.equal(j.nobs, c.implied.nobs);
  assert.equal(j.dropped.singletons, 74 - c.implied.nobs);
  assert.deepEqual(
    j.fixed_effects.map((f: any) => ({
      fixed_effect: f.name,
      num_coefs: f.counted,
      categories: f.categories,
      redundant: f.redundant,
      nested: f.nested,
    })),
    c.published.absorbed_dof,
  );
});
