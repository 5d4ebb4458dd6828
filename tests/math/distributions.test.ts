import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chi2Upper, fUpper, lnBeta, tQuantile, tTwoSided } from '../../src/math/distributions';
import { readJson } from '../helpers';

// R's own pt, qt, pf, pchisq and lbeta (tests/reference/distributions.R), including degrees of freedom up to 1e9,
// where a log-beta taken as a difference of log-gammas used to cancel (errors up to 1e-7) and the t quantile
// stopped on an absolute tolerance (1 − 3e-4 relative at p = 1e-10, df = 1).
const ref = readJson('distributions-reference.json');
const rel = (a: number, b: number) => (a === b ? 0 : Math.abs(a - b) / Math.abs(b));

test('t quantile: relative error below 1e-11 for p from 1e-10 to 0.9995 and df from 1 to 1e9', () => {
  for (const r of ref.qt) {
    const e = rel(tQuantile(r.p, r.df), r.q);
    assert.ok(e < 1e-11, `qt(${r.p}, ${r.df}): ${tQuantile(r.p, r.df)} vs ${r.q} (${e})`);
  }
});

test('t two-sided p-values: below 1e-11 relative up to df = 1e5, below 1e-10 beyond', () => {
  for (const r of ref.pt) {
    const e = rel(tTwoSided(r.t, r.df), r.two_sided);
    assert.ok(e < (r.df <= 1e5 ? 1e-11 : 1e-10), `2pt(-${r.t}, ${r.df}): ${tTwoSided(r.t, r.df)} vs ${r.two_sided}`);
  }
});

test('log-beta, F and chi-squared tails: below 1e-12 relative', () => {
  for (const r of ref.lbeta) assert.ok(rel(lnBeta(r.a, r.b), r.lbeta) < 1e-13, `lbeta(${r.a}, ${r.b})`);
  for (const r of ref.pf) assert.ok(rel(fUpper(r.f, r.d1, r.d2), r.upper) < 1e-12, `pf(${r.f}, ${r.d1}, ${r.d2})`);
  for (const r of ref.pchisq) assert.ok(rel(chi2Upper(r.x, r.df), r.upper) < 1e-12, `pchisq(${r.x}, ${r.df})`);
});
