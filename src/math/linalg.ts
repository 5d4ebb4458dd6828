/**
 * Small dense matrices (number[][], row-major): Cholesky, inverses, symmetric powers, Jacobi eigen-decomposition,
 * products and the Wald form. Least squares on long columns is in qr.ts.
 */

export type Mat = number[][];

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
