/**
 * Least squares on long columns: Householder QR with column pivoting (rank and collinearity found the way R's
 * dqrdc2 does: a column whose remaining norm falls below tol × its original norm is moved to the end and dropped),
 * with a Cholesky fast path for well-conditioned designs. Data are one Float64Array per column.
 */
import { cholesky, invSym, invUpper, type Mat } from './linalg';
import { ddLeastSquares } from './dd-qr';
import { residualDD } from './ddouble';
import { refineInverse, refineLeastSquares, type HouseholderFactors } from './refine';
import { reduceRows, type RowSplit, serialSplit } from './row-kernels';

export interface QrFit {
  /** Indices (into the input columns) kept, in input order. */
  kept: number[];
  /** Indices dropped as collinear. */
  dropped: number[];
  /** Coefficients for the kept columns (input order). */
  coef: Float64Array;
  /** (X'X)^{-1} for the kept columns (input order). */
  xtxInv: Mat;
  /** Residuals y − Xb. */
  resid: Float64Array;
}

/**
 * Least squares by Householder QR with limited column pivoting. `cols` are not modified.
 * @param tol relative norm tolerance for collinearity (default 1e-10)
 * @param split how the row-wise sums of the fast path run (default: on this thread; the same numbers either way)
 * @param cross crossProducts([...cols, y], split), where the caller has it already
 */
export function qrLeastSquares(
  cols: Float64Array[],
  y: Float64Array,
  tol = 1e-10,
  split = serialSplit,
  cross?: Mat,
): QrFit {
  return choleskyFastPath(cols, y, split, cross) ?? householderLeastSquares(cols, y, tol);
}

/**
 * Well-conditioned problems are solved from the equilibrated cross-product matrix (unit diagonal) by Cholesky:
 * several times faster than Householder QR on long data. L_jj² of that factor is the share of column j's norm²
 * not explained by the columns before it (the quantity QR pivots on), so when every L_jj² exceeds 1e-4 the
 * matrix is well-conditioned (cond ≲ 1e5, error ≲ 1e-10 relative) and Cholesky is as accurate as QR for our
 * purposes; otherwise (near-collinear data such as NIST Longley, or columns to drop) QR takes over. Every sum over
 * rows is a reduction of row-kernels.ts (two fixed halves of the rows, added).
 */
function choleskyFastPath(cols: Float64Array[], y: Float64Array, split: RowSplit, cross?: Mat): QrFit | undefined {
  const k = cols.length;
  if (k === 0) return undefined;
  const GG = cross ?? crossProducts([...cols, y], split);
  const G: Mat = GG.slice(0, k).map((r) => r.slice(0, k));
  const b = GG.slice(0, k).map((r) => r[k]);
  const d = G.map((r, j) => Math.sqrt(r[j]));
  if (d.some((v) => !(v > 0) || !Number.isFinite(v))) return undefined;
  const E = G.map((r, i) => r.map((v, j) => v / (d[i] * d[j])));
  const L = cholesky(E);
  if (!L || L.some((r, j) => r[j] * r[j] < 1e-4)) return undefined;
  const Einv = invSym(E);
  const xtxInv = Einv.map((r, i) => r.map((v, j) => v / (d[i] * d[j])));
  const coef = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    let s = 0;
    for (let j = 0; j < k; j++) s += xtxInv[i][j] * b[j];
    coef[i] = s;
  }
  // One step of iterative refinement on the normal equations: b += (X'X)^{-1} X'(y − Xb). The residuals and X'r
  // are taken in one pass; the coefficients are copied, since a second thread reads them from shared memory.
  const resid = split.alloc(y.length);
  const b0 = split.alloc(k);
  b0.set(coef);
  const corr = reduceRows(split, { kind: 'residCross', cols, y, coef: b0, r: resid });
  for (let i = 0; i < k; i++) {
    let s = 0;
    for (let j = 0; j < k; j++) s += xtxInv[i][j] * corr[j];
    coef[i] += s;
  }
  b0.set(coef);
  split.run({ kind: 'resid', cols, y, coef: b0, r: resid });
  return { kept: cols.map((_, i) => i), dropped: [], coef, xtxInv, resid };
}

/** Cross-product matrix of long columns (a row-kernels.ts reduction: the same numbers on one thread or two). */
export function crossProducts(cols: Float64Array[], split: RowSplit = serialSplit): Mat {
  return crossMatrix(reduceRows(split, { kind: 'cross', cols }), cols.length);
}

/** The symmetric k × k matrix from the upper triangle a 'cross' row task gives (row-kernels.ts). */
export function crossMatrix(flat: Float64Array, k: number): Mat {
  const C: Mat = Array.from({ length: k }, (_, a) => Array.from(flat.subarray(a * k, (a + 1) * k)));
  for (let a = 0; a < k; a++) for (let c = 0; c < a; c++) C[a][c] = C[c][a];
  return C;
}

/** Householder QR with limited column pivoting (R's dqrdc2 rule). */
export function householderLeastSquares(cols: Float64Array[], y: Float64Array, tol = 1e-10): QrFit {
  const n = y.length;
  const k = cols.length;
  const A = cols.map((c) => Float64Array.from(c));
  const b = Float64Array.from(y);
  const order = Array.from({ length: k }, (_, i) => i);
  const origNorm = A.map((c) => Math.sqrt(dot(c, c, 0)));
  let rank = 0;
  let last = k; // columns at [last, k) are dropped
  const house: HouseholderFactors['house'] = [];
  let j = 0;
  while (j < last) {
    const col = A[j];
    const norm = Math.sqrt(dot(col, col, rank));
    if (origNorm[j] === 0 || norm <= tol * origNorm[j]) {
      // Move column j to the end (it is collinear with those before it).
      const cj = A.splice(j, 1)[0];
      A.push(cj);
      const oj = order.splice(j, 1)[0];
      order.push(oj);
      const nj = origNorm.splice(j, 1)[0];
      origNorm.push(nj);
      last--;
      continue;
    }
    // Householder reflection zeroing col[rank+1..n) .
    const alpha = col[rank] > 0 ? -norm : norm;
    const v = new Float64Array(n - rank);
    for (let i = rank; i < n; i++) v[i - rank] = col[i];
    v[0] -= alpha;
    const vnorm2 = dot(v, v, 0);
    const beta = vnorm2 === 0 ? 0 : 2 / vnorm2;
    house.push({ v, beta, off: rank });
    for (let c = j; c < k; c++) applyHouse(A[c], v, beta, rank);
    applyHouse(b, v, beta, rank);
    rank++;
    j++;
  }
  // R is A[c][0..rank) for c < rank; back-substitute R coef = (Q'y)[0..rank).
  let coefPiv: Float64Array = new Float64Array(rank);
  for (let i = rank - 1; i >= 0; i--) {
    let s = b[i];
    for (let c = i + 1; c < rank; c++) s -= A[c][i] * coefPiv[c];
    coefPiv[i] = s / A[i][i];
  }
  // R^{-1} (upper triangular; column c of R is A[c][0..c]), then (X'X)^{-1} = R^{-1} R^{-T}.
  const Rinv = invUpper(
    Array.from({ length: rank }, (_, i) => Array.from({ length: rank }, (_, c) => (c >= i ? A[c][i] : 0))),
  );
  const xtxPiv: Mat = Array.from({ length: rank }, () => new Array<number>(rank).fill(0));
  for (let i = 0; i < rank; i++) {
    for (let m = i; m < rank; m++) {
      let s = 0;
      for (let c = m; c < rank; c++) s += Rinv[i][c] * Rinv[m][c];
      xtxPiv[i][m] = s;
      xtxPiv[m][i] = s;
    }
  }
  // Iterative refinement in double-double (refine.ts): this path runs for ill-conditioned designs (the Cholesky
  // fast path declined them), where plain QR loses digits in proportion to the condition number. Skipped only
  // for very long designs (more than 2·10⁷ cells), where its passes over the data would cost more than the fit.
  let residPiv: Float64Array | undefined;
  if (rank > 0 && n * rank <= 2e7) {
    const keptCols = order.slice(0, rank).map((i) => cols[i]);
    const R: Mat = Array.from({ length: rank }, (_, i) =>
      Array.from({ length: rank }, (_, c) => (c >= i ? A[c][i] : 0)),
    );
    const refined = refineLeastSquares(keptCols, y, coefPiv, { house, R });
    const inv = refineInverse(keptCols, xtxPiv);
    if ((!refined.converged || !inv.converged) && n * rank <= 1e6) {
      // Too ill-conditioned to refine from double factors: factor again in double-double (dd-qr.ts).
      const dd = ddLeastSquares(keptCols, y);
      coefPiv = dd.coef;
      residPiv = residualDD(keptCols, dd.coef, y);
      for (let i = 0; i < rank; i++) for (let m = 0; m < rank; m++) xtxPiv[i][m] = dd.xtxInv[i][m];
    } else {
      coefPiv = refined.coef;
      residPiv = refined.resid;
      for (let i = 0; i < rank; i++) for (let m = 0; m < rank; m++) xtxPiv[i][m] = inv.Z[i][m];
    }
  }
  // Back to input order for the kept columns.
  const keptPiv = order.slice(0, rank);
  const sortIdx = keptPiv.map((_, i) => i).sort((a, c) => keptPiv[a] - keptPiv[c]);
  const kept = sortIdx.map((i) => keptPiv[i]);
  const coef = Float64Array.from(sortIdx, (i) => coefPiv[i]);
  const xtxInv = sortIdx.map((i) => sortIdx.map((m) => xtxPiv[i][m]));
  const resid = residPiv ?? Float64Array.from(y);
  if (!residPiv) {
    for (let c = 0; c < kept.length; c++) {
      const x = cols[kept[c]];
      const bc = coef[c];
      for (let i = 0; i < n; i++) resid[i] -= x[i] * bc;
    }
  }
  return { kept, dropped: order.slice(rank).sort((a, c) => a - c), coef, xtxInv, resid };
}

function dot(a: Float64Array, b: Float64Array, from: number): number {
  let s = 0;
  for (let i = from; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function applyHouse(x: Float64Array, v: Float64Array, beta: number, off: number): void {
  if (beta === 0) return;
  let s = 0;
  const m = v.length;
  for (let i = 0; i < m; i++) s += v[i] * x[off + i];
  s *= beta;
  for (let i = 0; i < m; i++) x[off + i] -= s * v[i];
}
