import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as aq from 'arquero';
import { feols } from '../../src/estimate';
import { describe, etable, simpleTable } from '../../src/report';
import { fixtureTable } from '../helpers';

const gp = { panel: { id: 'firm', time: 'year' } };

test('etable: stars from p, SEs in parentheses, fixed-effect and cluster rows, warnings as notes', () => {
  const g = fixtureTable('grunfeld.csv');
  const m = feols(g, 'inv ~ value + capital | firm + year', { vcov: { cluster: 'firm' }, ...gp });
  const t = etable([m], { title: 'T' }).toString();
  const v = m.coefficients[0];
  const stars = v.p_value < 0.01 ? '***' : v.p_value < 0.05 ? '**' : v.p_value < 0.1 ? '*' : '';
  assert.ok(t.includes(`${v.estimate.toFixed(4)}${stars}`), t);
  assert.ok(t.includes(`(${v.std_error.toFixed(4)})`));
  assert.match(t, /firm fixed effects\s+Yes/);
  assert.match(t, /Clusters\s+10/);
  assert.match(t, /Warning: Only 10 clusters/);
  assert.match(etable([m]).toHtml(), /<table class="etable">/);
  assert.match(etable([m]).toLatex(), /\\begin\{tabular\}/);
});

test('etable and describe show a missing statistic as "—", never as a number or with stars', () => {
  const g = fixtureTable('grunfeld.csv').derive({ y: (d: any) => 2 * d.value + 3 * d.capital });
  const m = feols(g, 'y ~ value + capital', { vcov: 'iid', ...gp });
  const t = etable([m], { below: 't' }).toString();
  assert.match(t, /\(—\)/);
  assert.doesNotMatch(t, /[\d)]\*/);
  const d = describe(aq.table({ z: [NaN, NaN] }), ['z']).toString();
  assert.match(d, /—/);
});

test('simpleTable with no rows says so in every format (no controls, no error)', () => {
  const { simpleTable } = require('../../src/report');
  const t = simpleTable([], { title: 'Control variables' });
  assert.match(t.toHtml(), /\(no rows\)/);
  assert.match(t.toString(), /\(no rows\)/);
  assert.match(t.toMarkdown(), /\(no rows\)/);
});

test('LaTeX escapes each special character once: a backslash is \\textbackslash{}, its braces stay', () => {
  const t = simpleTable([{ name: 'a\\b {x} 50% #1 $2 a_b ~ ^ &' }], { title: 'T' }).toLatex();
  assert.match(t, /a\\textbackslash\{\}b \\\{x\\\} 50\\% \\#1 \\\$2 a\\_b \\~\{\} \\\^\{\} \\&/);
  assert.doesNotMatch(t, /textbackslash\\\{/);
});

test('one number formatter: tables keep fixed decimals for large numbers, sentences and the CLI share it', () => {
  const { fmtNum, fmtP, fmtPercent, fmtLevel } = require('../../src/format');
  assert.equal(fmtNum(1234567.891, 2, { sciAbove: Infinity }), '1234567.89');
  assert.equal(fmtNum(1234567.891, 2), '1.23e+6');
  assert.equal(fmtNum(0.00001234), '1.234e-5');
  assert.equal(fmtNum(Number.NaN), '—');
  assert.equal(fmtP(0.0004), '<0.001');
  assert.equal(fmtPercent(0.125), '12.5%');
  assert.equal(fmtLevel(0.9), '90%');
  assert.equal(fmtLevel(0.975), '97.5%');
  const d = describe(aq.table({ gdp: Float64Array.from([1e7, 2e7, 3.5e7]) }), ['gdp']).toString();
  assert.match(d, /21666666\.667/);
});
