/**
 * Dense linear algebra on column-major data: Householder QR with column pivoting for least squares (rank and
 * collinearity found the way R's dqrdc2 does: a column whose remaining norm falls below tol × its original norm is
 * moved to the end and dropped), Cholesky for small symmetric matrices, and Jacobi eigen-decomposition.
 * Small matrices are number[][] (row-major); long data are one Float64Array per column.
 */

export type Mat = number[][];

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
 */
export function qrLeastSquares(cols: Float64Array[], y: Float64Array, tol = 1e-10): QrFit {
  return choleskyFastPath(cols, y) ?? householderLeastSquares(cols, y, tol);
}

/**
 * Well-conditioned problems are solved from the equilibrated cross-product matrix (unit diagonal) by Cholesky:
 * several times faster than Householder QR on long data. L_jj² of that factor is the share of column j's norm²
 * not explained by the columns before it (the quantity QR pivots on), so when every L_jj² exceeds 1e-4 the
 * matrix is well-conditioned (cond ≲ 1e5, error ≲ 1e-10 relative) and Cholesky is as accurate as QR for our
 * purposes; otherwise (near-collinear data such as NIST Longley, or columns to drop) QR takes over.
 */
function choleskyFastPath(cols: Float64Array[], y: Float64Array): QrFit | undefined {
  const k = cols.length;
  if (k === 0) return undefined;
  const all = [...cols, y];
  const GG = crossChunked(all);
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
  // One step of iterative refinement on the normal equations: b += (X'X)^{-1} X'(y − Xb).
  let resid = residualChunked(cols, y, coef);
  const corr = crossWith(cols, resid);
  for (let i = 0; i < k; i++) {
    let s = 0;
    for (let j = 0; j < k; j++) s += xtxInv[i][j] * corr[j];
    coef[i] += s;
  }
  resid = residualChunked(cols, y, coef);
  return { kept: cols.map((_, i) => i), dropped: [], coef, xtxInv, resid };
}

const CHUNK = 2048;

/** Cross-product matrix of long columns, computed in row blocks so each block of every column stays in cache. */
export function crossChunked(cols: Float64Array[]): Mat {
  const k = cols.length,
    n = cols[0]?.length ?? 0;
  const C: Mat = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let lo = 0; lo < n; lo += CHUNK) {
    const hi = Math.min(n, lo + CHUNK);
    for (let a = 0; a < k; a++) {
      const xa = cols[a];
      const row = C[a];
      for (let c = a; c < k; c++) {
        const xc = cols[c];
        let s = 0;
        for (let i = lo; i < hi; i++) s += xa[i] * xc[i];
        row[c] += s;
      }
    }
  }
  for (let a = 0; a < k; a++) for (let c = 0; c < a; c++) C[a][c] = C[c][a];
  return C;
}

function crossWith(cols: Float64Array[], r: Float64Array): number[] {
  const out = new Array<number>(cols.length).fill(0);
  const n = r.length;
  for (let lo = 0; lo < n; lo += CHUNK) {
    const hi = Math.min(n, lo + CHUNK);
    for (let a = 0; a < cols.length; a++) {
      const x = cols[a];
      let s = 0;
      for (let i = lo; i < hi; i++) s += x[i] * r[i];
      out[a] += s;
    }
  }
  return out;
}

function residualChunked(cols: Float64Array[], y: Float64Array, b: Float64Array): Float64Array {
  const n = y.length;
  const r = Float64Array.from(y);
  for (let lo = 0; lo < n; lo += CHUNK) {
    const hi = Math.min(n, lo + CHUNK);
    for (let c = 0; c < cols.length; c++) {
      const x = cols[c],
        bc = b[c];
      for (let i = lo; i < hi; i++) r[i] -= x[i] * bc;
    }
  }
  return r;
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
    for (let c = j; c < k; c++) applyHouse(A[c], v, beta, rank);
    applyHouse(b, v, beta, rank);
    rank++;
    j++;
  }
  // R is A[c][0..rank) for c < rank; back-substitute R coef = (Q'y)[0..rank).
  const coefPiv = new Float64Array(rank);
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
  // Back to input order for the kept columns.
  const keptPiv = order.slice(0, rank);
  const sortIdx = keptPiv.map((_, i) => i).sort((a, c) => keptPiv[a] - keptPiv[c]);
  const kept = sortIdx.map((i) => keptPiv[i]);
  const coef = Float64Array.from(sortIdx, (i) => coefPiv[i]);
  const xtxInv = sortIdx.map((i) => sortIdx.map((m) => xtxPiv[i][m]));
  const resid = Float64Array.from(y);
  for (let c = 0; c < kept.length; c++) {
    const x = cols[kept[c]];
    const bc = coef[c];
    for (let i = 0; i < n; i++) resid[i] -= x[i] * bc;
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

/** Cholesky factor L (lower) of a symmetric positive-definite matrix; undefined when not positive definite. */
export function cholesky(A: Mat): Mat | undefined {
  const n = A.length;
  const L: Mat = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let j = 0; j < n; j++) {
    let s = A[j][j];
    for (let m = 0; m < j; m++) s -= L[j][m] * L[j][m];
    if (!(s > 0)) return undefined;
    L[j][j] = Math.sqrt(s);
    for (let i = j + 1; i < n; i++) {
      let t = A[i][j];
      for (let m = 0; m < j; m++) t -= L[i][m] * L[j][m];
      L[i][j] = t / L[j][j];
    }
  }
  return L;
}

/** Solve (L L') x = v by forward and back substitution, given the Cholesky factor L. */
export function choleskySolve(L: Mat, v: ArrayLike<number>): Float64Array {
  const k = L.length;
  const z = new Float64Array(k),
    x = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    let s = v[i];
    for (let j = 0; j < i; j++) s -= L[i][j] * z[j];
    z[i] = s / L[i][i];
  }
  for (let i = k - 1; i >= 0; i--) {
    let s = z[i];
    for (let j = i + 1; j < k; j++) s -= L[j][i] * x[j];
    x[i] = s / L[i][i];
  }
  return x;
}

/** Inverse of a symmetric positive-definite matrix (through Cholesky); falls back to the eigen pseudo-inverse. */
export function invSym(A: Mat): Mat {
  const n = A.length;
  const L = cholesky(A);
  if (!L) return pinvSym(A);
  const Linv: Mat = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let c = 0; c < n; c++) {
    Linv[c][c] = 1 / L[c][c];
    for (let i = c + 1; i < n; i++) {
      let s = 0;
      for (let m = c; m < i; m++) s += L[i][m] * Linv[m][c];
      Linv[i][c] = -s / L[i][i];
    }
  }
  const out: Mat = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let m = i; m < n; m++) s += Linv[m][i] * Linv[m][j];
      out[i][j] = s;
      out[j][i] = s;
    }
  }
  return out;
}

/** Inverse of an upper-triangular matrix (row-major). */
export function invUpper(R: Mat): Mat {
  const n = R.length;
  const out: Mat = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let c = 0; c < n; c++) {
    out[c][c] = 1 / R[c][c];
    for (let i = c - 1; i >= 0; i--) {
      let s = 0;
      for (let m = i + 1; m <= c; m++) s += R[i][m] * out[m][c];
      out[i][c] = -s / R[i][i];
    }
  }
  return out;
}

/**
 * A^p for a symmetric positive semi-definite matrix through its eigen-decomposition; eigenvalues at or below
 * tol × the largest are treated as zero (so p = −1 gives the Moore–Penrose pseudo-inverse, p = ±½ the square root
 * and its inverse on the matrix's range).
 */
export function symPower(A: Mat, p: number, tol = 1e-12): Mat {
  const { values, vectors } = eigenSym(A);
  const n = A.length;
  const maxAbs = Math.max(...values.map(Math.abs), 0);
  const out: Mat = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let k = 0; k < n; k++) {
    if (values[k] <= tol * maxAbs) continue;
    const w = values[k] ** p;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out[i][j] += vectors[i][k] * vectors[j][k] * w;
  }
  return out;
}

/** Moore–Penrose pseudo-inverse of a symmetric positive semi-definite matrix. */
export function pinvSym(A: Mat, tol = 1e-12): Mat {
  return symPower(A, -1, tol);
}

/**
 * Eigen-decomposition of a symmetric matrix by cyclic Jacobi rotations; values in decreasing order, vectors as columns.
 */
export function eigenSym(A: Mat): { values: number[]; vectors: Mat } {
  const n = A.length;
  const a = A.map((r) => r.slice());
  const v: Mat = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) off += a[i][j] * a[i][j];
    if (off < 1e-30) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        if (Math.abs(a[p][q]) < 1e-300) continue;
        const theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k][p],
            akq = a[k][q];
          a[k][p] = c * akp - s * akq;
          a[k][q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p][k],
            aqk = a[q][k];
          a[p][k] = c * apk - s * aqk;
          a[q][k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k][p],
            vkq = v[k][q];
          v[k][p] = c * vkp - s * vkq;
          v[k][q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const idx = Array.from({ length: n }, (_, i) => i).sort((x, y) => a[y][y] - a[x][x]);
  return { values: idx.map((i) => a[i][i]), vectors: v.map((row) => idx.map((i) => row[i])) };
}

export function matMul(A: Mat, B: Mat): Mat {
  const n = A.length,
    m = B[0]?.length ?? 0,
    k = B.length;
  const out: Mat = Array.from({ length: n }, () => new Array<number>(m).fill(0));
  for (let i = 0; i < n; i++)
    for (let l = 0; l < k; l++) {
      const a = A[i][l];
      if (a === 0) continue;
      for (let j = 0; j < m; j++) out[i][j] += a * B[l][j];
    }
  return out;
}

export function transpose(A: Mat): Mat {
  return (A[0] ?? []).map((_, j) => A.map((r) => r[j]));
}

/** B A B' for symmetric A. */
export function sandwich(B: Mat, A: Mat): Mat {
  return matMul(matMul(B, A), transpose(B));
}

export function scale(A: Mat, s: number): Mat {
  return A.map((r) => r.map((x) => x * s));
}

/** The Wald form b′V⁻¹b (V symmetric positive definite; a singular V gives NaN rather than a number). */
export function waldForm(b: ArrayLike<number>, V: Mat): number {
  const L = cholesky(V);
  if (!L) return NaN;
  const z = choleskySolve(L, b);
  let w = 0;
  for (let i = 0; i < b.length; i++) w += b[i] * z[i];
  return w;
}
