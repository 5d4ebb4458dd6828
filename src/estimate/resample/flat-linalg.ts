/**
 * Small dense solves on flat row-major buffers that a resampling loop allocates once and reuses in every draw. The
 * arithmetic is math/linalg's (cholesky, choleskySolve) operation for operation, so a draw's numbers do not depend
 * on which of the two computed them (tests/estimate/resample-draws.test.ts checks this bit for bit).
 */

/**
 * Cholesky factor of the n×n matrix A (row-major) into L (lower part written); false when A is not positive
 * definite. The arithmetic of math/linalg's cholesky, on flat buffers a draw reuses.
 */
export function choleskyFlat(A: Float64Array, n: number, L: Float64Array): boolean {
  for (let j = 0; j < n; j++) {
    const jn = j * n;
    let s = A[jn + j];
    for (let m = 0; m < j; m++) s -= L[jn + m] * L[jn + m];
    if (!(s > 0)) return false;
    const d = Math.sqrt(s);
    L[jn + j] = d;
    for (let i = j + 1; i < n; i++) {
      const in_ = i * n;
      let t = A[in_ + j];
      for (let m = 0; m < j; m++) t -= L[in_ + m] * L[jn + m];
      L[in_ + j] = t / d;
    }
  }
  return true;
}

/** Solve (L L') x = v (math/linalg's choleskySolve on flat buffers): z is scratch, x the answer (length n). */
export function choleskySolveFlat(
  L: Float64Array,
  n: number,
  v: Float64Array,
  z: Float64Array,
  x: Float64Array,
): Float64Array {
  for (let i = 0; i < n; i++) {
    let s = v[i];
    for (let j = 0; j < i; j++) s -= L[i * n + j] * z[j];
    z[i] = s / L[i * n + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = z[i];
    for (let j = i + 1; j < n; j++) s -= L[j * n + i] * x[j];
    x[i] = s / L[i * n + i];
  }
  return x;
}

/** Buffers of olsInto for up to `p` regressors. */
export interface OlsBuffers {
  A: Float64Array;
  L: Float64Array;
  v: Float64Array;
  z: Float64Array;
  x: Float64Array;
}

export function newOlsBuffers(p: number): OlsBuffers {
  return {
    A: new Float64Array(p * p),
    L: new Float64Array(p * p),
    v: new Float64Array(p),
    z: new Float64Array(p),
    x: new Float64Array(p),
  };
}

/**
 * Least-squares coefficients of column y on columns xs from the cross-product matrix C (k×k, flat; no data pass),
 * into `buf.x` (NaN when X'X is not positive definite); valid until the next call with the same buffers.
 */
export function olsInto(C: Float64Array, k: number, xs: ArrayLike<number>, y: number, buf: OlsBuffers): Float64Array {
  const p = xs.length;
  const { A, L, v, z } = buf;
  const x = p === buf.x.length ? buf.x : buf.x.subarray(0, p);
  for (let a = 0; a < p; a++) {
    const ra = xs[a] * k;
    for (let b = 0; b < p; b++) A[a * p + b] = C[ra + xs[b]];
    v[a] = C[ra + y];
  }
  if (!choleskyFlat(A, p, L)) return x.fill(NaN);
  return choleskySolveFlat(L, p, v, z, x);
}
