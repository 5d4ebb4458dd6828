/**
 * The exact two-way absorption (model/demean.ts chooses it): unit and time effects of a panel with few periods,
 * by the unit means and a small system for the period effects.
 */
import { cholesky, choleskySolve } from '../../math/linalg';

/**
 * Exact two-way (unit + time) within transformation for panels with few periods, balanced or not:
 * demean by unit, then project out the unit-demeaned time dummies D̃ by solving the small (T−1)×(T−1) system
 * (D̃'D̃) γ = D̃'x̃. D̃'x̃ is the per-period sum of x̃ (x̃ sums to zero within a unit), and
 * D̃'D̃[t][s] = Σ_u (n_ut·1{t = s} − n_ut n_us / n_u). The last period is the reference (one redundancy).
 * The answer is x − (x̄_u − γ̄_u) − γ_t, with γ̄_u the mean of γ over unit u's rows: three passes over the rows
 * per column (unit sums, period sums of x − x̄_u, the answer). `outs[c]` may be `cols[c]` itself (in place).
 */
export function twoWayDemean(
  unit: Int32Array,
  nUnits: number,
  time: Int32Array,
  nTime: number,
  cols: Float64Array[],
  outs: Float64Array[] = cols.map((c) => new Float64Array(c.length)),
  plan: TwoWayPlan | undefined = twoWayPlan(unit, nUnits, time, nTime),
): Float64Array[] | undefined {
  // Singular: the two fixed effects split into several connected components; the caller falls back to alternating
  // projections.
  if (!plan) return undefined;
  const n = unit.length;
  const { L, nu, pats, runs } = plan;
  const T1 = nTime - 1;
  const means = new Float64Array(nUnits);
  const gbarP = new Float64Array(pats.list.length);
  const rhs = new Float64Array(nTime);
  return cols.map((x, j) => {
    // Per unit: x̄_u, then the period sums of x − x̄_u. Where each unit's rows are contiguous (a panel sorted by
    // unit) both are taken in one pass, unit by unit; the sums are the same, in the same order, either way.
    rhs.fill(0);
    if (runs) unitMeansAndPeriodSums(x, unit, time, runs, nu, means, rhs);
    else {
      means.fill(0);
      for (let i = 0; i < n; i++) means[unit[i]] += x[i];
      for (let u = 0; u < nUnits; u++) means[u] /= nu[u];
      for (let i = 0; i < n; i++) rhs[time[i]] += x[i] - means[unit[i]];
    }
    // The last period is the reference: its effect stays 0.
    const gamma = new Float64Array(nTime);
    gamma.set(choleskySolve(L, rhs.subarray(0, T1)));
    pats.list.forEach(({ c, m }, p) => {
      let g = 0;
      for (let t = 0; t < T1; t++) g += c[t] * gamma[t];
      gbarP[p] = g / m;
    });
    for (let u = 0; u < nUnits; u++) means[u] -= gbarP[pats.of[u]];
    const out = outs[j];
    if (runs) subtractByRuns(x, unit, time, runs, means, gamma, out);
    else for (let i = 0; i < n; i++) out[i] = x[i] - means[unit[i]] - gamma[time[i]];
    return out;
  });
}

/** What twoWayDemean needs of the two fixed effects, whatever the column: plain data, so a worker can be sent it. */
export interface TwoWayPlan {
  /** Cholesky factor of D̃'D̃. */
  L: number[][];
  /** Rows per unit. */
  nu: Float64Array;
  pats: { list: { c: Int32Array; m: number; k: number }[]; of: Int32Array };
  runs: Int32Array | undefined;
}

/** The plan of twoWayDemean; undefined where D̃'D̃ is singular (several connected components). */
export function twoWayPlan(unit: Int32Array, nUnits: number, time: Int32Array, nTime: number): TwoWayPlan | undefined {
  // D̃'D̃ = Σ_u (diag(c_u) − c_u c_u' / n_u) over the units' period-count vectors c_u. Units sharing a
  // pattern of periods (all of them, in a balanced panel) are added once, times their number.
  const T1 = nTime - 1;
  const { nu, counts } = unitPeriodCounts(unit, nUnits, time, nTime);
  const pats = unitPatterns(counts, nUnits, nTime);
  const A = Array.from({ length: T1 }, () => new Array<number>(T1).fill(0));
  for (const { c, m, k } of pats.list) {
    for (let t = 0; t < T1; t++) {
      if (!c[t]) continue;
      A[t][t] += k * c[t];
      for (let s2 = 0; s2 < T1; s2++) if (c[s2]) A[t][s2] -= (k * c[t] * c[s2]) / m;
    }
  }
  const L = cholesky(A);
  if (!L) return undefined;
  return { L, nu, pats, runs: unitRuns(unit, usedLevels(nu)) };
}

/** How many levels have rows (a level may be unused: codes promise only 0..nLevels−1). */
function usedLevels(counts: Float64Array): number {
  let used = 0;
  for (let u = 0; u < counts.length; u++) if (counts[u] > 0) used++;
  return used;
}

/**
 * Where each unit's rows are contiguous — as many runs of equal codes as units with rows — the first row of each
 * run and, last, the row count; else undefined.
 */
function unitRuns(unit: Int32Array, used: number): Int32Array | undefined {
  const n = unit.length;
  let runs = 0;
  for (let i = 0; i < n; i++) if (i === 0 || unit[i] !== unit[i - 1]) if (++runs > used) return undefined;
  const start = new Int32Array(runs + 1);
  for (let i = 0, r = 0; i < n; i++) if (i === 0 || unit[i] !== unit[i - 1]) start[r++] = i;
  start[runs] = n;
  return start;
}

// The loops over rows below are small functions of their own, so that the engine optimises them early (this
// function runs once per fit).

function unitPeriodCounts(unit: Int32Array, nUnits: number, time: Int32Array, nTime: number) {
  const nu = new Float64Array(nUnits);
  const counts = new Int32Array(nUnits * nTime);
  for (let i = 0; i < unit.length; i++) {
    nu[unit[i]]++;
    counts[unit[i] * nTime + time[i]]++;
  }
  return { nu, counts };
}

function unitMeansAndPeriodSums(
  x: Float64Array,
  unit: Int32Array,
  time: Int32Array,
  runs: Int32Array,
  nu: Float64Array,
  means: Float64Array,
  rhs: Float64Array,
): void {
  for (let r = 0; r + 1 < runs.length; r++) {
    const lo = runs[r];
    const hi = runs[r + 1];
    const u = unit[lo];
    let s = 0;
    for (let i = lo; i < hi; i++) s += x[i];
    const m = s / nu[u];
    means[u] = m;
    for (let i = lo; i < hi; i++) rhs[time[i]] += x[i] - m;
  }
}

function subtractByRuns(
  x: Float64Array,
  unit: Int32Array,
  time: Int32Array,
  runs: Int32Array,
  a: Float64Array,
  gamma: Float64Array,
  out: Float64Array,
): void {
  for (let r = 0; r + 1 < runs.length; r++) {
    const lo = runs[r];
    const hi = runs[r + 1];
    const au = a[unit[lo]];
    for (let i = lo; i < hi; i++) out[i] = x[i] - au - gamma[time[i]];
  }
}

/** The distinct period-count vectors of the units, how many units share each, and each unit's pattern. */
function unitPatterns(
  counts: Int32Array,
  nUnits: number,
  nTime: number,
): { list: { c: Int32Array; m: number; k: number }[]; of: Int32Array } {
  const list: { c: Int32Array; m: number; k: number }[] = [];
  const byKey = new Map<string, number>();
  const of = new Int32Array(nUnits);
  let last = -1;
  for (let u = 0; u < nUnits; u++) {
    const c = counts.subarray(u * nTime, (u + 1) * nTime);
    // Most units repeat the previous unit's pattern (every unit, in a balanced panel): compare before hashing.
    let p = last;
    if (p >= 0) {
      const q = list[p].c;
      for (let t = 0; t < nTime; t++)
        if (q[t] !== c[t]) {
          p = -1;
          break;
        }
    }
    if (p < 0) {
      const key = c.join(',');
      p = byKey.get(key) ?? -1;
      if (p < 0) {
        let m = 0;
        for (let t = 0; t < nTime; t++) m += c[t];
        p = list.push({ c: c.slice(), m, k: 0 }) - 1;
        byKey.set(key, p);
      }
    }
    list[p].k++;
    of[u] = p;
    last = p;
  }
  return { list, of };
}
