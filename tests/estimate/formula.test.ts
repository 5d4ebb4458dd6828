import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildFormula, parseFormula } from '../../src/estimate';
import { errCode } from '../helpers';

// Terms without a single variable (products, interactions, i()) have no name; the test says so instead of crashing.
const nameOf = (t: object): string | undefined => ('name' in t ? String(t.name) : undefined);

test('fixest grammar: terms, lags, logs, interacted fixed effects and the IV part', () => {
  const f = parseFormula('y ~ x1 + l(x2, 2) + log(x3) | a + b^c | e ~ z1 + z2');
  assert.equal(nameOf(f.lhs), 'y');
  assert.deepEqual(
    f.rhs.map((t) => [t.kind, nameOf(t)]),
    [
      ['var', 'x1'],
      ['lag', 'x2'],
      ['log', 'x3'],
    ],
  );
  assert.equal(f.rhs[1].kind === 'lag' && f.rhs[1].k, 2);
  assert.deepEqual(f.fixedEffects, [['a'], ['b', 'c']]);
  assert.deepEqual(f.iv?.endog.map(nameOf), ['e']);
  assert.deepEqual(f.iv?.instruments.map(nameOf), ['z1', 'z2']);
  assert.equal(parseFormula('y ~ x').intercept, true);
  assert.equal(parseFormula('y ~ x + 0').intercept, false);
  assert.equal(parseFormula('y ~ w | e ~ z').fixedEffects.length, 0);
});

test('syntax errors name the position', () => {
  assert.equal(
    errCode(() => parseFormula('y ~ x +')),
    'FORMULA_SYNTAX @ formula position 8',
  );
  assert.equal(
    errCode(() => parseFormula('y ~ x $ z')),
    'FORMULA_SYNTAX @ formula position 7',
  );
  assert.match(
    errCode(() => parseFormula('')),
    /^FORMULA_SYNTAX @ formula/,
  );
  assert.match(
    errCode(() => parseFormula('y ~ x | a | e ~ z | f ~ w')),
    /^FORMULA_SYNTAX @ formula position/,
  );
});

test('buildFormula writes term lists back in the grammar parseFormula reads', () => {
  assert.equal(buildFormula('y', ['x', 'w'], ['id', 'year']), 'y ~ x + w | id + year');
  assert.equal(buildFormula('y', ['x']), 'y ~ x');
  const f = parseFormula(buildFormula('y', ['x', 'l(w, 1)'], ['id^year']));
  assert.deepEqual(f.fixedEffects, [['id', 'year']]);
  assert.equal(f.rhs[1].kind, 'lag');
});
