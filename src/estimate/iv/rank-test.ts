/**
 * The Kleibergen–Paap (2006) rk statistic, as Stata's ranktest computes it: the test of rank(Π) = K − 1 for the
 * first-stage coefficient matrix Π (L × K) after the standardisation Θ = F Π G⁻¹ (F'F = Z'Z, G'G = X'X), with a
 * given covariance of vec(Π̂). The small helpers (vec, Kronecker product, general inverse, SVD) serve it alone.
 */
import { cholesky, eigenSym, invSym, invUpper, matMul, symPower, transpose, type Mat } from '../../math/linalg';

/** Kleibergen–Paap rk statistic for H0: rank(Π) = K − 1, given Π̂ (L × K) and V = Cov(vec Π̂). */
export function rkStatistic(Pi: Mat, V: Mat, ZZ: Mat, XX: Mat): number {
  const L = Pi.length,
    K = Pi[0].length;
  const Fl = cholesky(ZZ); // lower: ZZ = Fl Fl'
  const Gl = cholesky(XX);
  if (!Fl || !Gl) return NaN; // collinear instruments or regressors: the statistic is undefined
  const F = transpose(Fl); // upper, F'F = ZZ
  const Ginv = invUpper(transpose(Gl));
  const theta = matMul(matMul(F, Pi), Ginv); // L × K
  // Covariance of vec(Θ): (G^{-T} ⊗ F) V (G^{-1} ⊗ F')
  const kronA: Mat = kron(transpose(Ginv), F);
  const Vt = matMul(matMul(kronA, V), transpose(kronA));
  // SVD of Θ through eigen-decompositions: Θ = U S W'.
  const { U, W } = svd(theta);
  // L × (L−K+1), (L−K+1)... following Kleibergen & Paap's projection on the smallest singular directions
  let aqq: Mat, bqq: Mat;
  if (K === 1) {
    aqq = U; // L × L orthonormal: sqrt(u u') = I
    bqq = [[1]];
  } else {
    const u12 = U.slice(0, K - 1).map((r) => r.slice(K - 1, L));
    const u22 = U.slice(K - 1, L).map((r) => r.slice(K - 1, L));
    // With V' = W' (rows: right singular vectors): v12 = V'[0..K−2, K−1] = W[K−1][0..K−2], v22 = W[K−1][K−1].
    const v12 = W[K - 1].slice(0, K - 1);
    const v22 = W[K - 1][K - 1];
    const u22sq = symPower(matMul(u22, transpose(u22)), 0.5);
    aqq = matMul([...u12, ...u22], matMul(invGeneral(u22), u22sq));
    const s = Math.abs(v22) / v22;
    bqq = [[...v12.map((x) => s * x), s * v22]]; // 1 × K: sqrt(v22²)·v22^{-1}·[v12' v22]
  }
  const kronv = kron(bqq, transpose(aqq)); // (L−K+1) × (L·K)
  const lambda = matMul(kronv, vecCol(theta));
  const Vl = matMul(matMul(kronv, Vt), transpose(kronv));
  const Vinv = invSym(Vl);
  return matMul(matMul(transpose(lambda), Vinv), lambda)[0][0];
}

function vecCol(A: Mat): Mat {
  const out: Mat = [];
  for (let j = 0; j < A[0].length; j++) for (let i = 0; i < A.length; i++) out.push([A[i][j]]);
  return out;
}
function kron(A: Mat, B: Mat): Mat {
  const out: Mat = [];
  for (let i = 0; i < A.length; i++)
    for (let p = 0; p < B.length; p++) {
      const row: number[] = [];
      for (let j = 0; j < A[0].length; j++) for (let q = 0; q < B[0].length; q++) row.push(A[i][j] * B[p][q]);
      out.push(row);
    }
  return out;
}
function invGeneral(A: Mat): Mat {
  // Gauss–Jordan with partial pivoting for small square matrices.
  const n = A.length;
  const M = A.map((r, i) => [...r, ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r][c]) > Math.abs(M[p][c])) p = r;
    [M[c], M[p]] = [M[p], M[c]];
    const d = M[c][c];
    for (let j = 0; j < 2 * n; j++) M[c][j] /= d;
    for (let r = 0; r < n; r++)
      if (r !== c) {
        const f = M[r][c];
        for (let j = 0; j < 2 * n; j++) M[r][j] -= f * M[c][j];
      }
  }
  return M.map((r) => r.slice(n));
}
/** Full SVD of an L × K matrix (L ≥ K) via eigen-decompositions: U (L × L), W (K × K), singular values decreasing. */
function svd(A: Mat): { U: Mat; W: Mat; s: number[] } {
  const L = A.length,
    K = A[0].length;
  const { values, vectors: W } = eigenSym(matMul(transpose(A), A));
  const s = values.map((v) => Math.sqrt(Math.max(0, v)));
  // U's first K columns: A w_k / s_k; complete to an orthonormal basis by Gram–Schmidt on the identity.
  const cols: number[][] = [];
  for (let k = 0; k < K; k++) {
    const u = A.map((row) => row.reduce((acc, a, j) => acc + a * W[j][k], 0) / (s[k] || 1));
    cols.push(u);
  }
  for (let e = 0; e < L && cols.length < L; e++) {
    const v: number[] = Array.from({ length: L }, (_, i) => (i === e ? 1 : 0));
    for (const c of cols) {
      const d = c.reduce((acc, x, i) => acc + x * v[i], 0);
      for (let i = 0; i < L; i++) v[i] -= d * c[i];
    }
    const nv = Math.sqrt(v.reduce((acc, x) => acc + x * x, 0));
    if (nv > 1e-8) cols.push(v.map((x) => x / nv));
  }
  const U = Array.from({ length: L }, (_, i) => cols.map((c) => c[i]));
  return { U, W, s };
}
