import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as aq from 'arquero';
import { feols } from '../../src/estimate';
import { describe, etable } from '../../src/report';
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
