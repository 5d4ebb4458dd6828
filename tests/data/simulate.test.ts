import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { panelCsv } from '../../src/simulate';

// Simulated extracts (nqp data --cities/--years/--null-effect): an extract of the default model is a subset of the
// default panel's rows, exactly; the null model has no effect to find; bad options are refused by name.
const DEFAULT = readFileSync(join(__dirname, '..', '..', 'data', 'panel.csv'), 'utf8').split('\n');

test('an extract of the default model is a subset of the default panel; the null model has total effect 0', () => {
  const e = panelCsv({ cities: 50, years: [2012, 2018] });
  const lines = e.panel.trimEnd().split('\n');
  assert.equal(lines[0], DEFAULT[0], 'same columns');
  assert.equal(lines.length - 1, 50 * 7);
  const all = new Set(DEFAULT);
  for (const l of lines.slice(1)) assert.ok(all.has(l), `row not in the default panel: ${l.slice(0, 60)}`);
  const years = new Set(lines.slice(1).map((l) => Number(l.split(',')[1])));
  assert.deepEqual([...years].sort(), [2012, 2013, 2014, 2015, 2016, 2017, 2018]);
  const t = JSON.parse(e.truth);
  assert.match(t.extract, /50 cities drawn with the seed; years 2012–2018; 350 city-years/);
  const z = JSON.parse(panelCsv({ nullEffect: true, cities: 120, years: [2011, 2019] }).truth);
  assert.equal(z.total_effect, 0);
  assert.equal(z.beta_direct, 0);
  assert.equal(z.indirect_shares, null);
  for (const k of ['indus', 'talent_lq', 'innov']) assert.equal(z.mediators[k].theta, 0);
  assert.equal(z.confounder.on_resilience, 0);
  assert.equal(z.development_on_resilience, 0);
  assert.throws(() => panelCsv({ years: [2015, 2015] }), /the first before the last/);
  assert.throws(() => panelCsv({ cities: 231 }), /from 10 to 230/);
});
