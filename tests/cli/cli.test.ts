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
  const fr = nqp('reproduce', '--lang', 'fr', '--out', 'out-never-written');
  assert.equal(fr.status, 2);
  assert.match(fr.stderr, /--lang takes en or zh, got "fr"/);
  for (const j of ['0', '2.5', 'all', '07']) {
    const jobs = nqp('reproduce', '--jobs', j, '--out', 'out-never-written');
    assert.equal(jobs.status, 2, `--jobs ${j}`);
    assert.match(jobs.stderr, /--jobs takes a whole number of notebooks from 1, got/);
  }
  assert.match(nqp('reproduce', '--help').stdout, /--lang/);
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
    'level',
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

test('nqp fit --study equals the baseline column (4) to 1e-12; without --study a derived name is explained', () => {
  const { studyPanel } = require('../../src/study');
  const { feols } = require('../../src/estimate');
  const controls = 'lnpgdp + open + fin + infra + lnpopden + urban_rate';
  // The baseline notebook's m4, as its cells build it (DATA undefined, CLUSTER 'city_code').
  const m4 = feols(studyPanel().data, `resilience ~ nqp + ${controls} | city_code + year`, {
    vcov: { cluster: 'city_code' },
  });
  const formula = `resilience ~ nqp + ${controls} | city_code + year`;
  const r = nqp('fit', '--study', '--formula', formula, '--vcov', 'cluster:city_code', '--json');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /panel keys: city_code \(unit\), year \(time\)/);
  const j = JSON.parse(r.stdout);
  assert.equal(j.nobs, m4.fit.nObs);
  for (const c of m4.coefficients) {
    const row = j.coefficients.find((x: any) => x.term === c.term);
    assert.ok(relDiff(row.estimate, c.estimate) <= 1e-12, `${c.term} estimate`);
    assert.ok(relDiff(row.std_error, c.std_error) <= 1e-12, `${c.term} SE`);
  }
  const bad = nqp('fit', '--data', 'data/panel.csv', '--formula', formula);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /"resilience", "nqp", "lnpgdp", .* are not in the file: the study pipeline derives them/);
  assert.match(bad.stderr, /Add --study/);
  // A name that is neither raw nor derived still gets the estimator's closest-match message.
  const typo = nqp('fit', '--data', 'data/panel.csv', '--formula', 'gdp ~ wagee');
  assert.match(typo.stderr, /"wagee".*closest is "wage"/);
});

test('nqp data --derived writes the study panel and a codebook; its CSV fits to the --study numbers', () => {
  const { mkdtempSync, readFileSync } = require('node:fs');
  const dir = mkdtempSync(join(require('node:os').tmpdir(), 'nqp-derived-'));
  const w = nqp('data', '--derived', '--out', dir);
  assert.equal(w.status, 0, w.stderr);
  const header = readFileSync(join(dir, 'panel_derived.csv'), 'utf8').split('\n')[0].split(',');
  for (const c of ['city_code', 'year', 'nqp', 'nqp_labourers', 'resilience', 'lnpgdp', 'indus', 'resource_based'])
    assert.ok(header.includes(c), c);
  const book = readFileSync(join(dir, 'codebook_derived.csv'), 'utf8');
  assert.equal(book.trim().split('\n').length, header.length + 1, 'one codebook row per column');
  assert.match(book, /\nlnpgdp,[^\n]*constructed: ln\(gdp/);
  assert.match(book, /\nnqp,[^\n]*entropy-weighted index/);
  const formula = 'resilience ~ nqp + lnpgdp + urban_rate | city_code + year';
  const a = JSON.parse(nqp('fit', '--study', '--formula', formula, '--json').stdout);
  const b = JSON.parse(nqp('fit', '--data', join(dir, 'panel_derived.csv'), '--formula', formula, '--json').stdout);
  assert.deepEqual(
    b.coefficients.map((c: any) => [c.term, c.estimate, c.std_error]),
    a.coefficients.map((c: any) => [c.term, c.estimate, c.std_error]),
  );
  assert.equal(nqp('data', '--derived').status, 2, '--out is required');
  assert.match(nqp('data', '--derived', '--seed', '3', '--out', dir).stderr, /--derived writes the study panel/);
});

test('nqp fit --level 0.9 --wild-bootstrap: a 90% wild interval, labelled 90% in the text and 0.9 in the JSON', () => {
  const args = ['fit', '--data', 'tests/fixtures/grunfeld.csv', '--formula', 'inv ~ value + capital | firm'];
  const wild = ['--vcov', 'cluster:firm', '--wild-bootstrap', '999', '--seed', '3', '--level', '0.9'];
  const text = nqp(...args, ...wild);
  assert.equal(text.status, 0, text.stderr);
  assert.match(text.stdout, /p = [\d.]+ {3}90% CI \[/);
  assert.doesNotMatch(text.stdout, /95% CI/);
  const j = JSON.parse(nqp(...args, ...wild, '--json').stdout);
  const j95 = JSON.parse(nqp(...args, ...wild.slice(0, -2), '--json').stdout);
  assert.equal(j.wild_bootstrap[0].level, 0.9);
  assert.equal(j95.wild_bootstrap[0].level, 0.95);
  // The 90% interval lies inside the 95% one, and both hold the estimate.
  const [w90, w95] = [j.wild_bootstrap[0], j95.wild_bootstrap[0]];
  assert.ok(w95.conf_low < w90.conf_low && w90.conf_high < w95.conf_high, JSON.stringify([w90, w95]));
});

test('nqp fit warns of cells read with thousands separators; reproduce refuses a stream as --data', () => {
  const { mkdtempSync, writeFileSync } = require('node:fs');
  const f = join(mkdtempSync(join(require('node:os').tmpdir(), 'nqp-th-')), 'th.csv');
  writeFileSync(f, 'id,x,y\n1,"7,820",1\n2,"1,500",2\n3,3,3\n4,4,5\n5,5,4\n6,"6,100",8\n');
  const j = JSON.parse(nqp('fit', '--data', f, '--formula', 'y ~ x', '--vcov', 'hc1', '--json').stdout);
  assert.ok(
    j.warnings.some((w: string) => /Column "x": 3 cells read with thousands separators/.test(w)),
    j.warnings,
  );
  assert.ok(
    j.warnings.some((w: string) => /"7,820".*1000× too large/.test(w)),
    j.warnings,
  );
  const text = nqp('fit', '--data', f, '--formula', 'y ~ x', '--vcov', 'hc1');
  assert.match(text.stderr, /^warning: Column "x": 3 cells/m);
  const r = spawnSync(
    process.execPath,
    [join(ROOT, 'bin', 'nqp.js'), 'reproduce', '--data', '/dev/stdin', '--only', 'index', '--out', join(f, '..', 'o')],
    { cwd: ROOT, encoding: 'utf8', input: 'city_code,year\n' },
  );
  assert.equal(r.status, 2);
  assert.match(r.stderr, /not a regular file .* a stream can be read only once/);
});
