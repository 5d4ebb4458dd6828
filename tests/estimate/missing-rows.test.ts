import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as aq from 'arquero';
import { estimationSample, feols, groupDiff, mediation } from '../../src/estimate';
import { fixtureTable } from '../helpers';

// One missing-value rule (src/data/missing.ts): null, undefined, '' and NaN are missing, in model columns and in
// keys alike. feols, mediation and groupDiff must then fit the same rows. Before the rule had one owner, the
// resampling front end turned a null into 0 and kept the row that feols dropped.
function holed() {
  const d = fixtureTable('produc.csv').derive({ g: (r: any) => (r.region <= 4 ? 1 : 0) });
  const cols: Record<string, unknown[]> = {};
  for (const name of d.columnNames()) cols[name] = Array.from(d.array(name) as ArrayLike<unknown>);
  cols.lpc[3] = null; // null in a regressor
  cols.lemp[40] = NaN; // NaN in a control
  cols.unemp[77] = undefined; // undefined in a control
  cols.lgsp[101] = null; // null in the outcome
  cols.year[150] = null; // a missing time key
  cols.state = cols.state.map((s, i) => (i === 203 ? '' : s)); // an empty unit (and cluster) key
  cols.lpcap[260] = null; // null in the treatment
  return aq.table(cols as any);
}

const key = (s: { array(n: string): ArrayLike<unknown> }) => {
  const st = s.array('state'),
    yr = s.array('year');
  return Array.from({ length: st.length }, (_, i) => `${st[i]}|${yr[i]}`).sort();
};

test('feols, mediation and groupDiff use the same rows on a table with nulls, NaN and missing keys', async () => {
  const d = holed();
  const m = feols(d, 'lgsp ~ lpcap + lpc + lemp + unemp | state + year', { vcov: { cluster: 'state' } });
  assert.equal(m.fit.nObs, 816 - 7, 'each of the seven holes drops one row');
  const rows = key(estimationSample(m));
  const keys = { unit: 'state', time: 'year' };
  const med = await mediation(d, {
    x: 'lpcap',
    y: 'lgsp',
    mediators: ['lpc'],
    controls: ['lemp', 'unemp'],
    ...keys,
    reps: 20,
    seed: 1,
  });
  assert.deepEqual(key(estimationSample(med.totalModel)), rows, 'mediation: the total-effect model');
  for (const { a, b } of Object.values(med.models)) {
    assert.deepEqual(key(estimationSample(a)), rows, 'mediation: an a-path model');
    assert.deepEqual(key(estimationSample(b)), rows, 'mediation: a b-path model');
  }
  const h = await groupDiff(d, {
    x: 'lpcap',
    y: 'lgsp',
    group: 'g',
    controls: ['lpc', 'lemp', 'unemp'],
    ...keys,
    reps: 9,
  });
  const both = [...key(estimationSample(h.models[0])), ...key(estimationSample(h.models[1]))].sort();
  assert.deepEqual(both, rows, 'groupDiff: the two subsample models together');
  assert.equal(h.interaction.model.fit.nObs, rows.length, 'groupDiff: the interaction model');
});

test('a column changed in place between two fits is checked again (a new NaN dropped, a new 1e200 refused)', () => {
  const n = 60;
  const cols: Record<string, Float64Array> = {
    y: Float64Array.from({ length: n }, (_, i) => Math.sin(i) + (i % 5)),
    x: Float64Array.from({ length: n }, (_, i) => Math.cos(i * 1.7)),
    id: Float64Array.from({ length: n }, (_, i) => i % 10),
    t: Float64Array.from({ length: n }, (_, i) => Math.floor(i / 10)),
  };
  const data = { columnNames: () => Object.keys(cols), numRows: () => n, array: (v: string) => cols[v] };
  assert.equal(feols(data, 'y ~ x | id + t').sample.used, n);
  cols.x[7] = NaN;
  const m = feols(data, 'y ~ x | id + t');
  assert.equal(m.sample.used, n - 1);
  assert.equal(m.sample.dropped.find((d) => d.reason.startsWith('missing value'))?.count, 1);
  cols.x[7] = 1e200;
  assert.throws(
    () => feols(data, 'y ~ x | id + t'),
    (e: any) => e.code === 'VALUE_TOO_LARGE',
  );
});

test('missing keys read through interned codes (a loaded file) drop the rows the strings would', async () => {
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { frameSource, readFrame } = await import('../../src/data');
  const lines = ['y,x,u,t,c'];
  for (let i = 0; i < 240; i++) {
    const u = i % 24 === 5 ? (i % 48 === 5 ? 'NA' : '') : `u${i % 24}`;
    const c = i === 17 ? '' : `c${i % 6}`;
    lines.push(`${Math.sin(i) + (i % 24) / 7},${Math.cos(i * 1.3)},${u},${2000 + (i % 10)},${c}`);
  }
  const file = join(mkdtempSync(join(tmpdir(), 'nqp-keys-')), 'keys.csv');
  writeFileSync(file, `${lines.join('\n')}\n`);
  const frame = frameSource(readFrame(file, { textColumns: new Set(['u', 't', 'c']) }));
  assert.ok(frame.factor('u'), 'the unit key is interned');
  // The same data as plain columns: strings, null where the reader reads a missing cell.
  const plain = {
    columnNames: () => frame.columnNames(),
    numRows: () => frame.numRows(),
    array: (v: string) => frame.array(v),
  };
  const f = 'y ~ x | u + t';
  const a = feols(frame, f, { vcov: { cluster: 'c' } });
  const b = feols(plain, f, { vcov: { cluster: 'c' } });
  assert.equal(a.sample.used, 240 - 10 - 1);
  assert.deepEqual(a.sample, b.sample);
  assert.deepEqual(a.coefficients, b.coefficients);
});
