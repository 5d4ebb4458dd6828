import { cholesky, choleskySolve } from '../../math/linalg';
import { conjugateGradient } from './demean-cg';
/**
 * Absorbing fixed effects: the within transformation x ↦ M_D x, with D the dummies of one or more fixed effects.
 *
 * One fixed effect: subtract group means (exact). Several: alternating projections (subtract each fixed effect's
 * group means in turn; von Neumann's theorem gives convergence to M_D x), accelerated by Irons–Tuck extrapolation
 * on the iterates, as fixest does. Every iterate differs from x by a combination of dummies, so the extrapolated
 * point stays on the right affine set. In a balanced two-way panel one sweep is already exact. On graphs of levels
 * that mix slowly (long worker–firm chains) conjugate gradients finish the job (FAST_MIXING_ITER).
 */

export interface FeGroup {
  /** Level code per row, 0..nLevels−1. */
  codes: Int32Array;
  nLevels: number;
}

export interface DemeanOptions {
  /** Stop when an iteration changes no element by more than tol × (1 + max|x|). Default 1e-10. */
  tol?: number;
  /** Default 10,000 iterations. */
  maxIter?: number;
}

export interface DemeanResult {
  out: Float64Array;
  iterations: number;
  converged: boolean;
}

function sweep(v: Float64Array, fes: FeGroup[], sums: Float64Array[], counts: Float64Array[]): void {
  const n = v.length;
  for (let g = 0; g < fes.length; g++) {
    const codes = fes[g].codes;
    const s = sums[g];
    const c = counts[g];
    s.fill(0);
    for (let i = 0; i < n; i++) s[codes[i]] += v[i];
    for (let l = 0; l < s.length; l++) s[l] /= c[l];
    for (let i = 0; i < n; i++) v[i] -= s[codes[i]];
  }
}

export function levelCounts(fe: FeGroup): Float64Array {
  const c = new Float64Array(fe.nLevels);
  for (let i = 0; i < fe.codes.length; i++) c[fe.codes[i]]++;
  return c;
}

/** Largest number of levels of the smaller fixed effect for which two-way absorption is solved exactly. */
const EXACT_TWO_WAY_MAX_LEVELS = 400;

/**
 * Demean several columns by the same fixed effects (counts computed once). Two fixed effects of which one has
 * few levels (years, typically) are absorbed exactly by twoWayDemean; otherwise by alternating projections.
 */
export function demeanColumns(
  cols: Float64Array[],
  fes: FeGroup[],
  options: DemeanOptions = {},
): { out: Float64Array[]; iterations: number; converged: boolean } {
  if (fes.length === 0) return { out: cols.map((c) => Float64Array.from(c)), iterations: 0, converged: true };
  if (
    fes.length === 2 &&
    Math.min(fes[0].nLevels, fes[1].nLevels) <= EXACT_TWO_WAY_MAX_LEVELS &&
    Math.min(fes[0].nLevels, fes[1].nLevels) >= 2
  ) {
    const [big, small] = fes[0].nLevels >= fes[1].nLevels ? fes : [fes[1], fes[0]];
    const exact = twoWayDemean(big.codes, big.nLevels, small.codes, small.nLevels, cols);
    if (exact) return { out: exact, iterations: 1, converged: true };
  }
  const counts = fes.map(levelCounts);
  let iterations = 0;
  let converged = true;
  const out = cols.map((c) => {
    const r = demeanWith(c, fes, counts, options);
    iterations = Math.max(iterations, r.iterations);
    converged = converged && r.converged;
    return r.out;
  });
  return { out, iterations, converged };
}

/**
 * Alternating projections with Irons–Tuck converge in a few dozen iterations on panels whose levels mix well
 * (cities × years × provinces); there the change per iteration bounds the error and results are kept as they
 * are. Beyond this many iterations the graph of levels mixes slowly (its spectral gap is small: on a chain of L
 * levels it shrinks like 1/L²), the stopping rule would stop far from the answer (7e-7 relative on a 300-link
 * chain), and conjugate gradients take over.
 */
const FAST_MIXING_ITER = 100;

export function demeanWith(
  x: Float64Array,
  fes: FeGroup[],
  counts: Float64Array[],
  options: DemeanOptions = {},
): DemeanResult {
  const tol = options.tol ?? 1e-10;
  const maxIter = options.maxIter ?? 10_000;
  const n = x.length;
  const sums = fes.map((f) => new Float64Array(f.nLevels));
  const v = Float64Array.from(x);
  sweep(v, fes, sums, counts);
  if (fes.length === 1) return { out: v, iterations: 1, converged: true };
  let scaleX = 0;
  for (let i = 0; i < n; i++) scaleX = Math.max(scaleX, Math.abs(x[i]));
  const thresh = tol * (1 + scaleX);
  const v1 = new Float64Array(n);
  const v2 = new Float64Array(n);
  for (let it = 1; it <= maxIter; it++) {
    if (it > FAST_MIXING_ITER) {
      // A slowly mixing graph of levels (long chains, as in worker–firm data): a small change per iteration no
      // longer means a small error, so finish with conjugate gradients on the normal equations.
      // In exact arithmetic CG ends within (number of levels) iterations; allow three times that for rounding.
      const levels = fes.reduce((a, f) => a + f.nLevels, 0);
      const cg = conjugateGradient(v, fes, counts, Math.max(maxIter - it, 3 * levels));
      return { out: cg.out, iterations: it + cg.iterations, converged: cg.converged };
    }
    v1.set(v);
    sweep(v1, fes, sums, counts);
    let maxd = 0;
    for (let i = 0; i < n; i++) maxd = Math.max(maxd, Math.abs(v1[i] - v[i]));
    if (maxd <= thresh) return { out: v1, iterations: it, converged: true };
    v2.set(v1);
    sweep(v2, fes, sums, counts);
    // Irons–Tuck: v* = v2 − [(Δ2·Δv2) / (Δ2·Δ2)] Δv2, with Δv2 = v2 − v1 and Δ2 = v2 − 2v1 + v.
    let num = 0,
      den = 0;
    for (let i = 0; i < n; i++) {
      const d2 = v2[i] - v1[i];
      const dd = d2 - (v1[i] - v[i]);
      num += dd * d2;
      den += dd * dd;
    }
    if (den > 0) {
      const c = num / den;
      for (let i = 0; i < n; i++) v[i] = v2[i] - c * (v2[i] - v1[i]);
    } else v.set(v2);
  }
  return { out: v, iterations: maxIter, converged: false };
}

/**
 * Rows in singleton groups, found iteratively as reghdfe does (dropping one singleton can create another).
 * Returns a mask: 1 = drop.
 */
export function singletonMask(fes: FeGroup[], n: number): Uint8Array {
  const drop = new Uint8Array(n);
  let changed = true;
  while (changed) {
    changed = false;
    for (const fe of fes) {
      const c = new Int32Array(fe.nLevels);
      for (let i = 0; i < n; i++) if (!drop[i]) c[fe.codes[i]]++;
      for (let i = 0; i < n; i++) {
        if (!drop[i] && c[fe.codes[i]] === 1) {
          drop[i] = 1;
          changed = true;
        }
      }
    }
  }
  return drop;
}

/** Number of connected components of the bipartite graph linking two fixed effects' levels (union–find). */
export function connectedComponents(a: FeGroup, b: FeGroup): number {
  const parent = new Int32Array(a.nLevels + b.nLevels);
  for (let i = 0; i < parent.length; i++) parent[i] = i;
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]];
      x = parent[x];
    }
    return x;
  };
  for (let i = 0; i < a.codes.length; i++) {
    const ra = find(a.codes[i]);
    const rb = find(a.nLevels + b.codes[i]);
    if (ra !== rb) parent[ra] = rb;
  }
  let comps = 0;
  for (let i = 0; i < parent.length; i++) if (find(i) === i) comps++;
  return comps;
}

/** Whether every level of `fe` sits inside a single cluster (the fixed effect is nested in the cluster). */
export function isNested(fe: FeGroup, cluster: Int32Array): boolean {
  const owner = new Int32Array(fe.nLevels).fill(-1);
  for (let i = 0; i < fe.codes.length; i++) {
    const l = fe.codes[i];
    if (owner[l] === -1) owner[l] = cluster[i];
    else if (owner[l] !== cluster[i]) return false;
  }
  return true;
}

/**
 * Exact two-way (unit + time) within transformation for panels with few periods, balanced or not:
 * demean by unit, then project out the unit-demeaned time dummies D̃ by solving the small (T−1)×(T−1) system
 * (D̃'D̃) γ = D̃'x̃. D̃'x̃ is the per-period sum of x̃ (x̃ sums to zero within a unit), and
 * D̃'D̃[t][s] = Σ_u (n_ut·1{t = s} − n_ut n_us / n_u). The last period is the reference (one redundancy).
 */
export function twoWayDemean(
  unit: Int32Array,
  nUnits: number,
  time: Int32Array,
  nTime: number,
  cols: Float64Array[],
): Float64Array[] | undefined {
  const n = unit.length;
  const nu = new Float64Array(nUnits);
  for (let i = 0; i < n; i++) nu[unit[i]]++;
  // D̃'D̃ = Σ_u (diag(c_u) − c_u c_u' / n_u) over the units' period-count vectors c_u. Units sharing a
  // pattern of periods (all of them, in a balanced panel) are added once, times their number.
  const T1 = nTime - 1;
  const counts = new Int32Array(nUnits * nTime);
  for (let i = 0; i < n; i++) counts[unit[i] * nTime + time[i]]++;
  const patterns = new Map<string, { c: Int32Array; m: number; k: number }>();
  for (let u = 0; u < nUnits; u++) {
    const c = counts.subarray(u * nTime, (u + 1) * nTime);
    const key = c.join(',');
    const p = patterns.get(key);
    if (p) p.k++;
    else patterns.set(key, { c, m: nu[u], k: 1 });
  }
  const A = Array.from({ length: T1 }, () => new Array<number>(T1).fill(0));
  for (const { c, m, k } of patterns.values()) {
    for (let t = 0; t < T1; t++) {
      if (!c[t]) continue;
      A[t][t] += k * c[t];
      for (let s2 = 0; s2 < T1; s2++) if (c[s2]) A[t][s2] -= (k * c[t] * c[s2]) / m;
    }
  }
  const L = cholesky(A);
  // Singular: the two fixed effects split into several connected components; the caller falls back to alternating
  // projections.
  if (!L) return undefined;
  const means = new Float64Array(nUnits);
  const gamma = new Float64Array(nTime);
  const gbar = new Float64Array(nUnits);
  return cols.map((x) => {
    means.fill(0);
    for (let i = 0; i < n; i++) means[unit[i]] += x[i];
    for (let u = 0; u < nUnits; u++) means[u] /= nu[u];
    const xt = new Float64Array(n);
    const rhs = new Float64Array(T1);
    for (let i = 0; i < n; i++) {
      xt[i] = x[i] - means[unit[i]];
      if (time[i] < T1) rhs[time[i]] += xt[i];
    }
    // The last period is the reference: its effect stays 0.
    gamma.fill(0);
    gamma.set(choleskySolve(L, rhs));
    gbar.fill(0);
    for (let i = 0; i < n; i++) gbar[unit[i]] += gamma[time[i]];
    for (let u = 0; u < nUnits; u++) gbar[u] /= nu[u];
    for (let i = 0; i < n; i++) xt[i] -= gamma[time[i]] - gbar[unit[i]];
    return xt;
  });
}
