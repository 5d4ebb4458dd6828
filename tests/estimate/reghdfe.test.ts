import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { frameSource, readFrame } from '../../src/data';
import { feols, parseVcovText } from '../../src/estimate';
import { summary } from '../../src/report';
import * as aq from 'arquero';
import { FIXTURES, fixtureTable, readJson } from '../helpers';

// Published reghdfe output (tests/fixtures/reghdfe-reference.json records each call and its source). Counts are
// compared exactly; the numbers on the right-hand side come from the publication, not from our code.
const ref = readJson('reghdfe-reference.json');
const ROOT = join(__dirname, '..', '..');

test('the data files are the ones the fixture names (sha256)', () => {
  for (const [file, d] of Object.entries<any>(ref.data)) {
    const sha = createHash('sha256')
      .update(readFileSync(join(FIXTURES, file)))
      .digest('hex');
    assert.equal(sha, d.sha256, file);
  }
});

/**
 * Columns the Stata session generated before the call (each fixture case names them under `derive`). Stata's
 * `gen` stores a float unless told otherwise, hence Math.fround.
 */
const DERIVE: Record<string, (t: any) => Float64Array> = {
  hours_log: (t) => Float64Array.from(t.array('hours') as Float64Array, (v) => Math.fround(Math.log(v))),
};

/** A case's data: .dta through the package's reader, CSV as a fixture table, plus any derived columns. */
function load(c: any): any {
  if (c.data.endsWith('.dta')) return frameSource(readFrame(join(FIXTURES, c.data)));
  const t = fixtureTable(c.data);
  if (!c.derive) return t;
  const cols: Record<string, unknown> = {};
  for (const n of t.columnNames()) cols[n] = t.array(n);
  for (const k of Object.keys(c.derive)) {
    assert.ok(DERIVE[k], `the test knows how to derive ${k}`);
    cols[k] = DERIVE[k](t);
  }
  return aq.table(cols as any);
}

/** Ours equals a printed number: within half a unit of its last printed digit (Stata rounds what it displays). */
function asPrinted(ours: number, printed: string, what: string): void {
  const decimals = printed.includes('.') ? printed.split('.')[1].length : 0;
  const half = 0.5 * 10 ** -decimals;
  assert.ok(Math.abs(ours - Number(printed)) <= half * (1 + 1e-9), `${what}: ours ${ours}, published ${printed}`);
}

for (const c of ref.cases) {
  test(`reghdfe preset matches reghdfe's published output: ${c.id} (${c.call.split('\n').pop()})`, () => {
    const data = load(c);
    const m = feols(data, c.formula, {
      vcov: parseVcovText(c.vcov),
      ssc: { preset: 'reghdfe' },
      singletons: 'drop',
    });
    const p = c.published;
    assert.equal(m.fit.nObs, p.nobs ?? c.implied.nobs);
    const table = m.fixedEffects.map((f) => ({
      fixed_effect: f.name,
      num_coefs: f.counted,
      categories: f.levels,
      redundant: f.redundant,
      nested: f.nested,
    }));
    if (p.absorbed_dof) assert.deepEqual(table, p.absorbed_dof);
    // reghdfe's K: regressors + Σ Num. Coefs + nested_adj (1 when some fixed effect is nested; Regression.mata).
    const dofTable = p.absorbed_dof ?? table;
    const nestedAdj = dofTable.some((r: any) => r.nested) ? 1 : 0;
    const numCoefs = dofTable.reduce((s: number, r: any) => s + r.num_coefs, 0);
    assert.equal(m.vcov.K, m.coefficients.length + numCoefs + nestedAdj);
    for (const want of p.coefficients ?? []) {
      const got = m.coefficients.find((x) => x.term === want.term);
      assert.ok(got, `term ${want.term}`);
      for (const k of ['estimate', 'std_error', 'statistic', 'conf_low', 'conf_high'] as const) {
        asPrinted(got![k], want[k], `${want.term} ${k}`);
      }
    }
    if (p.f !== undefined) {
      asPrinted(m.fit.waldF, p.f, 'F');
      assert.deepEqual(m.fit.waldFDf, p.f_df);
    }
    if (p.n_clusters !== undefined)
      assert.deepEqual(
        m.vcov.clusters?.map((x) => x.count),
        p.n_clusters,
      );
    if (p.singletons_dropped !== undefined) {
      const dropped = m.sample.dropped.filter((d) => d.reason.startsWith('singleton'));
      assert.equal(
        dropped.reduce((s, d) => s + d.count, 0),
        p.singletons_dropped,
      );
    }
    if (p.r2 !== undefined) asPrinted(m.fit.r2, p.r2, 'R2');
    if (p.adj_r2 !== undefined) asPrinted(m.fit.adjR2, p.adj_r2, 'adj R2');
    if (p.r2_within !== undefined) asPrinted(m.fit.r2Within!, p.r2_within, 'within R2');
    // Stata's Root MSE divides by the residual degrees of freedom; our rmse by N.
    if (p.root_mse !== undefined) asPrinted(m.fit.rmse * Math.sqrt(m.fit.nObs / m.fit.dfResid), p.root_mse, 'Root MSE');
    const text = summary(m);
    assert.match(text, /Absorbed degrees of freedom:/);
    for (const r of dofTable) {
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

test('nqp fit --ssc reghdfe --drop-singletons prints the FAQ table (the JSON keeps the design contract)', () => {
  const c = ref.cases.find((x: any) => x.id === 'faq-nested-within-cluster');
  const args = [
    join(ROOT, 'bin', 'nqp.js'),
    'fit',
    '--data',
    join('tests', 'fixtures', c.data),
    '--formula',
    c.formula,
  ];
  const flags = ['--vcov', c.vcov, '--ssc', 'reghdfe', '--drop-singletons'];
  const run = (...extra: string[]) =>
    spawnSync(process.execPath, [...args, ...flags, ...extra], { cwd: ROOT, encoding: 'utf8' });
  const j = JSON.parse(run('--json').stdout);
  assert.equal(j.nobs, c.implied.nobs);
  assert.equal(j.dropped.singletons, 74 - c.implied.nobs);
  const text = run();
  assert.equal(text.status, 0, text.stderr);
  // One line per fixed effect: name, categories, redundant, counted, and * when nested in a cluster variable.
  for (const f of c.published.absorbed_dof) {
    const line = new RegExp(
      `^${f.fixed_effect}\\s+${f.categories}\\s+${f.redundant}\\s+${f.num_coefs}${f.nested ? ' \\*' : '$'}`,
      'm',
    );
    assert.match(text.stdout, line);
  }
});
