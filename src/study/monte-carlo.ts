/**
 * A small Monte Carlo of the default panel's structural model, for the notebooks: draw the latent panel again with
 * other seeds and see how each estimator does against the known truth, in many samples rather than one.
 */
import { loadCities } from '../data/reference';
import { NqpError } from '../errors';
import { cachedSource, coef } from '../estimate';
import { feolsLean } from '../estimate/model/feols';
import { Rng } from '../math/rng';
import { sampleSd } from '../math/stats';
import { simulateLatent, TRUTH } from '../simulate';

export interface MonteCarloRow {
  estimator: string;
  formula: string;
  /** Mean estimate over the draws, its bias against the truth and the bias in Monte Carlo standard errors. */
  mean: number;
  bias: number;
  biasMcSe: number;
  /** SD of the estimates across draws, and the mean of their clustered standard errors. */
  sd: number;
  meanSe: number;
  /** Share of draws whose 95% interval contains the truth. */
  coverage: number;
}

export interface MonteCarloResult {
  seeds: number[];
  truth: number;
  rows: MonteCarloRow[];
}

const ESTIMATORS: [string, string][] = [
  ['Pooled OLS', 'r ~ q + dev'],
  ['Two-way FE', 'r ~ q + dev | city + year'],
  ['Two-way FE + confounder', 'r ~ q + dev + u | city + year'],
  ['2SLS (latent instrument)', 'r ~ dev | city + year | q ~ z'],
];

/**
 * Estimators of the NQP effect on the latent variables, over `draws` panels simulated with seeds first..first+draws−1
 * (clustered by city). The truth is the model's average total effect.
 * @example const mc = monteCarlo({ draws: 50, firstSeed: 1 });
 */
export function monteCarlo(o: { draws?: number; firstSeed?: number } = {}): MonteCarloResult {
  const draws = o.draws ?? 50;
  const first = o.firstSeed ?? 1;
  if (!Number.isInteger(draws) || draws < 2 || draws > 10_000)
    throw new NqpError('BAD_OPTION', 'draws', `draws must be a whole number from 2 to 10000; got ${draws}.`);
  if (!Number.isSafeInteger(first))
    throw new NqpError('BAD_OPTION', 'firstSeed', `firstSeed must be a whole number; got ${first}.`);
  const cities = loadCities();
  const seeds = Array.from({ length: draws }, (_, i) => first + i);
  const est = ESTIMATORS.map(() => [] as { b: number; se: number; lo: number; hi: number }[]);
  let truth = NaN;
  for (const seed of seeds) {
    const L = simulateLatent(cities, new Rng(seed), TRUTH);
    truth = L.totalEffect;
    // The draw's columns as one cached source shared by the four fits, so the rows and the city and year codes are
    // worked out once per draw rather than once per estimator (feols caches them per source).
    const cols: Record<string, ArrayLike<unknown>> = {
      city: L.city,
      year: L.year,
      r: L.resilience,
      q: L.nqp,
      u: L.confounder,
      dev: L.development,
      z: L.z,
    };
    const names = Object.keys(cols);
    const t = cachedSource({ columnNames: () => names, numRows: () => L.n, array: (nm: string) => cols[nm] });
    ESTIMATORS.forEach(([, f], k) => {
      // Only the coefficient table is read: the 2SLS fit's first-stage diagnostics are not computed.
      const m = feolsLean(t, f, { vcov: { cluster: 'city' } });
      const c = coef(m, 'q');
      est[k].push({ b: c.estimate, se: c.std_error, lo: c.conf_low, hi: c.conf_high });
    });
  }
  const rows = ESTIMATORS.map(([estimator, formula], k) => {
    const e = est[k];
    const mean = e.reduce((s, x) => s + x.b, 0) / draws;
    const sd = sampleSd(e.map((x) => x.b));
    return {
      estimator,
      formula,
      mean,
      bias: mean - truth,
      biasMcSe: (mean - truth) / (sd / Math.sqrt(draws)),
      sd,
      meanSe: e.reduce((s, x) => s + x.se, 0) / draws,
      coverage: e.filter((x) => x.lo <= truth && truth <= x.hi).length / draws,
    };
  });
  return { seeds, truth, rows };
}
