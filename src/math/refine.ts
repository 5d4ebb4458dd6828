/**
 * Iterative refinement of a least-squares solution from its Householder QR, for ill-conditioned designs (the
 * Cholesky fast path of qr.ts handles the others):
 *
 * - coefficients and residuals by Björck's (1967) refinement of the augmented system [I X; X' 0][r; b] = [y; 0]:
 *   each step computes f = y − r − Xb and g = −X'r in double-double (ddouble.ts), then the corrections from the
 *   same QR factors: h = R⁻ᵀg, d = Q'f, δb = R⁻¹(d₁ − h), δr = Q[h; d₂]. Unlike refining b alone, this converges
 *   for problems with large residuals (NIST Filip) as long as cond(X)·ε < 1;
 * - (X'X)⁻¹, whose diagonal gives the standard errors: Z ← Z + Z₀(I − MZ) with M = X'X formed and multiplied in
 *   double-double, Z₀ = R⁻¹R⁻ᵀ.
 */
import type { Mat } from './linalg';
import { dot2, dot2Pair, prodLo, residualDD, twoProd } from './ddouble';

export interface HouseholderFactors {
  /** Reflections in order: x ← x − β(v·x[off…])v on x[off…]. */
  house: { v: Float64Array; beta: number; off: number }[];
  /** R (rank × rank, upper). */
  R: Mat;
}

function reflect(x: Float64Array, h: HouseholderFactors['house'][number]): void {
  const { v, beta, off } = h;
  if (beta === 0) return;
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * x[off + i];
  s *= beta;
  for (let i = 0; i < v.length; i++) x[off + i] -= s * v[i];
}

function solveUpper(R: Mat, d: ArrayLike<number>): Float64Array {
  const k = R.length;
  const out = new Float64Array(k);
  for (let i = k - 1; i >= 0; i--) {
    let s = d[i];
    for (let c = i + 1; c < k; c++) s -= R[i][c] * out[c];
    out[i] = s / R[i][i];
  }
  return out;
}

function solveLowerT(R: Mat, g: ArrayLike<number>): Float64Array {
  // Rᵀ h = g, Rᵀ lower triangular.
  const k = R.length;
  const out = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    let s = g[i];
    for (let c = 0; c < i; c++) s -= R[c][i] * out[c];
    out[i] = s / R[i][i];
  }
  return out;
}

/** Refine b (pivot order, for `cols`) and return it with the residual y − Xb (each row rounded once). */
export function refineLeastSquares(
  cols: Float64Array[],
  y: Float64Array,
  b0: Float64Array,
  qr: HouseholderFactors,
  steps = 10,
): { coef: Float64Array; resid: Float64Array; converged: boolean } {
  const n = y.length;
  const k = cols.length;
  const b = Float64Array.from(b0);
  let r = residualDD(cols, b, y);
  let converged = false;
  let prev = Infinity;
  for (let it = 0; it < steps; it++) {
    const f = residualDD(cols, b, y, r);
    const g = cols.map((x) => -dot2(x, r));
    const h = solveLowerT(qr.R, g);
    for (const hh of qr.house) reflect(f, hh);
    const d1 = Float64Array.from({ length: k }, (_, i) => f[i] - h[i]);
    const db = solveUpper(qr.R, d1);
    const z = Float64Array.from(f);
    for (let i = 0; i < k; i++) z[i] = h[i];
    for (let j = qr.house.length - 1; j >= 0; j--) reflect(z, qr.house[j]);
    let change = 0;
    for (let i = 0; i < k; i++) {
      b[i] += db[i];
      change = Math.max(change, Math.abs(db[i]) / Math.max(Math.abs(b[i]), 1e-300));
    }
    for (let i = 0; i < n; i++) r[i] += z[i];
    if (change < 1e-15) {
      converged = true;
      break;
    }
    // Corrections that stop shrinking: cond(X)·ε is too near 1 for the double factors (see dd-qr.ts).
    if (change > 0.5 * prev) break;
    prev = change;
  }
  r = residualDD(cols, b, y);
  return { coef: b, resid: r, converged };
}

/** Refine Z ≈ (X'X)⁻¹ (pivot order) against M = X'X held in double-double. */
export function refineInverse(cols: Float64Array[], Z0: Mat, steps = 10): { Z: Mat; converged: boolean } {
  const k = cols.length;
  const hi: Mat = [];
  const lo: Mat = [];
  for (let i = 0; i < k; i++) {
    hi.push(new Array<number>(k));
    lo.push(new Array<number>(k));
  }
  for (let i = 0; i < k; i++) {
    for (let j = i; j < k; j++) {
      const [h, l] = dot2Pair(cols[i], cols[j]);
      hi[i][j] = hi[j][i] = h;
      lo[i][j] = lo[j][i] = l;
    }
  }
  let Z = Z0.map((row) => row.slice());
  let prev = Infinity;
  for (let it = 0; it < steps; it++) {
    // E = I − M Z, each entry accumulated in double-double.
    const E: Mat = Array.from({ length: k }, () => new Array<number>(k).fill(0));
    for (let i = 0; i < k; i++) {
      for (let c = 0; c < k; c++) {
        let s = i === c ? 1 : 0;
        let e = 0;
        for (let j = 0; j < k; j++) {
          for (const m of [hi[i][j], lo[i][j]]) {
            const p = -twoProd(m, Z[j][c]);
            const pl = -prodLo;
            const t = s + p;
            const w = t - s;
            e += s - (t - w) + (p - w) + pl;
            s = t;
          }
        }
        E[i][c] = s + e;
      }
    }
    const size = Math.max(...E.map((row) => Math.max(...row.map(Math.abs))));
    if (size < 1e-16) return { Z, converged: true };
    if (!(size < 0.5 * prev)) return { Z: Z0, converged: false };
    prev = size;
    const next: Mat = Z.map((row) => row.slice());
    for (let i = 0; i < k; i++)
      for (let c = 0; c < k; c++) {
        let s = 0;
        for (let j = 0; j < k; j++) s += Z0[i][j] * E[j][c];
        next[i][c] += s;
      }
    Z = next.map((row, i) => row.map((v, c) => (v + next[c][i]) / 2));
  }
  return { Z, converged: true };
}
