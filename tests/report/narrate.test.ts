import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as aq from 'arquero';
import { feols } from '../../src/estimate';
import { againstCritical, compareCoef, describeCoef, provenance, significance } from '../../src/report';
import { isPColumn } from '../../src/report/format';
import { fixtureTable } from '../helpers';

// Sentences are computed from results: the same call says "significant" on one model and "not significant" on
// another, "grows" or "shrinks" by the numbers, and never shows an absolute path.
test('significance words follow the p-value, and a missing p-value says so', () => {
  assert.equal(significance(0.004), 'significant at 1%');
  assert.equal(significance(0.03), 'significant at 5%');
  assert.equal(significance(0.07), 'significant at 10%');
  assert.equal(significance(0.78), 'not significant at 10%');
  assert.match(significance(Number.NaN), /undefined/);
});

test('describeCoef and compareCoef state what the models say', () => {
  const g = fixtureTable('grunfeld.csv');
  const a = feols(g, 'inv ~ value + capital', { vcov: 'iid' });
  const b = feols(g, 'inv ~ value + capital | firm', { vcov: { cluster: 'firm' } });
  assert.match(describeCoef(a, 'value'), /^0\.116 \(SE 0\.006\), positive and significant at 1% \(p < 0\.001\)$/);
  assert.match(compareCoef(a, b, 'value'), /^shrinks from 0\.116 to 0\.110 \(95% of it\); its 95% interval \[/);
  assert.match(compareCoef(b, a, 'value'), /^grows from 0\.110 to 0\.116/);
  // Across zero there is no "grows": a coefficient that turns negative changes sign.
  const neg = g.derive({ value: (d: { value: number }) => -d.value });
  const c = feols(neg, 'inv ~ value + capital', { vcov: 'iid' });
  assert.match(compareCoef(a, c, 'value'), /^changes sign, from 0\.116 to -0\.116; its 95% interval/);
  // No effect at all: a regressor unrelated to the outcome is "not significant".
  const noise = aq.table({ y: [1, 3, 2, 5, 4, 6, 5, 7], x: [3, 1, 4, 1, 5, 9, 2, 6] });
  assert.match(describeCoef(feols(noise, 'y ~ x', { vcov: 'iid' }), 'x'), /not significant at 10% \(p = 0\.\d{3}\)/);
  assert.throws(() => describeCoef(a, 'nope'), /no coefficient "nope"/);
  // An undefined estimate is said to be undefined, never "zero" or "changes sign".
  const undef = {
    coefficients: [{ term: 'value', estimate: NaN, std_error: NaN, p_value: NaN, conf_low: NaN, conf_high: NaN }],
  };
  assert.match(describeCoef(undef as never, 'value'), /^— \(SE —\), undefined and without a test/);
  assert.match(
    compareCoef(a, undef as never, 'value'),
    /^cannot be compared: an estimate is undefined \(0\.116 and —\)$/,
  );
});

test('againstCritical and provenance', () => {
  assert.equal(againstCritical(189.04, 16.38), '189.0, above the 16.38 critical value');
  assert.equal(againstCritical(3.2, 16.38), '3.2, below the 16.38 critical value');
  assert.equal(againstCritical(3.2, NaN), '3.2 (no critical value to compare with)');
  assert.equal(
    provenance('/home/someone/data/my extract.dta', { cities: 150, years: [2011, 2015, 2020] }),
    'Data: my extract.dta — 150 cities, 2011–2020',
  );
  assert.match(provenance(undefined), /simulated default panel \(known truth/);
});

test('p-value columns are recognised by name and printed in one format', () => {
  for (const name of [
    'p',
    'p_value',
    'SUEST p',
    'wild_p',
    'permutation p (one-sided)',
    'permutation p, raw (two-sided)',
  ])
    assert.ok(isPColumn(name), name);
  for (const name of ['prob', 'group', 'pop', 'SUEST χ²', 'p1 share']) assert.ok(!isPColumn(name), name);
});
