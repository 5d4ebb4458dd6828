/**
 * Heterogeneity: is the effect of X different between two groups of cities? Three kinds of test of β_1 − β_0
 * (four p-values):
 *
 * 1. Interaction: the pooled model Y = β X + δ (X × g) + controls + α_i + γ_t, tested on δ with the clustered vcov;
 *    and the same with group-specific year effects (γ_gt: `| city + group^year`), so a shock that hits one group's
 *    years cannot pass for a difference in slopes.
 * 2. SUEST-style: the two subsample regressions, with the cross-covariance of their coefficients from stacked
 *    cluster-robust scores (Stata's suest): Var(b1 − b0) = V11 + V00 − 2 V10, each block
 *    B_g (Σ_c s_gc s_hc′) B_h with s_gc the cluster-c score sum of model g, times G/(G − 1); Wald χ²(1).
 * 3. Fisher's permutation test (the "empirical p-value" of Chinese empirical papers): group labels reshuffled
 *    across cities (a city keeps its label in every year), both subsample regressions re-run, and the share of
 *    draws with a difference at least as large as observed. The raw difference is exact only when the groups
 *    share one error distribution; the studentised version, t = (b₁ − b₀)/√(V₁ + V₀) with each subsample's
 *    cluster-robust variance recomputed in every draw, stays valid when they do not (Chung & Romano 2013).
 */
import { NqpError } from '../../errors';
import { chi2Upper } from '../../math/distributions';
import { Rng } from '../../math/rng';
import { cachedSource, type ColumnSource, numericColumn } from '../model/columns';
import { drawClusterSe, newClusterSeWorkspace } from './cluster-se';
import { complementSums, newSums, type StatSums, sumStats } from './sufficient-stats';
import { clusterAdjustment, type SscSwitches } from '../vcov/rule';
import { coef, feols, fitState } from '../model/feols';
import { buildFormula } from '../model/formula';
import { progressStep, resampleFrame, type ResampleOptions } from './frame';
import type { CoefRow, FeolsResult } from '../model/types';

export interface GroupDiffOptions extends ResampleOptions {
  x: string;
  y: string;
  /** A 0/1 column (1 = the group of interest), constant within each city. */
  group: string;
  /** Labels of group 1 and group 0 for tables. */
  labels?: [string, string];
  /** Smallest subsample (cities) accepted. Default 10. */
  minClusters?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface GroupDiffResult {
  x: string;
  y: string;
  group: string;
  labels: [string, string];
  models: [FeolsResult, FeolsResult];
  coefs: [CoefRow, CoefRow];
  difference: number;
  /** The pooled interaction x × group: its coefficient row (estimate, SE, p, the model's interval) and the model. */
  interaction: CoefRow & { model: FeolsResult };
  /** The interaction with group-specific year effects (null without a time effect). */
  interactionGroupYear: { estimate: number; std_error: number; p_value: number; model: FeolsResult } | null;
  suest: { difference: number; std_error: number; chi2: number; p_value: number };
  permutation: { reps: number; seed: number; draws: number[]; pOneSided: number; pTwoSided: number };
  /** The studentised permutation test: the observed t and the p-values of the same reshuffles. */
  studentized: { t: number; draws: number[]; pOneSided: number; pTwoSided: number };
  clusters: [number, number];
}

function checkGroup(data: ColumnSource, group: string, unit: string): Float64Array {
  if (!data.columnNames().includes(group))
    throw new NqpError('UNKNOWN_VARIABLE', `group "${group}"`, `Group column "${group}" is not in the data.`);
  const g = numericColumn(data, group, `group "${group}"`);
  const u = data.array(unit);
  const { row: i, missing } = groupFault(g, u);
  if (i >= 0) {
    if (g[i] !== 0 && g[i] !== 1)
      throw new NqpError(
        'BAD_GROUP',
        `group "${group}", row ${i + 1}`,
        `Group column "${group}" must be 0/1; row ${i + 1} has ${g[i]}. Recode it, e.g. above/below the median.`,
      );
    throw new NqpError(
      'BAD_GROUP',
      `group "${group}", ${unit} ${u[i]}`,
      `City ${u[i]} is in both groups of "${group}". Define the split per city (e.g. the city's mean over the ` +
        `years), so the permutation test can reshuffle cities.`,
    );
  }
  if (missing)
    throw new NqpError(
      'MISSING_CLUSTER',
      `group "${group}"`,
      `Group column "${group}" has ${missing} missing values. Assign every city to a group, or drop those cities ` +
        `first.`,
    );
  return g;
}

/**
 * checkGroup's pass over the rows (a function of its own, optimised once): the first row whose group is not 0/1 or
 * whose city was met in the other group (row −1: none), and the missing values counted up to there.
 */
function groupFault(g: Float64Array, u: ArrayLike<unknown>): { row: number; missing: number } {
  const seen = new Map<unknown, number>();
  let missing = 0;
  for (let i = 0; i < g.length; i++) {
    if (Number.isNaN(g[i])) {
      missing++;
      continue;
    }
    if (g[i] !== 0 && g[i] !== 1) return { row: i, missing };
    const prev = seen.get(u[i]);
    if (prev !== undefined && prev !== g[i]) return { row: i, missing };
    seen.set(u[i], g[i]);
  }
  return { row: -1, missing };
}

/**
 * Cluster influences of one coefficient (row `j` of B) of a subsample model: IF_c = Σ_i B_j·x_i e_i over the rows of
 * cluster c, summed as the stacked-score covariance (suest) sums them: scores per cluster first, then B_j · s_c.
 */
function clusterInfluence(m: FeolsResult, j: number, codes: Int32Array, G: number): Float64Array {
  const d = fitState(m);
  const kk = d.scoresX.length;
  const S = Array.from({ length: kk }, () => new Float64Array(G));
  for (let q = 0; q < kk; q++) addScores(S[q], d.scoresX[q], d.resid, codes);
  const Bj = d.B[j];
  const out = new Float64Array(G);
  for (let c = 0; c < G; c++) {
    let acc = 0;
    for (let q = 0; q < kk; q++) acc += Bj[q] * S[q][c];
    out[c] = acc;
  }
  return out;
}

/**
 * Sq[codes[i]] += x[i]·resid[i] over the rows, in row order: the loop over rows is a function of its own, which the
 * engine optimises once, where inside clusterInfluence it made it compile clusterInfluence again and again.
 */
function addScores(Sq: Float64Array, x: Float64Array, resid: Float64Array, codes: Int32Array): void {
  for (let i = 0; i < resid.length; i++) Sq[codes[i]] += x[i] * resid[i];
}

/**
 * Var(b1 − b0) of one term from the stacked cluster-robust scores of the two subsample models (suest):
 * V11 + V00 − 2 V10, each block B_g (Σ_c s_gc s_hc′) B_h′ times G/(G − 1); only the three entries it needs.
 */
function suestVarDiff(
  m1: FeolsResult,
  m0: FeolsResult,
  j1: number,
  j0: number,
  unitCodes1: Int32Array,
  unitCodes0: Int32Array,
  G: number,
  ssc: SscSwitches,
): number {
  if (j1 < 0 || j0 < 0) return NaN;
  const a = clusterInfluence(m1, j1, unitCodes1, G),
    b = clusterInfluence(m0, j0, unitCodes0, G);
  let v11 = 0,
    v00 = 0,
    v10 = 0;
  for (let c = 0; c < G; c++) {
    v11 += a[c] * a[c];
    v00 += b[c] * b[c];
    v10 += a[c] * b[c];
  }
  const f = clusterAdjustment(G, ssc);
  return v11 * f + v00 * f - 2 * (v10 * f);
}

/**
 * Subsample regressions for the two groups and three tests of the difference in the coefficient of `x`.
 * @example const h = await groupDiff(panel, { x: 'nqp', y: 'resilience', group: 'resource_based', controls });
 */
export async function groupDiff(input: ColumnSource, o: GroupDiffOptions): Promise<GroupDiffResult> {
  const data = cachedSource(input);
  const labels = o.labels ?? [`${o.group} = 1`, `${o.group} = 0`];
  const fr = resampleFrame(data, [o.y, o.x, ...(o.controls ?? [])], o, [o.group]);
  const { unit, controls, reps, seed } = fr;
  const g = checkGroup(data, o.group, unit);
  const x = fr.cols[1];
  const subset = (want: number | null) =>
    fr.subset(want === null ? undefined : (i) => g[i] === want, { x_by_group: (i) => x[i] * g[i] });
  const s1 = subset(1);
  const s0 = subset(0);
  const minC = o.minClusters ?? 10;
  for (const [s, lab] of [
    [s1, labels[0]],
    [s0, labels[1]],
  ] as const) {
    const cities = new Set(s.rows.map((i) => fr.clusterCode[i])).size;
    if (cities < minC) {
      throw new NqpError(
        'EMPTY_GROUP',
        `group "${lab}"`,
        `Group "${lab}" has ${cities} cluster${cities === 1 ? '' : 's'} of "${fr.cluster}" with complete data ` +
          `(at least ${minC} needed for clustered inference). Choose another split.`,
      );
    }
  }
  const opts = fr.feolsOptions;
  const m1 = feols(s1, fr.formula(o.y, [o.x, ...controls]), opts);
  const m0 = feols(s0, fr.formula(o.y, [o.x, ...controls]), opts);
  for (const [m, lab] of [
    [m1, labels[0]],
    [m0, labels[1]],
  ] as const) {
    if (m.droppedTerms.some((t) => t.term === o.x)) {
      throw new NqpError(
        'NO_WITHIN_VARIATION',
        `group "${lab}"`,
        `In group "${lab}", ${o.x} has no variation within units and years after the fixed effects; ` +
          'its effect cannot be estimated there.',
      );
    }
  }
  const c1 = coef(m1, o.x);
  const c0 = coef(m0, o.x);
  // 1. Interaction in the pooled model.
  const pooled = subset(null);
  const mi = feols(pooled, fr.formula(o.y, [o.x, 'x_by_group', ...controls]), opts);
  const ci = coef(mi, 'x_by_group');
  let giy: GroupDiffResult['interactionGroupYear'] = null;
  if (fr.time) {
    const f = buildFormula(o.y, [o.x, 'x_by_group', ...controls], [unit, `${o.group}^${fr.time}`]);
    const m = feols(pooled, f, opts);
    const c = coef(m, 'x_by_group');
    giy = { estimate: c.estimate, std_error: c.std_error, p_value: c.p_value, model: m };
  }
  // 2. SUEST: the frame's cluster codes (all clusters of the common sample) on each subsample model's rows.
  const codeOf = (s: { rows: readonly number[] }, rows: Int32Array) =>
    Int32Array.from(rows, (r) => fr.clusterCode[s.rows[r]]);
  const varDiff = suestVarDiff(
    m1,
    m0,
    m1.coefficients.findIndex((c) => c.term === o.x),
    m0.coefficients.findIndex((c) => c.term === o.x),
    codeOf(s1, fitState(m1).design.rows),
    codeOf(s0, fitState(m0).design.rows),
    fr.clusterUnits.length,
    fr.ssc,
  );
  const diff = c1.estimate - c0.estimate;
  const chi2 = (diff * diff) / varDiff;
  // 3. Permutation of city labels.
  const { blocks, stats, time } = fr;
  const cityGroup = blocks.rows.map((r) => g[r[0]]);
  const n1 = cityGroup.filter((v) => v === 1).length;
  const rng = new Rng(seed);
  const perm = Int32Array.from({ length: blocks.rows.length }, (_, i) => i);
  const draws: number[] = [];
  const tDraws: number[] = [];
  const xs = [1, ...controls.map((_, j) => j + 2)];
  const clusterOf = new Int32Array(blocks.rows.length);
  fr.clusterUnits.forEach((units, c) => {
    for (const u of units) clusterOf[u] = c;
  });
  const total = sumStats(stats, perm, !!time);
  const bufSmall = newSums(stats),
    bufBig = newSums(stats);
  // One set of buffers per subsample: the two fits of a draw are alive together.
  const ws = [newClusterSeWorkspace(stats, xs.length), newClusterSeWorkspace(stats, xs.length)];
  const fit = (chosen: Int32Array, sums: StatSums, w: 0 | 1) =>
    drawClusterSe(stats, chosen, xs, 0, !!time, clusterOf, fr.ssc, 0, sums, ws[w]);
  const tOf = (a: ReturnType<typeof fit>, b: ReturnType<typeof fit>) => (a.b[0] - b.b[0]) / Math.hypot(a.se, b.se);
  const tObs = (c1.estimate - c0.estimate) / Math.sqrt(c1.std_error ** 2 + c0.std_error ** 2);
  const step = progressStep(reps);
  for (let r = 0; r < reps; r++) {
    rng.shuffle(perm);
    // Sum the statistics over the smaller group only; the other group's are the complement.
    const g1 = perm.subarray(0, n1),
      g0 = perm.subarray(n1);
    const firstSmaller = n1 <= g0.length;
    const small = sumStats(stats, firstSmaller ? g1 : g0, !!time, bufSmall);
    const big = complementSums(total, small, bufBig);
    const a = fit(g1, firstSmaller ? small : big, 0),
      b = fit(g0, firstSmaller ? big : small, 1);
    draws.push(a.b[0] - b.b[0]);
    tDraws.push(tOf(a, b));
    if (o.onProgress && ((r + 1) % step === 0 || r === reps - 1)) {
      o.onProgress(r + 1, reps);
      await new Promise((res) => setImmediate(res));
    }
  }
  const pOne = (1 + draws.filter((d) => (diff >= 0 ? d >= diff : d <= diff)).length) / (reps + 1);
  const pTwo = (1 + draws.filter((d) => Math.abs(d) >= Math.abs(diff)).length) / (reps + 1);
  // A draw whose t is undefined (a subsample without variation) counts as at least as extreme: conservative.
  const tOne = (1 + tDraws.filter((d) => !(tObs >= 0 ? d < tObs : d > tObs)).length) / (reps + 1);
  const tTwo = (1 + tDraws.filter((d) => !(Math.abs(d) < Math.abs(tObs))).length) / (reps + 1);
  return {
    x: o.x,
    y: o.y,
    group: o.group,
    labels,
    models: [m1, m0],
    coefs: [c1, c0],
    difference: diff,
    interaction: { ...ci, model: mi },
    interactionGroupYear: giy,
    suest: { difference: diff, std_error: Math.sqrt(varDiff), chi2, p_value: chi2Upper(chi2, 1) },
    permutation: { reps, seed, draws, pOneSided: pOne, pTwoSided: pTwo },
    studentized: { t: tObs, draws: tDraws, pOneSided: tOne, pTwoSided: tTwo },
    clusters: [m1.vcov.clusters?.[0].count ?? 0, m0.vcov.clusters?.[0].count ?? 0],
  };
}
