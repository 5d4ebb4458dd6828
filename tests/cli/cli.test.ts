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

test('strict flags: a misspelt flag names the closest, a repeated flag is refused, help and version exit 0', () => {
  const g = ['--data', 'tests/fixtures/grunfeld.csv', '--formula', 'inv ~ value'];
  const typo = nqp('fit', ...g, '--vocv', 'iid');
  assert.equal(typo.status, 2);
  assert.match(typo.stderr, /^nqp: Unknown flag --vocv for nqp fit; did you mean --vcov\?/);
  const twice = nqp('fit', ...g, '--vcov', 'iid', '--vcov', 'hc1');
  assert.equal(twice.status, 2);
  assert.match(twice.stderr, /--vcov is given 2 times/);
  const dat = nqp('reproduce', '--dat', 'x.csv');
  assert.match(dat.stderr, /did you mean --data\?/);
  for (const args of [['--help'], ['fit', '--help'], ['reproduce', '--help'], ['--version']]) {
    const r = nqp(...args);
    assert.equal(r.status, 0, args.join(' '));
    assert.ok(r.stdout.length > 0);
  }
  assert.match(nqp('fit', '--help').stdout, /--ssc PRESET/);
  // Lags need panel keys: grunfeld.csv has no city_code/year pair, so without --panel the lag is refused.
  const lag = nqp('fit', '--data', 'tests/fixtures/grunfeld.csv', '--formula', 'inv ~ l(value, 1)');
  assert.equal(lag.status, 2);
  assert.match(lag.stderr, /needs panel keys .*--panel ID,TIME/);
  const ok = nqp(
    'fit',
    '--data',
    'tests/fixtures/grunfeld.csv',
    '--formula',
    'inv ~ l(value, 1) | firm',
    '--panel',
    'firm,year',
    '--json',
  );
  assert.equal(ok.status, 0, ok.stderr);
  assert.equal(JSON.parse(ok.stdout).nobs, 190);
});

test('nqp fit --wild-bootstrap adds wild_bootstrap rows equal to the library and to fwildclusterboot', () => {
  const ref = readJson('wild-bootstrap-reference.json').cases.find(
    (c: { id: string }) => c.id === 'grunfeld_firm_year_cl_firm_capital',
  );
  const args = ['--data', 'tests/fixtures/grunfeld.csv', '--formula', ref.formula, '--vcov', 'cluster:firm'];
  const r = nqp('fit', ...args, '--wild-bootstrap', '9999', '--seed', '5', '--json');
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  const row = out.wild_bootstrap.find((w: { term: string }) => w.term === 'capital');
  assert.deepEqual(Object.keys(row), [
    'term',
    'p_value',
    'conf_low',
    'conf_high',
    'reps',
    'weights',
    'seed',
    'enumerated',
    'clusters',
  ]);
  // 10 clusters: all 1,024 sign vectors, so the p-value is fwildclusterboot's exactly.
  assert.equal(row.reps, 1024);
  assert.equal(row.enumerated, true);
  assert.equal(row.p_value, ref.p_value);
  assert.ok(relDiff(row.conf_low, ref.conf_int[0]) < 1e-6);
  assert.equal(typeof out.timing.wild_bootstrap_s, 'number');
  const bad = nqp('fit', ...args, '--seed', '5');
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr, /--wild-bootstrap/);
  const notInt = nqp('fit', ...args, '--wild-bootstrap', '1e3');
  assert.match(notInt.stderr, /whole number/);
});
