import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as aq from 'arquero';
import { feols } from '../../src/estimate';
import { demeanColumns } from '../../src/estimate/model/demean';
import { qrLeastSquares } from '../../src/math/qr';

// Worker–firm style absorption: worker i is seen at firms i and i + 1, so the bipartite graph of levels is one
// long path. Alternating projections mix slowly there (spectral gap ~ 1/L²) and their stopping rule stopped
// 7e-7 (relative) off the answer on L = 300 with a third fixed effect; demean.ts now finishes such graphs with
// conjugate gradients. The exact answer is least squares on the dummies (small L so the dense QR is quick).
function chain(L: number) {
  const w: number[] = [];
  const f: number[] = [];
  for (let i = 0; i < L; i++) {
    w.push(i, i);
    f.push(i, i + 1);
  }
  const g = w.map((_, i) => i % 2);
  const x = Float64Array.from({ length: w.length }, (_, i) => Math.sin(i * 1.3) + (i % 7) / 3);
  return { w, f, g, x };
}

test('a long chain of levels (3 fixed effects) is absorbed to 1e-8 of the exact dummy solve', () => {
  const L = 150;
  const { w, f, g, x } = chain(L);
  const fes = [
    { codes: Int32Array.from(w), nLevels: L },
    { codes: Int32Array.from(f), nLevels: L + 1 },
    { codes: Int32Array.from(g), nLevels: 2 },
  ];
  const r = demeanColumns([x], fes, { tol: 1e-10 });
  const D: Float64Array[] = [];
  for (let l = 0; l < L; l++) D.push(Float64Array.from(w, (c) => (c === l ? 1 : 0)));
  for (let l = 0; l <= L; l++) D.push(Float64Array.from(f, (c) => (c === l ? 1 : 0)));
  D.push(Float64Array.from(g));
  const exact = qrLeastSquares(D, x, 1e-10).resid;
  let err = 0;
  let scale = 0;
  for (let i = 0; i < x.length; i++) {
    err = Math.max(err, Math.abs(exact[i] - r.out[0][i]));
    scale = Math.max(scale, Math.abs(x[i]));
  }
  console.log(`chain L=${L}: ${r.iterations} iterations, max error ${(err / scale).toExponential(2)} relative`);
  assert.ok(r.converged);
  assert.ok(err / scale < 1e-8, `relative error ${err / scale}`);
});

test('a 1,000-link chain of two fixed effects: every group mean of the absorbed column is zero', () => {
  const L = 1000;
  const { w, f, x } = chain(L);
  const fes = [
    { codes: Int32Array.from(w), nLevels: L },
    { codes: Int32Array.from(f), nLevels: L + 1 },
  ];
  const r = demeanColumns([x], fes, { tol: 1e-10 });
  assert.ok(r.converged);
  let worst = 0;
  for (const fe of fes) {
    const s = new Float64Array(fe.nLevels);
    for (let i = 0; i < x.length; i++) s[fe.codes[i]] += r.out[0][i];
    for (const v of s) worst = Math.max(worst, Math.abs(v));
  }
  // Alternating projections alone left group sums of 1.5e-7 here.
  assert.ok(worst < 1e-12, `largest group sum ${worst}`);
});

test('feols on a chain equals least squares with the dummies', () => {
  const L = 120;
  // Each worker seen three times (firm i, then twice at firm i + 1), so there are residual degrees of freedom.
  const w = Array.from({ length: 3 * L }, (_, i) => Math.floor(i / 3));
  const f = w.map((wi, i) => wi + (i % 3 ? 1 : 0));
  const g = w.map((_, i) => i % 2);
  const x = Float64Array.from(w, (_, i) => Math.sin(i * 1.3) + (i % 7) / 3);
  const y = Float64Array.from(x, (v, i) => 0.7 * v + Math.cos(i * 0.9) + (w[i] % 5) / 4 - (f[i] % 3) / 2);
  const t = aq.table({ y, x, worker: w, firm: f, half: g });
  const m = feols(t, 'y ~ x | worker + firm + half', { vcov: 'iid' });
  const D: Float64Array[] = [x];
  for (let l = 0; l < L; l++) D.push(Float64Array.from(w, (c) => (c === l ? 1 : 0)));
  for (let l = 0; l <= L; l++) D.push(Float64Array.from(f, (c) => (c === l ? 1 : 0)));
  D.push(Float64Array.from(g));
  const q = qrLeastSquares(D, y, 1e-10);
  assert.ok(Math.abs(m.coefficients[0].estimate - q.coef[0]) <= 1e-8 * Math.abs(q.coef[0]));
});
