import { test } from 'node:test';
import assert from 'node:assert/strict';
import { feols } from '../../src/estimate';
import type { NqpError } from '../../src/errors';
import { fixtureTable, readJson, relDiff } from '../helpers';

// fixest itself on the same formulas (tests/reference/grammar.R): interactions x:z and x*z, I(x^2), I(x*z),
// i(group, x, ref) slopes, i(group, ref) dummies, log(x, base). Names, order, estimates and SEs must agree.
const ref = readJson('grammar-reference.json');

for (const c of ref.cases) {
  test(`grammar equals fixest ${ref.fixest}: ${c.id} (${c.formula})`, () => {
    const m = feols(fixtureTable(`${c.data}.csv`), c.formula, { vcov: { cluster: c.cluster } });
    assert.deepEqual(
      m.coefficients.map((r) => r.term),
      c.terms,
    );
    assert.equal(m.fit.nObs, c.nobs);
    // Where the fixture holds lm's estimates (an ill-conditioned design fixest's demeaning tolerance blurs),
    // they are the reference.
    const est = c.lm_estimate ?? c.estimate;
    m.coefficients.forEach((r, i) => {
      assert.ok(relDiff(r.estimate, est[i]) < 1e-8, `${r.term}: ${r.estimate} vs ${est[i]}`);
      assert.ok(relDiff(r.std_error, c.std_error[i]) < 1e-8, `${r.term} SE: ${r.std_error} vs ${c.std_error[i]}`);
    });
  });
}

test('grammar: what fixest would silently misread is refused, by position', () => {
  const g = fixtureTable('grunfeld.csv');
  const code = (f: string) => {
    try {
      feols(g, f);
      return 'ok';
    } catch (e) {
      return `${(e as NqpError).code}: ${(e as Error).message}`;
    }
  };
  // x^2 in an R formula is x itself; we refuse rather than fit x.
  assert.match(code('inv ~ value^2 | firm'), /^FORMULA_SYNTAX: .*I\(value\^2\)/);
  assert.match(code('inv ~ sqrt(value) | firm'), /^FORMULA_SYNTAX: .*unknown function "sqrt\(\)"/);
  assert.match(code('inv ~ log(value, 1) | firm'), /^FORMULA_SYNTAX: .*base/);
  assert.match(code('inv ~ log(value, -2) | firm'), /^FORMULA_SYNTAX: .*base/);
  assert.match(code('inv ~ i(year, value, ref = 1900) | firm'), /^UNKNOWN_VARIABLE: .*"1900" is not a level of year/);
  assert.match(code('inv ~ i(year):value | firm'), /^FORMULA_SYNTAX: .*cannot be interacted/);
  assert.match(code('inv ~ I(value + capital) | firm'), /^FORMULA_SYNTAX: .*I\(\) holds/);
  assert.match(code('inv ~ value:nope | firm'), /^UNKNOWN_VARIABLE: .*"nope"/);
  assert.match(code("inv ~ i(year, ref = '1935) | firm"), /^FORMULA_SYNTAX: .*never closes/);
  assert.equal(code('inv ~ value*capital | firm'), 'ok');
});
