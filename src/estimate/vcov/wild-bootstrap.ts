/**
 * `wildBootstrap`: the wild cluster bootstrap of one coefficient of a fitted OLS model, with the null imposed
 * (WCR, the default; Cameron, Gelbach & Miller 2008; MacKinnon & Webb 2017) or not (WCU), as Stata's boottest and
 * R's fwildclusterboot compute it: the symmetric p-value P(|t*| > |t|) and the confidence interval by test
 * inversion (every β0 whose p-value is at least 1 − level). Fixed effects are re-estimated in every draw (as a
 * refit with the dummies would); one-way clustering. Rademacher weights enumerate all 2^G sign vectors when that
 * is fewer than `reps` (fwildclusterboot's rule); otherwise draws are seeded and the seed is reported.
 *
 * The arithmetic is in core/wild.ts (per-cluster precomputation; no refit per draw).
 */
import { NqpError } from '../../errors';
import type { Mat } from '../../math/linalg';
import { qrLeastSquares } from '../../math/qr';
import { Rng } from '../../math/rng';
import { demeanColumns, isNested } from '../model/demean';
import { clusterDot, scoreWeights, wildDraws, wildPValue } from './wild-draws';
import { clusterCodesOf, coef, fitState } from '../model/feols';
import type { FeolsResult } from '../model/types';

export interface WildBootstrapOptions {
  /** Bootstrap draws. Default 9999. */
  reps?: number;
  /** 'rademacher' (default; ±1) or 'webb' (six points, better with fewer than about 12 clusters). */
  weights?: 'rademacher' | 'webb';
  /** Impose the null in the bootstrap data-generating process (WCR). Default true; false gives WCU. */
  imposeNull?: boolean;
  /** Seed of the draws. Default 1. */
  seed?: number;
  /** The null value. Default 0. */
  beta0?: number;
  /** Confidence level of the interval. Default: the model's level. */
  level?: number;
  /** Bootstrap cluster variable. Default: the model's one-way cluster variable. */
  cluster?: string;
}

export interface WildBootstrapResult {
  term: string;
  estimate: number;
  beta0: number;
  /** The model's t statistic for H0: β = β0. */
  statistic: number;
  p_value: number;
  /** Test-inversion interval; ±Infinity when the p-value stays above 1 − level (an unbounded interval). */
  conf_low: number;
  conf_high: number;
  level: number;
  reps: number;
  enumerated: boolean;
  weights: 'rademacher' | 'webb';
  imposeNull: boolean;
  seed: number;
  cluster: string;
  clusters: number;
}

/**
 * Most draws allowed. Each draw keeps five numbers (40 bytes: 40 MB per term at the bound), and at 1,000,000 draws
 * the Monte Carlo error of a p-value is at most 0.0005, below anything a table reports; a billion would need 40 GB
 * and hours per term.
 */
export const MAX_WILD_REPS = 1_000_000;

/** Largest seed: the generator (math/rng.ts) is seeded with 32 bits; seeds 0 … 2^32 − 1 are all different. */
export const MAX_WILD_SEED = 2 ** 32 - 1;

/** Why a reps or seed value is refused, or undefined when it is usable (shared by wildBootstrap and nqp fit). */
export function wildRepsProblem(reps: number): string | undefined {
  if (!Number.isInteger(reps) || reps < 99) return `reps must be a whole number ≥ 99, got ${reps}.`;
  if (reps > MAX_WILD_REPS)
    return (
      `${reps} draws is more than the ${MAX_WILD_REPS.toLocaleString('en')} allowed: each draw keeps 40 bytes ` +
      `(${((reps * 40) / 1e9).toFixed(1)} GB here) and beyond a million the p-value's Monte Carlo error ` +
      '(≤ 0.0005) is already below what is reported. Use 9999 (the default) or up to 1000000.'
    );
  return undefined;
}

export function wildSeedProblem(seed: number): string | undefined {
  if (!Number.isInteger(seed) || seed < 0 || seed > MAX_WILD_SEED)
    return (
      `seed must be a whole number from 0 to ${MAX_WILD_SEED} (the generator takes 32 bits; a larger or ` +
      `negative seed would silently repeat another seed's draws), got ${seed}.`
    );
  return undefined;
}

/** More levels than this in fixed effects not nested in the clusters are refused (an n × levels matrix). */
const MAX_CROSS_LEVELS = 2000;
const MAX_CLUSTERS = 5000;
const WEBB = [-Math.sqrt(1.5), -1, -Math.sqrt(0.5), Math.sqrt(0.5), 1, Math.sqrt(1.5)];

function fail(what: string, msg: string): never {
  throw new NqpError('BAD_OPTION', `wildBootstrap ${what}`, msg);
}

/**
 * @example
 * const m = feols(panel, 'resilience ~ nqp + lnpgdp | city_code + year', { vcov: { cluster: 'province' } });
 * wildBootstrap(m, 'nqp', { reps: 9999, seed: 1 })   // { p_value, conf_low, conf_high, … }
 */
export function wildBootstrap(m: FeolsResult, term: string, options: WildBootstrapOptions = {}): WildBootstrapResult {
  const state = fitState(m);
  const row = coef(m, term);
  if (state.iv) {
    fail('model', 'The wild cluster bootstrap here is for OLS models; an IV model needs the WRE bootstrap.');
  }
  const reps = options.reps ?? 9999;
  const repsProblem = wildRepsProblem(reps);
  if (repsProblem) fail('reps', repsProblem);
  const weights = options.weights ?? 'rademacher';
  if (weights !== 'rademacher' && weights !== 'webb') {
    fail('weights', `weights must be 'rademacher' or 'webb', got ${JSON.stringify(weights)}.`);
  }
  const seed = options.seed ?? 1;
  const seedProblem = wildSeedProblem(seed);
  if (seedProblem) fail('seed', seedProblem);
  const beta0 = options.beta0 ?? 0;
  if (!Number.isFinite(beta0)) fail('beta0', `beta0 must be a finite number, got ${beta0}.`);
  const level = options.level ?? m.spec.level;
  if (!(level > 0 && level < 1)) fail('level', `level must be between 0 and 1, got ${level}.`);
  const imposeNull = options.imposeNull ?? true;
  const clusterName = options.cluster ?? defaultCluster(m);
  const cl = clusterCodesOf(state, clusterName);
  const G = cl.nLevels;
  if (G < 2) fail('cluster', `"${clusterName}" has one cluster: nothing to bootstrap.`);
  if (G > MAX_CLUSTERS) {
    fail(
      'cluster',
      `"${clusterName}" has ${G} clusters; with more than ${MAX_CLUSTERS} the cluster-robust t is reliable.`,
    );
  }
  const j = state.names.indexOf(term);
  const X = state.scoresX;
  const A: Mat = state.B;
  const n = state.n;
  // The original statistic, unscaled as the bootstrap ones are: (β̂ − β0)/√Σ_g s_g², s_g = z_g'û_g.
  const s = clusterDot(scoreWeights(X, A, j), state.resid, cl.codes, G);
  const sd = Math.sqrt(s.reduce((acc, v) => acc + v * v, 0));
  if (!(sd > 0) || !Number.isFinite(sd)) {
    fail(
      'model',
      `The cluster-robust standard error of "${term}" is ${sd === 0 ? 'zero (a perfect fit)' : 'undefined'}: ` +
        'there is no t statistic to bootstrap.',
    );
  }
  let ry: Float64Array;
  let rx: Float64Array;
  if (imposeNull) {
    const others = X.filter((_, c) => c !== j);
    ry = others.length ? qrLeastSquares(others, state.yT).resid : Float64Array.from(state.yT);
    rx = others.length ? qrLeastSquares(others, X[j]).resid : Float64Array.from(X[j]);
  } else {
    ry = state.resid;
    rx = new Float64Array(n);
  }
  // Fixed effects not nested in the clusters, after absorbing the nested ones.
  const fes = state.design.fes;
  const nestedMask = fes.map((fe) => isNested(fe, cl.codes));
  const cross = fes.filter((_, g) => !nestedMask[g]);
  const crossLevels = cross.reduce((s, fe) => s + fe.nLevels, 0);
  if (crossLevels > MAX_CROSS_LEVELS) {
    fail(
      'fixed effects',
      `${cross.map((fe) => fe.name).join(', ')} (${crossLevels} levels) are not nested in "${clusterName}"; more ` +
        `than ${MAX_CROSS_LEVELS} such levels are not supported. Cluster at a level that nests them.`,
    );
  }
  let W: Float64Array[] = [];
  if (cross.length) {
    for (const fe of cross) {
      for (let l = 0; l < fe.nLevels; l++) {
        const d = new Float64Array(n);
        for (let i = 0; i < n; i++) if (fe.codes[i] === l) d[i] = 1;
        W.push(d);
      }
    }
    const nested = fes.filter((_, g) => nestedMask[g]);
    W = demeanColumns(W, nested, { tol: m.spec.tol }).out;
  }
  const enumerated = weights === 'rademacher' && G < 31 && 2 ** G < reps;
  const B = enumerated ? 2 ** G : reps;
  const rng = new Rng(seed);
  const fill = enumerated
    ? (b: number, v: Float64Array) => {
        for (let g = 0; g < G; g++) v[g] = (b >>> g) & 1 ? -1 : 1;
      }
    : weights === 'rademacher'
      ? (_b: number, v: Float64Array) => {
          for (let g = 0; g < G; g++) v[g] = rng.nextU32() & 1 ? -1 : 1;
        }
      : (_b: number, v: Float64Array) => {
          for (let g = 0; g < G; g++) v[g] = WEBB[rng.int(6)];
        };
  const draws = wildDraws({ X, A, j, ry, rx, cluster: cl.codes, G, W }, B, fill);
  const est = row.estimate;
  const p = (b0: number) => wildPValue(draws, b0, Math.abs(est - b0) / sd);
  const alpha = 1 - level;
  const [lo, hi] = [invert(p, est, -1, sd, alpha), invert(p, est, 1, sd, alpha)];
  return {
    term,
    estimate: est,
    beta0,
    statistic: (est - beta0) / row.std_error,
    p_value: p(beta0),
    conf_low: lo,
    conf_high: hi,
    level,
    reps: B,
    enumerated,
    weights,
    imposeNull,
    seed,
    cluster: clusterName,
    clusters: G,
  };
}

function defaultCluster(m: FeolsResult): string {
  const cl = m.vcov.clusters ?? [];
  if (m.vcov.kind !== 'cluster' || cl.length !== 1) {
    fail(
      'cluster',
      `The model's vcov is ${m.spec.vcov}; give the bootstrap cluster variable ({ cluster: 'province' }). ` +
        'Two-way clustering is not supported.',
    );
  }
  return cl[0].name;
}

/**
 * The end of the interval on one side of β̂ (dir = ±1): the β0 where the p-value falls below α, by bracketing
 * outwards from the Wald width and then bisection to 1e-10 of the scale. p is a step function; the answer is the
 * step at which it crosses α. Returns ±Infinity when p stays above α as far as 2^40 Wald widths.
 */
function invert(p: (b0: number) => number, est: number, dir: number, sd: number, alpha: number): number {
  let inner = est;
  let width = 2 * sd;
  let outer = est + dir * width;
  let tries = 0;
  while (p(outer) >= alpha) {
    inner = outer;
    width *= 2;
    outer = est + dir * width;
    if (++tries > 40) return dir * Infinity;
  }
  const tol = 1e-10 * Math.max(sd, Math.abs(est) * 1e-6);
  for (let it = 0; it < 200 && Math.abs(outer - inner) > tol; it++) {
    const mid = (inner + outer) / 2;
    if (p(mid) >= alpha) inner = mid;
    else outer = mid;
  }
  return (inner + outer) / 2;
}
