/**
 * Mediation analysis as the empirical literature runs it, with the baseline's fixed effects and clustered SEs:
 *
 *   (1) total effect      Y = c·X + controls + α_i + γ_t + ε
 *   (2) first path        M = a·X + controls + α_i + γ_t + u
 *   (3) second path       Y = c′·X + b·M + controls + α_i + γ_t + e
 *
 * Indirect effect a·b, with the Sobel test z = ab / √(b²s_a² + a²s_b²), Aroian's z = ab / √(b²s_a² + a²s_b² + s_a²s_b²),
 * and a cluster (city) bootstrap: cities are drawn with replacement (a city drawn twice enters as two units),
 * fixed effects absorbed anew, a and b re-estimated; percentile and bias-corrected (Efron 1987) intervals.
 * Proportion mediated = ab / c. All models use one common sample (rows with every variable present).
 */
import { NqpError } from '../errors';
import { normalCdf, normalQuantile, normalTwoSided } from '../math/distributions';
import { Rng } from '../data/rng';
import { blocksOf, cityStats, drawGram, olsFromGram, resampleDefaults } from './core/resample';
import { cachedSource, feols, type CoefRow, type ColumnSource, type FeolsResult } from './feols';

export interface MediationOptions {
  x: string;
  y: string;
  mediators: string[];
  controls?: string[];
  /** Unit fixed effect (also the cluster and the bootstrap unit). Default 'city_code'. */
  unit?: string;
  /** Time fixed effect; null for unit effects only. Default 'year'. */
  time?: string | null;
  /** Bootstrap replications. Default 1000. */
  reps?: number;
  /** Seed of the bootstrap draws. Default 20240501. */
  seed?: number;
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
  const v = b.estimate ** 2 * a.std_error ** 2 + a.estimate ** 2 * b.std_error ** 2 + (aroian ? a.std_error ** 2 * b.std_error ** 2 : 0);
  const z = (a.estimate * b.estimate) / Math.sqrt(v);
  return { z, p: normalTwoSided(z) };
}

/** Empirical quantile (type 7) of sorted values. */
function q7(sorted: Float64Array, p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  return sorted[lo] + (h - lo) * (sorted[Math.min(lo + 1, sorted.length - 1)] - sorted[lo]);
}

export function percentileInterval(draws: ArrayLike<number>, level: number): [number, number] {
  const s = Float64Array.from(draws).filter(Number.isFinite).sort();
  return [q7(s, (1 - level) / 2), q7(s, 1 - (1 - level) / 2)];
}

/** Bias-corrected percentile interval: z0 = Φ⁻¹(share of draws below the estimate). */
export function biasCorrectedInterval(draws: ArrayLike<number>, estimate: number, level: number): [number, number] {
  const s = Float64Array.from(draws).filter(Number.isFinite).sort();
  let below = 0;
  for (const d of s) if (d < estimate) below++;
  const z0 = normalQuantile(Math.min(Math.max(below / s.length, 0.5 / s.length), 1 - 0.5 / s.length));
  const za = normalQuantile((1 - level) / 2);
  return [q7(s, normalCdf(2 * z0 + za)), q7(s, normalCdf(2 * z0 - za))];
}

/**
 * Stepwise mediation with Sobel/Aroian tests and a seeded cluster bootstrap of every indirect effect.
 * @example const med = await mediation(panel, { x: 'nqp', y: 'resilience', mediators: ['indus', 'talent_lq', 'innov'], controls });
 */
export async function mediation(input: ColumnSource, o: MediationOptions): Promise<MediationResult> {
  const data = cachedSource(input);
  const { unit, time, controls, reps, seed } = resampleDefaults(o);
  const level = o.level ?? 0.95;
  if (!o.mediators.length) throw new NqpError('BAD_OPTION', 'mediators', 'Name at least one mediator.');
  if (!Number.isInteger(reps) || reps < 2) throw new NqpError('BAD_OPTION', 'reps', `reps must be a whole number ≥ 2, got ${reps}.`);
  const vars = [o.y, o.x, ...o.mediators, ...controls];
  const names = data.columnNames();
  for (const v of [...vars, unit, ...(time ? [time] : [])]) if (!names.includes(v)) throw new NqpError('UNKNOWN_VARIABLE', `variable "${v}"`, `Column "${v}" is not in the data.`);
  const n = data.numRows();
  const cols = vars.map((v) => Float64Array.from(data.array(v) as ArrayLike<number>, Number));
  const keep = new Uint8Array(n);
  for (let i = 0; i < n; i++) keep[i] = cols.every((c) => Number.isFinite(c[i])) ? 1 : 0;
  // The common sample, as a column source feols can read.
  const rowsKept: number[] = [];
  for (let i = 0; i < n; i++) if (keep[i]) rowsKept.push(i);
  const sub: ColumnSource = {
    columnNames: () => [...vars, unit, ...(time ? [time] : [])],
    numRows: () => rowsKept.length,
    array: (nm: string) => { const a = data.array(nm); return rowsKept.map((i) => a[i]); },
  };
  const fe = ` | ${unit}${time ? ` + ${time}` : ''}`;
  const ctrl = controls.length ? ` + ${controls.join(' + ')}` : '';
  const opts = { vcov: { cluster: unit }, panel: { id: unit, time: time ?? unit } };
  const totalModel = feols(sub, `${o.y} ~ ${o.x}${ctrl}${fe}`, opts);
  const total = totalModel.coefficients.find((c) => c.term === o.x)!;
  const models: MediationResult['models'] = {};
  const rows: MediatorRow[] = o.mediators.map((m) => {
    const am = feols(sub, `${m} ~ ${o.x}${ctrl}${fe}`, opts);
    const bm = feols(sub, `${o.y} ~ ${o.x} + ${m}${ctrl}${fe}`, opts);
    models[m] = { a: am, b: bm };
    const a = am.coefficients.find((c) => c.term === o.x)!;
    const b = bm.coefficients.find((c) => c.term === m)!;
    const direct = bm.coefficients.find((c) => c.term === o.x)!;
    return { mediator: m, a, b, direct, indirect: a.estimate * b.estimate, sobel: sobel(a, b, false), aroian: sobel(a, b, true), percentileCI: [NaN, NaN], biasCorrectedCI: [NaN, NaN], bootstrapSE: NaN, proportion: (a.estimate * b.estimate) / total.estimate };
  });
  // Cluster bootstrap, all mediators on the same draws.
  const blocks = blocksOf(data.array(unit), time ? data.array(time) : new Array(n).fill(0), cols, keep);
  const G = blocks.rows.length;
  const stats = cityStats(blocks);
  const rng = new Rng(seed);
  const draws: Record<string, number[]> = Object.fromEntries(o.mediators.map((m) => [m, [] as number[]]));
  const chosen = new Int32Array(G);
  const nm = o.mediators.length;
  let failed = 0;
  for (let r = 0; r < reps; r++) {
    for (let g = 0; g < G; g++) chosen[g] = rng.int(G);
    // Columns: 0 = y, 1 = x, 2.. = mediators, then controls. One cross-product matrix serves every regression.
    const C = drawGram(stats, chosen, !!time);
    const ctl = controls.map((_, j) => 2 + nm + j);
    for (let k = 0; k < nm; k++) {
      const a = olsFromGram(C, [1, ...ctl], 2 + k)[0];
      const b = olsFromGram(C, [1, 2 + k, ...ctl], 0)[1];
      const ab = a * b;
      if (!Number.isFinite(ab)) failed++;
      draws[o.mediators[k]].push(ab);
    }
    if (o.onProgress && (r % 25 === 24 || r === reps - 1)) {
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
  return { x: o.x, y: o.y, nObs: rowsKept.length, clusters: G, total, totalModel, mediators: rows, models, bootstrap: { reps, seed, level, failed, draws } };
}
