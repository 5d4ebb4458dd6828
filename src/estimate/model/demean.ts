import { conjugateGradient } from './demean-cg';
import { type TwoWayPlan, twoWayDemean, twoWayPlan } from './demean-two-way';
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

/**
 * One round of alternating projections, in place, by the fixed effects' codes. Each pass subtracts one fixed
 * effect's group means and, in the same pass, sums the result by the next fixed effect's groups: G + 1 passes over
 * the rows instead of 2G.
 */
function sweep(v: Float64Array, fes: Int32Array[], sums: Float64Array[], counts: Float64Array[]): void {
  const n = v.length;
  const G = fes.length;
  let s = sums[0];
  let codes = fes[0];
  s.fill(0);
  for (let i = 0; i < n; i++) s[codes[i]] += v[i];
  for (let g = 0; g < G; g++) {
    const c = counts[g];
    for (let l = 0; l < s.length; l++) s[l] /= c[l];
    if (g + 1 < G) {
      const next = sums[g + 1];
      const nextCodes = fes[g + 1];
      next.fill(0);
      for (let i = 0; i < n; i++) {
        const w = v[i] - s[codes[i]];
        v[i] = w;
        next[nextCodes[i]] += w;
      }
      s = next;
      codes = nextCodes;
    } else for (let i = 0; i < n; i++) v[i] -= s[codes[i]];
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
/** The two fixed effects (larger first) that twoWayDemean absorbs exactly; undefined where it does not apply. */
export function exactPair(fes: FeGroup[]): [FeGroup, FeGroup] | undefined {
  if (fes.length !== 2) return undefined;
  const fewest = Math.min(fes[0].nLevels, fes[1].nLevels);
  if (fewest > EXACT_TWO_WAY_MAX_LEVELS || fewest < 2) return undefined;
  return fes[0].nLevels >= fes[1].nLevels ? [fes[0], fes[1]] : [fes[1], fes[0]];
}

/** twoWayPlan of the exact pair, where there is one (computed ahead of demeanColumns: demean-parallel.ts). */
export function exactPlan(fes: FeGroup[]): TwoWayPlan | undefined {
  const pair = exactPair(fes);
  return pair && twoWayPlan(pair[0].codes, pair[0].nLevels, pair[1].codes, pair[1].nLevels);
}

const plans = new WeakMap<Int32Array, WeakMap<Int32Array, TwoWayPlan | null>>();

/**
 * exactPlan, once per pair of codes arrays: for the codes of a fit's design (codesFor, model/columns.ts), which are
 * never written to once made and are handed out again for the same rows and key values (model/code-cache.ts).
 */
export function designPlan(fes: FeGroup[]): TwoWayPlan | null | undefined {
  const pair = exactPair(fes);
  if (!pair) return undefined;
  let inner = plans.get(pair[0].codes);
  if (!inner) {
    inner = new WeakMap();
    plans.set(pair[0].codes, inner);
  }
  let plan = inner.get(pair[1].codes);
  if (plan === undefined) {
    plan = twoWayPlan(pair[0].codes, pair[0].nLevels, pair[1].codes, pair[1].nLevels) ?? null;
    inner.set(pair[1].codes, plan);
  }
  return plan;
}

/** `plan`: exactPlan(fes), where the caller has it already; null where it found the exact pair singular. */
export function demeanColumns(
  cols: Float64Array[],
  fes: FeGroup[],
  options: DemeanOptions = {},
  outs?: Float64Array[],
  plan?: TwoWayPlan | null,
): { out: Float64Array[]; iterations: number; converged: boolean } {
  // `outs[c]` receives column c (it may be cols[c] itself: the shared columns of demean-parallel.ts).
  const into = (r: Float64Array[]) => {
    if (!outs) return r;
    r.forEach((x, c) => {
      if (x !== outs[c]) outs[c].set(x);
    });
    return outs;
  };
  if (fes.length === 0) return { out: into(cols.map((c) => Float64Array.from(c))), iterations: 0, converged: true };
  const pair = exactPair(fes);
  if (pair && plan !== null) {
    const [big, small] = pair;
    const exact = twoWayDemean(big.codes, big.nLevels, small.codes, small.nLevels, cols, outs, plan ?? exactPlan(fes));
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
  return { out: into(out), iterations, converged };
}

/** Columns to demean on two threads (model/demean-parallel.ts), all in shared memory. */
export interface ColumnsJob {
  codes: Int32Array[];
  nLevels: number[];
  cols: Float64Array[];
  /** Where the demeaned columns go (shared memory). */
  outs: Float64Array[];
  options: DemeanOptions;
  plan?: TwoWayPlan | null;
  /** claim[0]: the next column to take; claim[1]: columns done; claim[2] raised on a failure. */
  claim: Int32Array;
  /** Per column: iterations, and 1 if converged. */
  stats: Float64Array;
}

/**
 * Demean columns one at a time, claimed until none is left: each column by the same code whichever thread takes
 * it (so the same numbers), and a thread kept off the cores by other programs holds up only the column it took.
 */
export function claimColumns(job: ColumnsJob): void {
  const { cols, outs, claim, stats } = job;
  const fes = job.codes.map((codes, g) => ({ codes, nLevels: job.nLevels[g] }));
  let plan = job.plan;
  let planned = plan !== undefined;
  for (let c = Atomics.add(claim, 0, 1); c < cols.length; c = Atomics.add(claim, 0, 1)) {
    if (!planned) {
      plan = exactPlan(fes); // once per thread, and only by a thread that takes a column
      planned = true;
    }
    const r = demeanColumns([cols[c]], fes, job.options, [outs[c]], plan);
    stats[2 * c] = r.iterations;
    stats[2 * c + 1] = r.converged ? 1 : 0;
    Atomics.add(claim, 1, 1);
    Atomics.notify(claim, 1);
  }
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
  // The codes alone (one kind of array), whatever object each fixed effect came in.
  const codes = fes.map((f) => f.codes);
  sweep(v, codes, sums, counts);
  if (fes.length === 1) return { out: v, iterations: 1, converged: true };
  const thresh = tol * (1 + maxAbs(x));
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
    sweep(v1, codes, sums, counts);
    if (maxAbsDiff(v1, v) <= thresh) return { out: v1, iterations: it, converged: true };
    v2.set(v1);
    sweep(v2, codes, sums, counts);
    ironsTuck(v, v1, v2);
  }
  return { out: v, iterations: maxIter, converged: false };
}

// The loops over rows of demeanWith are small functions of their own: the engine optimises each once, where a loop
// inside demeanWith (run once per column) would have it compile the whole iteration, sweeps inlined, again and again.

/** max_i |x[i]|, from 0, in row order. */
function maxAbs(x: Float64Array): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]));
  return m;
}

/** max_i |a[i] − b[i]|, from 0, in row order. */
function maxAbsDiff(a: Float64Array, b: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** Irons–Tuck, into v: v* = v2 − [(Δ2·Δv2) / (Δ2·Δ2)] Δv2, with Δv2 = v2 − v1 and Δ2 = v2 − 2v1 + v. */
function ironsTuck(v: Float64Array, v1: Float64Array, v2: Float64Array): void {
  const n = v.length;
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
