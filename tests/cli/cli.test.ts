import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { readJson, relDiff } from '../helpers';

const ROOT = join(__dirname, '..', '..');
const nqp = (...args: string[]) =>
  spawnSync(process.execPath, [join(ROOT, 'bin', 'nqp.js'), ...args], { cwd: ROOT, encoding: 'utf8' });

test('nqp fit --json prints exactly the contract of DESIGN.md, with numbers equal to R', () => {
  const r = nqp(
    'fit',
    '--data',
    'tests/fixtures/grunfeld.csv',
    '--formula',
    'inv ~ value + capital | firm + year',
    '--vcov',
    'cluster:firm',
    '--json',
  );
  assert.equal(r.status, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.deepEqual(Object.keys(j), [
    'formula',
    'vcov',
    'nobs',
    'dropped',
    'dropped_terms',
    'r2',
    'r2_within',
    'adj_r2',
    'df_resid',
    'n_clusters',
    'coefficients',
    'warnings',
    'timing',
  ]);
  assert.deepEqual(Object.keys(j.coefficients[0]), [
    'term',
    'estimate',
    'std_error',
    'statistic',
    'p_value',
    'conf_low',
    'conf_high',
  ]);
  assert.deepEqual(Object.keys(j.timing), ['load_s', 'fit_s']);
  assert.deepEqual(j.dropped, { missing: 0, singletons: 0 });
  assert.equal(j.vcov, 'cluster:firm');
  assert.equal(j.nobs, 200);
  const ref = readJson('feols-reference.json').cases.find((c: any) => c.id === 'grunfeld-fe2-cluster');
  assert.ok(relDiff(j.coefficients[0].std_error, ref.std_error[0]) < 1e-8);
});

test('nqp fit: IV adds first_stage; two-way clustering; the default panel with missing cells reports drops', () => {
  const iv = JSON.parse(
    nqp(
      'fit',
      '--data',
      'tests/fixtures/cigarettes.csv',
      '--formula',
      'lpacks ~ lrincome | state + year | lrprice ~ tdiff + rtax',
      '--vcov',
      'cluster:state',
      '--json',
    ).stdout,
  );
  assert.ok(iv.first_stage.kleibergen_paap_rk_wald_f > 10);
  assert.equal(iv.first_stage.overidentification.name, 'Hansen J');
  const tw = JSON.parse(
    nqp(
      'fit',
      '--data',
      'tests/fixtures/produc.csv',
      '--formula',
      'lgsp ~ lpcap + lpc + lemp + unemp | state + year',
      '--vcov',
      'cluster:state+year',
      '--json',
    ).stdout,
  );
  assert.equal(tw.vcov, 'cluster:state+year');
  const dp = JSON.parse(
    nqp('fit', '--data', 'data/panel.csv', '--formula', 'gdp_growth ~ wage + broadband | city_code + year', '--json')
      .stdout,
  );
  assert.ok(dp.dropped.missing > 0);
  assert.equal(dp.nobs + dp.dropped.missing, 2760);
});

test('bad input: non-zero exit, one readable line on stderr, no stack trace', () => {
  const cases = [
    ['fit', '--data', 'nope.csv', '--formula', 'y ~ x'],
    ['fit', '--data', 'tests/fixtures/grunfeld.csv', '--formula', 'inv ~ valeu'],
    ['fit', '--data', 'tests/fixtures/grunfeld.csv', '--formula', 'inv ~ value +'],
    ['fit', '--data', 'tests/fixtures/grunfeld.csv', '--formula', 'inv ~ value', '--vcov', 'robust'],
    ['fit', '--formula', 'inv ~ value'],
    ['frobnicate'],
  ];
  for (const c of cases) {
    const r = nqp(...c);
    assert.notEqual(r.status, 0, c.join(' '));
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, `one line for ${c.join(' ')}: ${r.stderr}`);
    assert.match(lines[0], /^nqp: /);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  }
});
