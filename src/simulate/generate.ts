/**
 * The structural model behind the default panel.
 *
 * The real yearbook data behind the study are licensed and cannot be redistributed, so the default panel is
 * simulated from a documented model whose true parameters are known (data/truth.json). Every raw column is
 * generated from a few latent variables, in the units a yearbook extract has. In latent units (city i, year t,
 * t = year − 2010):
 *
 *   a_i                     city NQP level: region, administrative level and resource dependence shift it
 *   u_it = ρ u_i,t−1 + ξ    a time-varying unobserved confounder (AR(1))
 *   z_it = std(post1984_i) × internet_{t−1} / internet_2020      the instrument's latent part
 *   NQP*_it = a_i + τ t + γ z_it + κ_N u_it + e_it
 *   M_k,it  = m_ki + μ_k t + δ_k NQP*_it + ν_k,it                 k = industrial upgrading, talent, innovation
 *   dev_it  = 0.6 a_i + 0.08 t + φ e_it + ζ_it                    economic development (a control)
 *   R*_it   = b_i + λ_t + β_i NQP*_it + Σ_k θ_k M_k,it + κ_R u_it + ψ dev_it + ε_it
 *   b_i = ω a_i + η_i                                            city effects correlated with NQP (pooled OLS biased)
 *   β_i = β + h_res (res_i − mean) + h_adm (high_i − mean) + h_gov (gov_i − mean)   heterogeneity, mean β
 *
 * so the average total effect of NQP* on R* is β + Σ_k θ_k δ_k, and mediator k carries θ_k δ_k of it.
 * Raw indicators load on NQP* (or R*) with city-specific offsets and noise, then pass through realistic units.
 */
import type { Rng } from '../math/rng';

export interface CityFacts {
  city_code: number;
  name_en: string;
  province: string;
  region: string;
  admin_level: string;
  resource_based: number;
}

export const YEARS = Array.from({ length: 12 }, (_, i) => 2010 + i);

/** National real GDP growth, % (NBS, latest revisions), used by Martin's sensitivity index. */
export const NATIONAL_GDP_GROWTH: Record<number, number> = {
  2010: 10.6,
  2011: 9.6,
  2012: 7.9,
  2013: 7.8,
  2014: 7.4,
  2015: 7.0,
  2016: 6.8,
  2017: 6.9,
  2018: 6.7,
  2019: 6.0,
  2020: 2.2,
  2021: 8.4,
};
/** National internet users at the end of the previous year, 10k persons (CNNIC statistical reports). */
export const INTERNET_USERS_PREV_YEAR: Record<number, number> = {
  2010: 38400,
  2011: 45730,
  2012: 51310,
  2013: 56400,
  2014: 61758,
  2015: 64875,
  2016: 68826,
  2017: 73125,
  2018: 77198,
  2019: 82851,
  2020: 90359,
  2021: 98899,
};

/** The true parameters. Written to data/truth.json beside the panel. */
export const TRUTH = {
  seed: 20240501,
  beta_direct: 0.25,
  mediators: {
    indus: { delta: 0.6, theta: 0.1 },
    talent_lq: { delta: 0.5, theta: 0.09 },
    innov: { delta: 0.5, theta: 0.08 },
  },
  heterogeneity: { resource_based: -0.15, high_admin: 0.15, high_gov: 0.12 },
  confounder: { rho: 0.5, sd: 0.3, on_nqp: 0.5, on_resilience: 0.35 },
  instrument_on_nqp: 0.5,
  nqp_trend: 0.15,
  nqp_noise_sd: 0.25,
  resilience_noise_sd: 0.3,
  mediator_noise_sd: 0.4,
  city_effect_correlation: 1.5,
  development_on_resilience: 0.1,
  year_effects: {
    2010: 0,
    2011: 0.05,
    2012: 0,
    2013: 0.02,
    2014: 0,
    2015: -0.3,
    2016: -0.1,
    2017: 0.05,
    2018: 0.05,
    2019: 0,
    2020: -0.8,
    2021: 0.3,
  } as Record<number, number>,
  missing_share: 0.015,
  outliers: 10,
};

export interface LatentPanel {
  n: number;
  city: Int32Array;
  year: Int32Array;
  nqp: Float64Array;
  resilience: Float64Array;
  confounder: Float64Array;
  z: Float64Array;
  development: Float64Array;
  mediators: Record<'indus' | 'talent_lq' | 'innov', Float64Array>;
  betaCity: Float64Array;
  /**
   * Per-city facts used by the heterogeneity: resource-based, high administrative level, high government participation.
   */
  groups: { resource_based: Uint8Array; high_admin: Uint8Array; high_gov: Uint8Array };
  /** Per-city latent draws needed for raw columns. */
  cityDraws: { post1984: Float64Array; govPropensity: Float64Array; a: Float64Array };
  totalEffect: number;
}

const HIGH_ADMIN = new Set(['municipality', 'sub-provincial city', 'provincial capital']);
const REGION_SHIFT: Record<string, number> = { east: 0.4, central: 0, west: -0.3, northeast: -0.2 };

function median(xs: Float64Array): number {
  const s = Float64Array.from(xs).sort();
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export type Truth = typeof TRUTH;

/**
 * The same model with every path from NQP* to R* switched off: no direct effect, no mediator effect on resilience
 * (mediators still respond to NQP*), no heterogeneity, no development effect (development carries NQP*'s shocks)
 * and no confounder in R* (so a consistent estimator has nothing to find). Used to check that the notebooks do not
 * claim an effect that is not there.
 */
export function nullTruth(truth: Truth = TRUTH): Truth {
  const mediators = Object.fromEntries(
    Object.entries(truth.mediators).map(([k, v]) => [k, { ...v, theta: 0 }]),
  ) as Truth['mediators'];
  return {
    ...truth,
    beta_direct: 0,
    mediators,
    heterogeneity: { resource_based: 0, high_admin: 0, high_gov: 0 },
    confounder: { ...truth.confounder, on_resilience: 0 },
    // Development responds to NQP*'s shocks (φ e_it), so its effect on R* is a path from NQP* too.
    development_on_resilience: 0,
  };
}

/** The per-city draws of simulateLatent, in the order the panel's seed gives them. */
interface CityDraws {
  a: Float64Array;
  b: Float64Array;
  post: Float64Array;
  govProp: Float64Array;
  mCity: { indus: Float64Array; talent_lq: Float64Array; innov: Float64Array };
  res: Uint8Array;
  high: Uint8Array;
}

/**
 * Draw each city's effects into `d`. The engine optimises a long loop while it runs, and the first call of a function
 * runs the code before its loop before the engine collects type feedback: code there compiled without feedback is
 * thrown away on every later call. So this function reads nothing before its loop, and writes its result in place.
 */
function drawCities(cities: CityFacts[], rng: Rng, truth: Truth, d: CityDraws): void {
  for (let i = 0; i < cities.length; i++) {
    const c = cities[i];
    d.res[i] = c.resource_based ? 1 : 0;
    d.high[i] = HIGH_ADMIN.has(c.admin_level) ? 1 : 0;
    d.a[i] = 0.6 * rng.normal() + 0.5 * d.high[i] - 0.2 * d.res[i] + (REGION_SHIFT[c.region] ?? 0);
    d.b[i] = truth.city_effect_correlation * d.a[i] + 0.5 * rng.normal();
    d.post[i] = Math.exp(Math.log(0.9) + 0.35 * rng.normal());
    d.govProp[i] = rng.normal() + (c.region === 'west' ? 0.5 : 0) + (c.region === 'northeast' ? 0.3 : 0);
    for (const k of ['indus', 'talent_lq', 'innov'] as const) d.mCity[k][i] = 0.5 * d.a[i] + 0.5 * rng.normal();
  }
}

/** What fillCityYears reads besides the panel it fills. */
interface CityYearInputs {
  cities: CityFacts[];
  rng: Rng;
  truth: Truth;
  d: CityDraws;
  betaCity: Float64Array;
  /** Mean and standard deviation of the 1984 post offices, and the internet users of 2020. */
  pm: number;
  ps: number;
  netMax: number;
}

/** Fill the city-years of `out` in place; like drawCities, nothing is read before the loop. */
function fillCityYears(x: CityYearInputs, out: LatentPanel): void {
  for (let i = 0; i < x.cities.length; i++) {
    const { rng, truth, d } = x;
    const cf = truth.confounder;
    const med = truth.mediators;
    const T = YEARS.length;
    let uPrev = (cf.sd * rng.normal()) / Math.sqrt(1 - cf.rho * cf.rho);
    for (let t = 0; t < T; t++) {
      const r = i * T + t;
      const yr = YEARS[t];
      out.city[r] = x.cities[i].city_code;
      out.year[r] = yr;
      const ut = cf.rho * uPrev + cf.sd * rng.normal();
      uPrev = ut;
      out.confounder[r] = ut;
      out.z[r] = ((d.post[i] - x.pm) / x.ps) * (INTERNET_USERS_PREV_YEAR[yr] / x.netMax);
      const e = truth.nqp_noise_sd * rng.normal();
      out.nqp[r] = d.a[i] + truth.nqp_trend * t + truth.instrument_on_nqp * out.z[r] + cf.on_nqp * ut + e;
      out.development[r] = 0.6 * d.a[i] + 0.08 * t + 0.3 * e + 0.15 * rng.normal();
      let mediated = 0;
      for (const k of ['indus', 'talent_lq', 'innov'] as const) {
        const M = out.mediators[k];
        M[r] = d.mCity[k][i] + 0.03 * t + med[k].delta * out.nqp[r] + truth.mediator_noise_sd * rng.normal();
        mediated += med[k].theta * M[r];
      }
      out.resilience[r] =
        d.b[i] +
        truth.year_effects[yr] +
        x.betaCity[i] * out.nqp[r] +
        mediated +
        cf.on_resilience * ut +
        truth.development_on_resilience * out.development[r] +
        truth.resilience_noise_sd * rng.normal();
    }
  }
}

/** Simulate the latent variables (no raw columns). `rng` is advanced; the same seed gives the same panel. */
export function simulateLatent(cities: CityFacts[], rng: Rng, truth: Truth = TRUTH): LatentPanel {
  const C = cities.length;
  const T = YEARS.length;
  const n = C * T;
  const d: CityDraws = {
    a: new Float64Array(C),
    b: new Float64Array(C),
    post: new Float64Array(C),
    govProp: new Float64Array(C),
    mCity: { indus: new Float64Array(C), talent_lq: new Float64Array(C), innov: new Float64Array(C) },
    res: new Uint8Array(C),
    high: new Uint8Array(C),
  };
  drawCities(cities, rng, truth, d);
  const { a, post, govProp, res, high } = d;
  const govMed = median(govProp);
  const highGov = new Uint8Array(C);
  for (let i = 0; i < C; i++) highGov[i] = govProp[i] > govMed ? 1 : 0;
  const meanOf = (x: Uint8Array) => x.reduce((s, v) => s + v, 0) / x.length;
  const h = truth.heterogeneity;
  const mr = meanOf(res),
    mh = meanOf(high),
    mg = meanOf(highGov);
  const betaCity = new Float64Array(C);
  for (let i = 0; i < C; i++) {
    betaCity[i] =
      truth.beta_direct +
      h.resource_based * (res[i] - mr) +
      h.high_admin * (high[i] - mh) +
      h.high_gov * (highGov[i] - mg);
  }
  // Standardised 1984 post offices: the instrument's cross-section, drawn independently of everything else.
  let pm = 0,
    ps = 0;
  for (let i = 0; i < C; i++) pm += post[i] / C;
  for (let i = 0; i < C; i++) ps += (post[i] - pm) ** 2 / (C - 1);
  ps = Math.sqrt(ps);

  const med = truth.mediators;
  let indirect = 0;
  for (const k of Object.keys(med) as (keyof typeof med)[]) indirect += med[k].delta * med[k].theta;
  const out: LatentPanel = {
    n,
    city: new Int32Array(n),
    year: new Int32Array(n),
    nqp: new Float64Array(n),
    resilience: new Float64Array(n),
    confounder: new Float64Array(n),
    z: new Float64Array(n),
    development: new Float64Array(n),
    mediators: { indus: new Float64Array(n), talent_lq: new Float64Array(n), innov: new Float64Array(n) },
    betaCity,
    groups: { resource_based: res, high_admin: high, high_gov: highGov },
    cityDraws: { post1984: post, govPropensity: govProp, a },
    totalEffect: truth.beta_direct + indirect,
  };
  fillCityYears({ cities, rng, truth, d, betaCity, pm, ps, netMax: INTERNET_USERS_PREV_YEAR[2021] }, out);
  return out;
}
