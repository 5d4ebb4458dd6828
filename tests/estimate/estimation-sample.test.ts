import { test } from 'node:test';
import assert from 'node:assert/strict';
import { estimationSample, feols } from '../../src/estimate';
import { fixtureTable, relDiff } from '../helpers';

// With one instrument, 2SLS is the reduced form over the first stage, but only on one sample: estimationSample gives
// the 2SLS rows, so the identity holds even when the three models would otherwise use different rows.
test('reduced form / first stage on the 2SLS sample equals the 2SLS estimate', () => {
  const cig = fixtureTable('cigarettes.csv');
  const n = cig.numRows();
  const y = Float64Array.from(cig.array('lpacks') as ArrayLike<number>);
  for (let i = 0; i < n; i += 7) y[i] = NaN; // outcome holes: the first stage alone would keep these rows
  const data = cig.assign({ lpacks: Array.from(y) });
  const iv = feols(data, 'lpacks ~ lrincome | state + year | lrprice ~ tdiff', { vcov: { cluster: 'state' } });
  const s = estimationSample(iv);
  assert.equal(s.numRows(), iv.fit.nObs);
  assert.ok(iv.fit.nObs < n);
  const first = feols(s, 'lrprice ~ tdiff + lrincome | state + year', { vcov: 'iid' });
  const reduced = feols(s, 'lpacks ~ tdiff + lrincome | state + year', { vcov: 'iid' });
  const b = (m: typeof iv, t: string) => m.coefficients.find((r) => r.term === t)!.estimate;
  assert.ok(relDiff(b(reduced, 'tdiff') / b(first, 'tdiff'), b(iv, 'lrprice')) < 1e-10);
  // On all rows the first stage uses more of them, and the ratio is off.
  const firstAll = feols(data, 'lrprice ~ tdiff + lrincome | state + year', { vcov: 'iid' });
  assert.ok(firstAll.fit.nObs > iv.fit.nObs);
  assert.ok(relDiff(b(reduced, 'tdiff') / b(firstAll, 'tdiff'), b(iv, 'lrprice')) > 1e-6);
});
