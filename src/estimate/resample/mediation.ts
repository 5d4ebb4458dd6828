/**
 * Mediation analysis as the empirical literature runs it, with the baseline's fixed effects and clustered SEs:
 *
 *   (1) total effect      Y = c·X + controls + α_i + γ_t + ε
 *   (2) first path        M = a·X + controls + α_i + γ_t + u
 *   (3) second path       Y = c′·X + b·M + controls + α_i + γ_t + e
 *
 * Indirect effect a·b, with the Sobel test z = ab / √(b²s_a² + a²s_b²), Aroian's z = ab / √(b²s_a² + a²s_b² +
 * s_a²s_b²),
 * and a cluster (city) bootstrap: cities are drawn with replacement (a city drawn twice enters as two units),
 * fixed effects absorbed anew, a and b re-estimated; percentile and bias-corrected (Efron 1987) intervals.
 * Proportion mediated = ab / c. All models use one common sample (rows with every variable present).
 */
import { NqpError } from '../../errors';
import { normalCdf, normalQuantile, normalTwoSided } from '../../math/distributions';
import { quantileSorted } from '../../math/stats';
import { Rng } from '../../math/rng';
import type { CityStats } from './city-stats';
import { type Gram, gramInto, newGram, newSums, type StatSums, sumStats } from './sufficient-stats';
import { newOlsBuffers, type OlsBuffers, olsInto } from './flat-linalg';
import { progressStep, resampleFrame, type ResampleOptions } from './frame';
import { cachedSource, type ColumnSource } from '../model/columns';
import { coef, feols } from '../model/feols';
import type { CoefRow, FeolsResult } from '../model/types';

export interface MediationOptions extends ResampleOptions {
  x: string;
  y: string;
  mediators: string[];
  /** Confidence level. Default 0.95. */
  level?: number;
  /** Called every few draws (for a progress bar); the loop yields to the event loop so a notebook can redraw. */
  onProgress?: (done: number, total: number) => void;
}

export interface MediatorRow {
  mediator: string;
  a: CoefRow;
  b: CoefRow;
  direct: CoefRow;
  indirect: number;
  sobel: { z: number; p: number };
  aroian: { z: number; p: number };
  percentileCI: [number, number];
  biasCorrectedCI: [number, number];
  bootstrapSE: number;
  proportion: number;
}

export interface MediationResult {
  x: string;
  y: string;
  nObs: number;
  clusters: number;
  total: CoefRow;
  totalModel: FeolsResult;
  mediators: MediatorRow[];
  models: Record<string, { a: FeolsResult; b: FeolsResult }>;
  bootstrap: { reps: number; seed: number; level: number; failed: number; draws: Record<string, number[]> };
}

function sobel(a: CoefRow, b: CoefRow, aroian: boolean): { z: number; p: number } {
  const v =
    b.estimate ** 2 * a.std_error ** 2 +
    a.estimate ** 2 * b.std_error ** 2 +
    (aroian ? a.std_error ** 2 * b.std_error ** 2 : 0);
  const z = (a.estimate * b.estimate) / Math.sqrt(v);
  return { z, p: normalTwoSided(z) };
}

export function percentileInterval(draws: ArrayLike<number>, level: number): [number, number] {
  const s = Float64Array.from(draws).filter(Number.isFinite).sort();
  return [quantileSorted(s, (1 - level) / 2), quantileSorted(s, 1 - (1 - level) / 2)];
}

/** Bias-corrected percentile interval: z0 = Φ⁻¹(share of draws below the estimate). */
export function biasCorrectedInterval(draws: ArrayLike<number>, estimate: number, level: number): [number, number] {
  const s = Float64Array.from(draws).filter(Number.isFinite).sort();
  let below = 0;
  for (const d of s) if (d < estimate) below++;
  const z0 = normalQuantile(Math.min(Math.max(below / s.length, 0.5 / s.length), 1 - 0.5 / s.length));
  const za = normalQuantile((1 - level) / 2);
  return [quantileSorted(s, normalCdf(2 * z0 + za)), quantileSorted(s, normalCdf(2 * z0 - za))];
}

/** What one bootstrap draw of mediation works in, made once per loop. */
interface DrawBuffers {
  st: CityStats;
  timeFe: boolean;
  chosen: Int32Array;
  sums: StatSums;
  gram: Gram;
  ols: OlsBuffers;
  xsA: Int32Array;
  xsB: Int32Array[];
}

/**
 * One draw of the cluster bootstrap: whole clusters with replacement (a cluster drawn twice brings its units twice,
 * as distinct units), then a·b of every mediator pushed to its list; returns how many were not finite. A function of
 * its own, so the engine optimises the draw once rather than the whole of mediation (an async function) mid-loop.
 */
function drawIndirect(b: DrawBuffers, clusterUnits: number[][], rng: Rng, lists: number[][]): number {
  const { st, timeFe, chosen, sums, gram, ols, xsA, xsB } = b;
  const G = clusterUnits.length;
  let len = 0;
  for (let g = 0; g < G; g++) for (const u of clusterUnits[rng.int(G)]) chosen[len++] = u;
  gramInto(st, sumStats(st, chosen, timeFe, sums, len), timeFe, gram);
  let failed = 0;
  for (let k = 0; k < lists.length; k++) {
    const a = olsInto(gram.C, st.k, xsA, 2 + k, ols)[0];
    const bk = olsInto(gram.C, st.k, xsB[k], 0, ols)[1];
    const ab = a * bk;
    failed += Number.isFinite(ab) ? 0 : 1;
    lists[k].push(ab);
  }
  return failed;
}

/**
 * Stepwise mediation with Sobel/Aroian tests and a seeded cluster bootstrap of every indirect effect.
 * @example const med = await mediation(panel, { x: 'nqp', y: 'resilience', mediators: ['indus', 'talent_lq', 'innov'],
 * controls });
 */
export async function mediation(input: ColumnSource, o: MediationOptions): Promise<MediationResult> {
  const data = cachedSource(input);
  const level = o.level ?? 0.95;
  if (!o.mediators.length) throw new NqpError('BAD_OPTION', 'mediators', 'Name at least one mediator.');
  const fr = resampleFrame(data, [o.y, o.x, ...o.mediators, ...(o.controls ?? [])], o);
  const { controls, reps, seed } = fr;
  const sub = fr.subset();
  const opts = fr.feolsOptions;
  const totalModel = feols(sub, fr.formula(o.y, [o.x, ...controls]), opts);
  const total = coef(totalModel, o.x);
  const models: MediationResult['models'] = {};
  const rows: MediatorRow[] = o.mediators.map((m) => {
    const am = feols(sub, fr.formula(m, [o.x, ...controls]), opts);
    const bm = feols(sub, fr.formula(o.y, [o.x, m, ...controls]), opts);
    models[m] = { a: am, b: bm };
    const a = coef(am, o.x);
    const b = coef(bm, m);
    return {
      mediator: m,
      a,
      b,
      direct: coef(bm, o.x),
      indirect: a.estimate * b.estimate,
      sobel: sobel(a, b, false),
      aroian: sobel(a, b, true),
      percentileCI: [NaN, NaN],
      biasCorrectedCI: [NaN, NaN],
      bootstrapSE: NaN,
      proportion: (a.estimate * b.estimate) / total.estimate,
    };
  });
  // Cluster bootstrap, all mediators on the same draws.
  const G = fr.clusterUnits.length;
  const rng = new Rng(seed);
  const draws: Record<string, number[]> = Object.fromEntries(o.mediators.map((m) => [m, [] as number[]]));
  const nm = o.mediators.length;
  let failed = 0;
  // Columns: 0 = y, 1 = x, 2.. = mediators, then controls. One cross-product matrix serves every regression; the
  // draw's cities, sums, matrix and solves live in buffers allocated once.
  const st = fr.stats;
  const ctl = controls.map((_, j) => 2 + nm + j);
  const xsA = Int32Array.from([1, ...ctl]);
  const xsB = o.mediators.map((_, k) => Int32Array.from([1, 2 + k, ...ctl]));
  const chosen = new Int32Array(G * Math.max(...fr.clusterUnits.map((u) => u.length)));
  const sums = newSums(st),
    gram = newGram(st),
    ols = newOlsBuffers(xsB[0].length);
  const step = progressStep(reps);
  const lists = o.mediators.map((m) => draws[m]);
  const b: DrawBuffers = { st, timeFe: !!fr.time, chosen, sums, gram, ols, xsA, xsB };
  for (let r = 0; r < reps; r++) {
    failed += drawIndirect(b, fr.clusterUnits, rng, lists);
    if (o.onProgress && ((r + 1) % step === 0 || r === reps - 1)) {
      o.onProgress(r + 1, reps);
      await new Promise((res) => setImmediate(res));
    }
  }
  for (const row of rows) {
    const dr = draws[row.mediator];
    row.percentileCI = percentileInterval(dr, level);
    row.biasCorrectedCI = biasCorrectedInterval(dr, row.indirect, level);
    const fin = dr.filter(Number.isFinite);
    const mean = fin.reduce((s, v) => s + v, 0) / fin.length;
    row.bootstrapSE = Math.sqrt(fin.reduce((s, v) => s + (v - mean) ** 2, 0) / (fin.length - 1));
  }
  return {
    x: o.x,
    y: o.y,
    nObs: sub.numRows(),
    clusters: G,
    total,
    totalModel,
    mediators: rows,
    models,
    bootstrap: { reps, seed, level, failed, draws },
  };
}
