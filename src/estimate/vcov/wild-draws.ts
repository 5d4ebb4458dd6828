/**
 * The arithmetic of the wild cluster bootstrap, by per-cluster precomputation (Roodman, MacKinnon, Nielsen & Webb
 * 2019, "Fast and wild"): no refit per draw.
 *
 * Model after absorbing the fixed effects: ỹ = X̃β + u, clusters g = 1..G, A = (X̃'X̃)⁻¹, z = X̃A e_j (so that
 * β̂_j = z'ỹ). Under H0: β_j = β0 the restricted residuals are ũ(β0) = r_y − β0 r_x, with r_y, r_x the residuals
 * of ỹ and x̃_j on the other regressors. A draw multiplies cluster g's restricted residuals by v_g:
 *
 *   β̂*_j − β0 = Σ_g v_g c_g,                 c_g = z_g'ũ_g
 *   score of cluster g:  s*_g = c_g v_g − Σ_h [z_g'(P_D(ũ∘1_h))_g + (X̃_g'z_g)'A X̃_h'ũ_h] v_h
 *
 * where P_D projects on the fixed-effect dummies that the refit re-estimates on every draw. Fixed effects nested
 * in the clusters drop out of that term; for the others, P_D = W(W'W)⁺W' with W their dummies after absorbing the
 * nested ones, so the G×G matrix is diag(c) − E·F with E = [Z'W | X̃'z per cluster] (G×m) and F (m×G), m = levels
 * of the non-nested effects + regressors: each draw costs O(G·m), not O(G²) or a refit.
 *
 * Everything is linear in β0 (ũ is), so each draw keeps five numbers and the bootstrap t of any β0 follows:
 *   t*(β0) = (n0 + β0·n1) / √(q00 + 2β0·q01 + β0²·q11).
 * Without the null imposed (WCU) ũ is the unrestricted residual and the draws do not depend on β0.
 * The small-sample factor multiplies the original and every bootstrap variance alike and cancels.
 */
import type { Mat } from '../../math/linalg';
import { pinvSym } from '../../math/linalg';

export interface WildInput {
  /** Absorbed regressors (kept columns) and A = (X̃'X̃)⁻¹. */
  X: Float64Array[];
  A: Mat;
  j: number;
  /** Restricted residual pieces: ũ(β0) = ry − β0·rx (rx all zero for WCU). */
  ry: Float64Array;
  rx: Float64Array;
  /** Bootstrap cluster per row, 0..G−1. */
  cluster: Int32Array;
  G: number;
  /** Non-nested fixed-effect dummies after absorbing the nested ones (may be empty). */
  W: Float64Array[];
}

export interface WildDraws {
  n0: Float64Array;
  n1: Float64Array;
  q00: Float64Array;
  q01: Float64Array;
  q11: Float64Array;
}

/** z = X̃A e_j: the weights that make β̂_j = z'ỹ, and cluster g's score for coefficient j z_g'û_g. */
export function scoreWeights(X: Float64Array[], A: Mat, j: number): Float64Array {
  const n = X[0]?.length ?? 0;
  const z = new Float64Array(n);
  for (let c = 0; c < X.length; c++) {
    const a = A[c][j];
    const x = X[c];
    for (let i = 0; i < n; i++) z[i] += x[i] * a;
  }
  return z;
}

/** Per-cluster sums Σ_{i∈g} a_i b_i. */
export function clusterDot(a: Float64Array, b: Float64Array, cluster: Int32Array, G: number): Float64Array {
  const out = new Float64Array(G);
  for (let i = 0; i < a.length; i++) out[cluster[i]] += a[i] * b[i];
  return out;
}

/** Precomputed pieces: c(β0) = c0 + β0·c1 and F(β0) = F0 + β0·F1 (rows of F are m-vectors over clusters). */
interface Pieces {
  c0: Float64Array;
  c1: Float64Array;
  /** E as m columns of length G. */
  E: Float64Array[];
  F0: Float64Array[];
  F1: Float64Array[];
}

function precompute(inp: WildInput): Pieces {
  const { X, A, j, ry, rx, cluster, G, W } = inp;
  const k = X.length;
  const z = scoreWeights(X, A, j);
  const negRx = Float64Array.from(rx, (v) => -v);
  const c0 = clusterDot(z, ry, cluster, G);
  const c1 = clusterDot(z, negRx, cluster, G);
  const E: Float64Array[] = [];
  const F0: Float64Array[] = [];
  const F1: Float64Array[] = [];
  // Fixed effects re-estimated on every draw and not nested in the clusters: Q = (Z'W)(W'W)⁺(W'ũ).
  if (W.length) {
    const WtW: Mat = W.map((a) => W.map((b) => dot(a, b)));
    const P = pinvSym(WtW, 1e-10);
    const ZW = W.map((w) => clusterDot(z, w, cluster, G));
    const Wy = W.map((w) => clusterDot(w, ry, cluster, G));
    const Wx = W.map((w) => clusterDot(w, negRx, cluster, G));
    for (let l = 0; l < W.length; l++) {
      E.push(ZW[l]);
      const f0 = new Float64Array(G);
      const f1 = new Float64Array(G);
      for (let m = 0; m < W.length; m++) {
        const p = P[l][m];
        if (p === 0) continue;
        for (let h = 0; h < G; h++) {
          f0[h] += p * Wy[m][h];
          f1[h] += p * Wx[m][h];
        }
      }
      F0.push(f0);
      F1.push(f1);
    }
  }
  // The regressors' part: (X̃_g'z_g)' A X̃_h'ũ_h.
  const D = X.map((x) => clusterDot(x, z, cluster, G));
  const Sy = X.map((x) => clusterDot(x, ry, cluster, G));
  const Sx = X.map((x) => clusterDot(x, negRx, cluster, G));
  for (let c = 0; c < k; c++) {
    E.push(D[c]);
    const f0 = new Float64Array(G);
    const f1 = new Float64Array(G);
    for (let d = 0; d < k; d++) {
      const a = A[c][d];
      for (let h = 0; h < G; h++) {
        f0[h] += a * Sy[d][h];
        f1[h] += a * Sx[d][h];
      }
    }
    F0.push(f0);
    F1.push(f1);
  }
  return { c0, c1, E, F0, F1 };
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/**
 * Run the draws. `fill(b, v)` writes draw b's G weights into v.
 */
export function wildDraws(inp: WildInput, reps: number, fill: (b: number, v: Float64Array) => void): WildDraws {
  const { G } = inp;
  const { c0, c1, E, F0, F1 } = precompute(inp);
  const m = E.length;
  const out: WildDraws = {
    n0: new Float64Array(reps),
    n1: new Float64Array(reps),
    q00: new Float64Array(reps),
    q01: new Float64Array(reps),
    q11: new Float64Array(reps),
  };
  const v = new Float64Array(G);
  const f0 = new Float64Array(m);
  const f1 = new Float64Array(m);
  const s0 = new Float64Array(G);
  const s1 = new Float64Array(G);
  for (let b = 0; b < reps; b++) {
    fill(b, v);
    let n0 = 0;
    let n1 = 0;
    for (let g = 0; g < G; g++) {
      n0 += c0[g] * v[g];
      n1 += c1[g] * v[g];
      s0[g] = c0[g] * v[g];
      s1[g] = c1[g] * v[g];
    }
    for (let l = 0; l < m; l++) {
      const a0 = F0[l];
      const a1 = F1[l];
      let x0 = 0;
      let x1 = 0;
      for (let h = 0; h < G; h++) {
        x0 += a0[h] * v[h];
        x1 += a1[h] * v[h];
      }
      f0[l] = x0;
      f1[l] = x1;
    }
    for (let l = 0; l < m; l++) {
      const e = E[l];
      const x0 = f0[l];
      const x1 = f1[l];
      for (let g = 0; g < G; g++) {
        s0[g] -= e[g] * x0;
        s1[g] -= e[g] * x1;
      }
    }
    let q00 = 0;
    let q01 = 0;
    let q11 = 0;
    for (let g = 0; g < G; g++) {
      q00 += s0[g] * s0[g];
      q01 += s0[g] * s1[g];
      q11 += s1[g] * s1[g];
    }
    out.n0[b] = n0;
    out.n1[b] = n1;
    out.q00[b] = q00;
    out.q01[b] = q01;
    out.q11[b] = q11;
  }
  return out;
}

/**
 * Share of draws whose |t*(β0)| exceeds |t| (fwildclusterboot's "two-tailed", boottest's symmetric p). Under the
 * null imposed, the draws v = ±1 reproduce ±t exactly; such ties count as not exceeding (as in fwildclusterboot),
 * with a relative margin of 1e-9 so that rounding cannot decide them.
 */
export function wildPValue(d: WildDraws, beta0: number, tAbs: number): number {
  return countBeyond(d.n0, d.n1, d.q00, d.q01, d.q11, beta0, tAbs * (1 + 1e-9)) / d.n0.length;
}

/**
 * Draws whose |t*(β0)| exceeds `bar`. A loop with nothing after it but its count: the engine optimises it while it
 * runs (a p-value takes thousands of draws), and the code it makes stays good for every later call; with more work
 * after the loop, that code met the work untried and was thrown away, call after call, along a test inversion.
 */
function countBeyond(
  n0: Float64Array,
  n1: Float64Array,
  q00: Float64Array,
  q01: Float64Array,
  q11: Float64Array,
  beta0: number,
  bar: number,
): number {
  let count = 0;
  for (let b = 0; b < n0.length; b++) {
    const num = n0[b] + beta0 * n1[b];
    const den = q00[b] + 2 * beta0 * q01[b] + beta0 * beta0 * q11[b];
    count += den > 0 && Math.abs(num) / Math.sqrt(den) > bar ? 1 : 0;
  }
  return count;
}
