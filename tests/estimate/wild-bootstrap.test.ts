import { test } from 'node:test';
import assert from 'node:assert/strict';
import { feols, wildBootstrap } from '../../src/estimate';
import type { NqpError } from '../../src/errors';
import { fixtureTable, readJson } from '../helpers';

// References made outside our code (tests/reference/wild-bootstrap.R): fwildclusterboot itself on fixest models,
// and a brute-force refit of `lm` with explicit dummies for every one of the 2^G sign vectors. With full
// enumeration neither has Monte Carlo error, so p-values must be equal exactly and intervals to root-finding
// tolerance (1e-7 SE; fwildclusterboot run with tol = 1e-10); with 9,999 random draws the two streams differ
// and agreement is within Monte Carlo error.
const ref = readJson('wild-bootstrap-reference.json');

interface RefCase {
  id: string;
  data: string;
  formula: string;
  term: string;
  cluster: string;
  reps: number;
  weights: 'rademacher' | 'webb';
  impose_null: boolean;
  boot_iter: number;
  p_value: number;
  conf_int?: [number, number];
  beta0?: number;
}

function fit(c: RefCase) {
  const data = fixtureTable(`${c.data}.csv`);
  return feols(data, c.formula, { vcov: { cluster: c.cluster } });
}

for (const c of ref.cases as RefCase[]) {
  const against = c.id.startsWith('brute') ? 'a brute-force refit' : 'fwildclusterboot';
  test(`wild cluster bootstrap equals ${against}: ${c.id}`, () => {
    const m = fit(c);
    const w = wildBootstrap(m, c.term, {
      reps: c.reps ?? 9999,
      weights: c.weights,
      imposeNull: c.impose_null,
      beta0: c.beta0 ?? 0,
      seed: 7,
    });
    const se = m.coefficients.find((r) => r.term === c.term)?.std_error ?? NaN;
    if (w.enumerated) {
      assert.equal(w.reps, c.boot_iter);
      assert.equal(w.p_value, c.p_value, `p ${w.p_value} vs ${c.p_value}`);
      if (c.conf_int) {
        assert.ok(Math.abs(w.conf_low - c.conf_int[0]) < 1e-7 * se, `low ${w.conf_low} vs ${c.conf_int[0]}`);
        assert.ok(Math.abs(w.conf_high - c.conf_int[1]) < 1e-7 * se, `high ${w.conf_high} vs ${c.conf_int[1]}`);
      }
    } else {
      // Two independent streams of 9,999 draws: the difference of two p-values has SD √(2p(1−p)/B).
      const sd = Math.sqrt((2 * c.p_value * (1 - c.p_value)) / c.boot_iter);
      assert.ok(Math.abs(w.p_value - c.p_value) < 4 * sd + 1e-12, `p ${w.p_value} vs ${c.p_value} (sd ${sd})`);
      if (c.conf_int) {
        assert.ok(Math.abs(w.conf_low - c.conf_int[0]) < 0.05 * se, `low ${w.conf_low} vs ${c.conf_int[0]}`);
        assert.ok(Math.abs(w.conf_high - c.conf_int[1]) < 0.05 * se, `high ${w.conf_high} vs ${c.conf_int[1]}`);
      }
    }
  });
}

test('wild bootstrap: seeded draws repeat exactly and the seed is reported', () => {
  const m = feols(fixtureTable('produc.csv'), 'lgsp ~ lpcap + unemp | state + year', { vcov: { cluster: 'state' } });
  const a = wildBootstrap(m, 'unemp', { reps: 999, seed: 11 });
  const b = wildBootstrap(m, 'unemp', { reps: 999, seed: 11 });
  const c = wildBootstrap(m, 'unemp', { reps: 999, seed: 12 });
  assert.deepEqual(a, b);
  assert.equal(a.seed, 11);
  assert.equal(a.enumerated, false);
  assert.notEqual(a.p_value === c.p_value && a.conf_low === c.conf_low, true);
});

test('wild bootstrap: the interval holds exactly the nulls it does not reject', () => {
  const m = feols(fixtureTable('grunfeld.csv'), 'inv ~ value + capital | firm + year', { vcov: { cluster: 'firm' } });
  const w = wildBootstrap(m, 'capital');
  const inside = wildBootstrap(m, 'capital', { beta0: w.conf_low + 1e-6 });
  const outside = wildBootstrap(m, 'capital', { beta0: w.conf_low - 1e-3 });
  assert.ok(inside.p_value >= 0.05, `p inside ${inside.p_value}`);
  assert.ok(outside.p_value < 0.05, `p outside ${outside.p_value}`);
});

test('wild bootstrap refuses what it cannot do, by name', () => {
  const g = fixtureTable('grunfeld.csv');
  const iid = feols(g, 'inv ~ value + capital', { vcov: 'iid' });
  assert.throws(
    () => wildBootstrap(iid, 'value'),
    (e: NqpError) => e.code === 'BAD_OPTION' && /cluster/.test(e.message),
  );
  const m = feols(g, 'inv ~ value + capital | firm', { vcov: { cluster: 'firm' } });
  assert.throws(
    () => wildBootstrap(m, 'nope'),
    (e: NqpError) => e.code === 'UNKNOWN_VARIABLE',
  );
  assert.throws(() => wildBootstrap(m, 'value', { reps: 10 }), /reps/);
  assert.throws(() => wildBootstrap(m, 'value', { weights: 'mammen' as never }), /weights/);
  const two = feols(g, 'inv ~ value + capital | firm', { vcov: { cluster: ['firm', 'year'] } });
  assert.throws(() => wildBootstrap(two, 'value'), /Two-way/);
  const iv = feols(g, 'inv ~ capital | firm | value ~ year', { vcov: { cluster: 'firm' } });
  assert.throws(() => wildBootstrap(iv, 'value'), /IV/);
});
