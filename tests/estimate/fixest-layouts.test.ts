import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as aq from 'arquero';
import { feols, type SmallSampleCorrection, type VcovSpec } from '../../src/estimate';
import { fixtureTable, readJson, relDiff } from '../helpers';

// Reference values computed by fixest itself (tests/reference/fixest.R; version in the fixture), in the layouts
// where counting fixed-effect parameters is delicate: a fixed effect nested in the cluster next to another one
// (state + region^year clustered by state), every fixed effect nested, three fixed effects, an unbalanced panel,
// two-way clustering, and each switch of fixest's ssc(). Tolerance 1e-8 relative (the bar).
const ref = readJson('fixest-reference.json');

function dataOf(name: string) {
  if (name === 'grunfeld') return fixtureTable('grunfeld.csv');
  const t = fixtureTable('produc.csv');
  if (name === 'produc') return t;
  // The same rows the R script drops: every 7th row from the 4th.
  return aq.from(t.objects().filter((_: unknown, i: number) => i % 7 !== 3));
}

function vcovOf(v: string): VcovSpec {
  if (v === 'iid') return 'iid';
  if (v === 'hetero') return 'hc1';
  const vars = v
    .replace(/^~/, '')
    .split('+')
    .map((s) => s.trim());
  return { cluster: vars.length === 1 ? vars[0] : vars };
}

function sscOf(a: Record<string, unknown> | unknown[]): Partial<SmallSampleCorrection> {
  if (Array.isArray(a)) return {};
  const s: Partial<SmallSampleCorrection> = {};
  if (a.adj !== undefined) s.adj = a.adj as boolean;
  if (a['cluster.adj'] !== undefined) s.clusterAdj = a['cluster.adj'] as boolean;
  if (a['fixef.K'] !== undefined) s.fixefK = a['fixef.K'] as SmallSampleCorrection['fixefK'];
  return s;
}

test(`reference fixture was made by fixest (${ref.software})`, () => {
  assert.match(ref.software, /fixest \d+\.\d+/);
  assert.ok(ref.cases.length >= 20);
});

for (const c of ref.cases) {
  test(`equals fixest: ${c.id} — ${c.call}`, () => {
    const panel = c.data === 'grunfeld' ? { id: 'firm', time: 'year' } : { id: 'state', time: 'year' };
    const m = feols(dataOf(c.data), c.formula, { vcov: vcovOf(c.vcov), ssc: sscOf(c.ssc), panel });
    assert.equal(m.fit.nObs, c.nobs);
    assert.equal(m.vcov.K, c.dof_K, `K: ours ${m.vcov.K}, fixest ${c.dof_K}`);
    assert.equal(m.vcov.dfT, c.df_t, `t df: ours ${m.vcov.dfT}, fixest ${c.df_t}`);
    c.terms.forEach((t: string, i: number) => {
      // fixest names an instrumented regressor fit_x.
      const r = m.coefficients.find((x) => x.term === t.replace(/^fit_/, ''));
      assert.ok(r, `term ${t} present`);
      assert.ok(relDiff(r.estimate, c.estimate[i]) < 1e-8, `${t} estimate ${r.estimate} vs ${c.estimate[i]}`);
      assert.ok(relDiff(r.std_error, c.std_error[i]) < 1e-8, `${t} SE ${r.std_error} vs ${c.std_error[i]}`);
      // R's own t tail is good to about 1e-8 relative; beyond p = 1e-30 (an intercept's 2e-91) to 1e-7.
      assert.ok(
        relDiff(r.p_value, c.p_value[i]) < (c.p_value[i] > 1e-30 ? 1e-8 : 1e-7),
        `${t} p ${r.p_value} vs ${c.p_value[i]}`,
      );
    });
  });
}
