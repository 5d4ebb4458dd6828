/**
 * Householder QR carried out entirely in double-double arithmetic (about 32 digits), for the rare small designs
 * so ill-conditioned that refinement from a double-precision QR cannot converge (cond(X)·ε near 1, as NIST's
 * Filip, degree-10 polynomial, cond ≈ 1.8·10¹⁵). Its errors scale with cond(X)·10⁻³², so the answer is good to
 * the last double digit. Used on full-rank columns only (rank was settled by the double QR), and only when
 * rows × columns ≤ 10⁶: each operation costs some twenty double ones.
 */
import { prodLo, twoProd } from './ddouble';
import type { Mat } from './linalg';

type DD = [number, number];

function quickTwoSum(a: number, b: number): DD {
  const s = a + b;
  return [s, b - (s - a)];
}
function twoSum(a: number, b: number): DD {
  const s = a + b;
  const bb = s - a;
  return [s, a - (s - bb) + (b - bb)];
}
function twoProdPair(a: number, b: number): DD {
  const p = twoProd(a, b);
  return [p, prodLo];
}
export function add(a: DD, b: DD): DD {
  const [s, e] = twoSum(a[0], b[0]);
  const [t, f] = twoSum(a[1], b[1]);
  const [s2, e2] = quickTwoSum(s, e + t);
  return quickTwoSum(s2, e2 + f);
}
export function neg(a: DD): DD {
  return [-a[0], -a[1]];
}
export function mul(a: DD, b: DD): DD {
  const [p, e] = twoProdPair(a[0], b[0]);
  return quickTwoSum(p, e + (a[0] * b[1] + a[1] * b[0]));
}
export function div(a: DD, b: DD): DD {
  const q1 = a[0] / b[0];
  const r = add(a, neg(mul(b, [q1, 0])));
  const q2 = r[0] / b[0];
  const r2 = add(r, neg(mul(b, [q2, 0])));
  const q3 = r2[0] / b[0];
  return add(quickTwoSum(q1, q2), [q3, 0]);
}
export function sqrt(a: DD): DD {
  if (a[0] <= 0) return [0, 0];
  const x = Math.sqrt(a[0]);
  const r = add(a, neg(twoProdPair(x, x)));
  return quickTwoSum(x, r[0] / (2 * x));
}

/**
 * Least squares by double-double Householder QR: coefficients, (X'X)⁻¹ and residuals, each rounded to double
 * once at the end.
 */
export function ddLeastSquares(cols: Float64Array[], y: Float64Array): { coef: Float64Array; xtxInv: Mat } {
  const n = y.length;
  const k = cols.length;
  const A: DD[][] = cols.map((c) => Array.from(c, (v): DD => [v, 0]));
  const b: DD[] = Array.from(y, (v): DD => [v, 0]);
  for (let j = 0; j < k; j++) {
    const col = A[j];
    let s: DD = [0, 0];
    for (let i = j; i < n; i++) s = add(s, mul(col[i], col[i]));
    const norm = sqrt(s);
    const alpha: DD = col[j][0] > 0 ? neg(norm) : norm;
    const v: DD[] = col.slice(j);
    v[0] = add(v[0], neg(alpha));
    let vv: DD = [0, 0];
    for (const x of v) vv = add(vv, mul(x, x));
    if (vv[0] === 0) continue;
    const beta = div([2, 0], vv);
    const apply = (x: DD[]) => {
      let d: DD = [0, 0];
      for (let i = 0; i < v.length; i++) d = add(d, mul(v[i], x[j + i]));
      const f = mul(beta, d);
      for (let i = 0; i < v.length; i++) x[j + i] = add(x[j + i], neg(mul(f, v[i])));
    };
    for (let c = j; c < k; c++) apply(A[c]);
    apply(b);
  }
  // Back substitution R coef = (Q'y)[0..k); R⁻¹ column by column; (X'X)⁻¹ = R⁻¹R⁻ᵀ.
  const coef: DD[] = new Array(k);
  for (let i = k - 1; i >= 0; i--) {
    let s = b[i];
    for (let c = i + 1; c < k; c++) s = add(s, neg(mul(A[c][i], coef[c])));
    coef[i] = div(s, A[i][i]);
  }
  const Rinv: DD[][] = Array.from({ length: k }, () => Array.from({ length: k }, (): DD => [0, 0]));
  for (let c = 0; c < k; c++) {
    Rinv[c][c] = div([1, 0], A[c][c]);
    for (let i = c - 1; i >= 0; i--) {
      let s: DD = [0, 0];
      for (let m = i + 1; m <= c; m++) s = add(s, mul(A[m][i], Rinv[m][c]));
      Rinv[i][c] = div(neg(s), A[i][i]);
    }
  }
  const xtxInv: Mat = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < k; i++)
    for (let m = i; m < k; m++) {
      let s: DD = [0, 0];
      for (let c = m; c < k; c++) s = add(s, mul(Rinv[i][c], Rinv[m][c]));
      xtxInv[i][m] = xtxInv[m][i] = s[0] + s[1];
    }
  return { coef: Float64Array.from(coef, (d) => d[0] + d[1]), xtxInv };
}
