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
import { Rng } from '../math/rng';

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

/** Simulate the latent variables (no raw columns). `rng` is advanced; the same seed gives the same panel. */
export function simulateLatent(cities: CityFacts[], rng: Rng, truth = TRUTH): LatentPanel {
  const C = cities.length;
  const T = YEARS.length;
  const n = C * T;
  const a = new Float64Array(C);
  const b = new Float64Array(C);
  const post = new Float64Array(C);
  const govProp = new Float64Array(C);
  const mCity = { indus: new Float64Array(C), talent_lq: new Float64Array(C), innov: new Float64Array(C) };
  const res = new Uint8Array(C);
  const high = new Uint8Array(C);
  for (let i = 0; i < C; i++) {
    const c = cities[i];
    res[i] = c.resource_based ? 1 : 0;
    high[i] = HIGH_ADMIN.has(c.admin_level) ? 1 : 0;
    a[i] = 0.6 * rng.normal() + 0.5 * high[i] - 0.2 * res[i] + (REGION_SHIFT[c.region] ?? 0);
    b[i] = truth.city_effect_correlation * a[i] + 0.5 * rng.normal();
    post[i] = Math.exp(Math.log(0.9) + 0.35 * rng.normal());
    govProp[i] = rng.normal() + (c.region === 'west' ? 0.5 : 0) + (c.region === 'northeast' ? 0.3 : 0);
    for (const k of ['indus', 'talent_lq', 'innov'] as const) mCity[k][i] = 0.5 * a[i] + 0.5 * rng.normal();
  }
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

  const city = new Int32Array(n),
    year = new Int32Array(n);
  const nqp = new Float64Array(n),
    resil = new Float64Array(n),
    u = new Float64Array(n),
    z = new Float64Array(n),
    dev = new Float64Array(n);
  const M = { indus: new Float64Array(n), talent_lq: new Float64Array(n), innov: new Float64Array(n) };
  const cf = truth.confounder;
  const med = truth.mediators;
  const netMax = INTERNET_USERS_PREV_YEAR[2021];
  for (let i = 0; i < C; i++) {
    let uPrev = (cf.sd * rng.normal()) / Math.sqrt(1 - cf.rho * cf.rho);
    for (let t = 0; t < T; t++) {
      const r = i * T + t;
      const yr = YEARS[t];
      city[r] = cities[i].city_code;
      year[r] = yr;
      const ut = cf.rho * uPrev + cf.sd * rng.normal();
      uPrev = ut;
      u[r] = ut;
      z[r] = ((post[i] - pm) / ps) * (INTERNET_USERS_PREV_YEAR[yr] / netMax);
      const e = truth.nqp_noise_sd * rng.normal();
      nqp[r] = a[i] + truth.nqp_trend * t + truth.instrument_on_nqp * z[r] + cf.on_nqp * ut + e;
      dev[r] = 0.6 * a[i] + 0.08 * t + 0.3 * e + 0.15 * rng.normal();
      let mediated = 0;
      for (const k of ['indus', 'talent_lq', 'innov'] as const) {
        M[k][r] = mCity[k][i] + 0.03 * t + med[k].delta * nqp[r] + truth.mediator_noise_sd * rng.normal();
        mediated += med[k].theta * M[k][r];
      }
      resil[r] =
        b[i] +
        truth.year_effects[yr] +
        betaCity[i] * nqp[r] +
        mediated +
        cf.on_resilience * ut +
        truth.development_on_resilience * dev[r] +
        truth.resilience_noise_sd * rng.normal();
    }
  }
  let indirect = 0;
  for (const k of Object.keys(med) as (keyof typeof med)[]) indirect += med[k].delta * med[k].theta;
  return {
    n,
    city,
    year,
    nqp,
    resilience: resil,
    confounder: u,
    z,
    development: dev,
    mediators: M,
    betaCity,
    groups: { resource_based: res, high_admin: high, high_gov: highGov },
    cityDraws: { post1984: post, govPropensity: govProp, a },
    totalEffect: truth.beta_direct + indirect,
  };
}

const logistic = (x: number) => 1 / (1 + Math.exp(-x));

/** Column name → formatter (decimals) for the raw panel; the order is the CSV's column order. */
export const PANEL_COLUMNS: [string, number][] = [
  ['city_code', 0],
  ['year', 0],
  ['wage', 0],
  ['students', 1],
  ['rd_it_share', 3],
  ['labour_prod', 2],
  ['broadband', 2],
  ['mobile', 2],
  ['telecom_pc', 1],
  ['st_spend_share', 3],
  ['digital_finance', 2],
  ['energy_intensity', 4],
  ['green_cover', 2],
  ['so2_intensity', 3],
  ['wastewater_intensity', 3],
  ['solid_waste_util', 2],
  ['hitech_share', 3],
  ['pm25', 1],
  ['gdp_growth', 2],
  ['unemp_rate', 2],
  ['fiscal_self', 4],
  ['savings_pc', 0],
  ['retail_pc', 0],
  ['ind_diversity', 3],
  ['rd_gdp', 3],
  ['edu_spend_share', 2],
  ['new_firms', 2],
  ['gdp', 2],
  ['pop', 2],
  ['area', 0],
  ['nat_gdp_growth', 1],
  ['fdi', 3],
  ['loans', 2],
  ['road_pc', 2],
  ['urban_rate', 2],
  ['tertiary_gdp', 2],
  ['secondary_gdp', 2],
  ['talent_lq', 4],
  ['patents', 0],
  ['fiscal_exp', 2],
  ['post1984', 4],
  ['internet_nat_lag', 0],
];

/** Columns never blanked or perturbed: keys, national series, the fixed 1984 cross-section, land area. */
const PROTECTED = new Set([
  'city_code',
  'year',
  'nat_gdp_growth',
  'internet_nat_lag',
  'post1984',
  'area',
  'pop',
  'gdp',
]);

const MUNICIPALITY_POP: Record<number, number> = { 110000: 1300, 120000: 1000, 310000: 1410, 500000: 3300 };
const MUNICIPALITY_AREA: Record<number, number> = { 110000: 16411, 120000: 11967, 310000: 6341, 500000: 82402 };

export interface GeneratedPanel {
  columns: Record<string, Float64Array>;
  latent: LatentPanel;
  edits: { missing: number; outliers: { row: number; column: string; factor: number }[] };
}

/** Generate the raw panel from the structural model. Deterministic in `seed`. */
export function generatePanel(cities: CityFacts[], seed = TRUTH.seed): GeneratedPanel {
  const rng = new Rng(seed);
  const L = simulateLatent(cities, rng);
  const C = cities.length,
    T = YEARS.length,
    n = L.n;
  const col: Record<string, Float64Array> = {};
  for (const [name] of PANEL_COLUMNS) col[name] = new Float64Array(n);
  // City-specific offsets for each raw indicator: cities differ in ways the index does not capture.
  const offsets = new Map<string, Float64Array>();
  const offset = (name: string, sd: number) => {
    let o = offsets.get(name);
    if (!o) {
      o = new Float64Array(C);
      for (let i = 0; i < C; i++) o[i] = sd * rng.normal();
      offsets.set(name, o);
    }
    return o;
  };
  const basePop = new Float64Array(C),
    area = new Float64Array(C);
  for (let i = 0; i < C; i++) {
    const code = cities[i].city_code;
    basePop[i] = MUNICIPALITY_POP[code] ?? Math.exp(Math.log(430) + 0.45 * rng.normal());
    area[i] = MUNICIPALITY_AREA[code] ?? Math.round(Math.exp(Math.log(13000) + 0.55 * rng.normal()));
  }
  // City growth is national growth plus the city's resilience relative to the year's mean.
  const yearMeanR = new Float64Array(T);
  for (let r = 0; r < n; r++) yearMeanR[r % T] += L.resilience[r] / C;
  for (let i = 0; i < C; i++) {
    for (let t = 0; t < T; t++) {
      const r = i * T + t;
      const yr = YEARS[t];
      const q = L.nqp[r] - TRUTH.nqp_trend * t; // NQP* net of its trend
      const R = L.resilience[r];
      const sig = (name: string, load: number, sd = 0.35, noise = 0.2) =>
        load * q + offset(name, sd)[i] + noise * rng.normal();
      const rsig = (name: string, load: number, sd = 0.35, noise = 0.25) =>
        load * R + offset(name, sd)[i] + noise * rng.normal();
      const g = (rate: number) => (1 + rate) ** t;
      col.city_code[r] = cities[i].city_code;
      col.year[r] = yr;
      // Labourers
      col.wage[r] = 36000 * g(0.085) * Math.exp(0.25 * sig('wage', 0.9));
      col.students[r] = 180 * g(0.03) * Math.exp(0.6 * sig('students', 0.8, 0.6));
      col.rd_it_share[r] = 100 * logistic(-3.4 + 0.03 * t + 0.5 * sig('rd_it_share', 0.9));
      col.labour_prod[r] = 9 * g(0.07) * Math.exp(0.3 * sig('labour_prod', 0.8));
      // Means of labour
      col.broadband[r] = 14 * g(0.11) * Math.exp(0.3 * sig('broadband', 0.8));
      col.mobile[r] = 75 * g(0.035) * Math.exp(0.2 * sig('mobile', 0.7));
      col.telecom_pc[r] = 900 * g(0.16) * Math.exp(0.35 * sig('telecom_pc', 0.7));
      col.st_spend_share[r] = 100 * logistic(-4.0 + 0.02 * t + 0.45 * sig('st_spend_share', 0.9));
      col.digital_finance[r] = 60 + 20 * t + 25 * sig('digital_finance', 0.9, 0.3, 0.1);
      col.energy_intensity[r] = 0.95 * g(-0.045) * Math.exp(-0.3 * sig('energy_intensity', 0.7));
      // Objects of labour
      col.green_cover[r] = 100 * logistic(-0.45 + 0.015 * t + 0.18 * sig('green_cover', 0.6));
      col.so2_intensity[r] = 40 * g(-0.12) * Math.exp(-0.5 * sig('so2_intensity', 0.7, 0.6));
      col.wastewater_intensity[r] = 9 * g(-0.08) * Math.exp(-0.45 * sig('wastewater_intensity', 0.7, 0.6));
      col.solid_waste_util[r] = 100 * logistic(1.2 + 0.02 * t + 0.4 * sig('solid_waste_util', 0.6, 0.6));
      col.hitech_share[r] = 100 * logistic(-2.3 + 0.03 * t + 0.5 * sig('hitech_share', 0.9));
      col.pm25[r] = 55 * g(-0.045) * Math.exp(-0.2 * sig('pm25', 0.5, 0.4));
      // Resilience: resistance and recovery
      col.gdp_growth[r] = NATIONAL_GDP_GROWTH[yr] + 1.2 * (rsig('gdp_growth', 1, 0.4, 0.5) - yearMeanR[t]);
      col.unemp_rate[r] = Math.min(6.5, Math.max(1.0, 3.3 - 0.45 * rsig('unemp_rate', 0.8)));
      col.fiscal_self[r] = logistic(-0.3 + 0.5 * rsig('fiscal_self', 0.8, 0.5));
      // Adaptation and adjustment
      col.savings_pc[r] = 24000 * g(0.095) * Math.exp(0.25 * rsig('savings_pc', 0.8));
      col.retail_pc[r] = 14000 * g(0.08) * Math.exp(0.25 * rsig('retail_pc', 0.8));
      col.ind_diversity[r] = Math.max(1.5, 5.2 + 0.9 * rsig('ind_diversity', 0.7));
      // Innovation and transformation
      col.rd_gdp[r] = 1.4 * g(0.03) * Math.exp(0.35 * rsig('rd_gdp', 0.8));
      col.edu_spend_share[r] = Math.max(8, 17.5 + 1.8 * rsig('edu_spend_share', 0.6));
      col.new_firms[r] = 18 * g(0.1) * Math.exp(0.3 * rsig('new_firms', 0.8));
      // Size, controls and the raw parts of derived variables
      const pop = basePop[i] * g(0.005) * Math.exp(0.01 * rng.normal());
      col.pop[r] = pop;
      col.area[r] = area[i];
      const pgdp = 30000 * Math.exp(0.45 * L.development[r] + 0.035 * t);
      col.gdp[r] = (pgdp * pop * 1e4) / 1e8;
      col.nat_gdp_growth[r] = NATIONAL_GDP_GROWTH[yr];
      col.fdi[r] = col.gdp[r] * 0.02 * g(-0.03) * Math.exp(0.8 * offset('fdi', 1)[i] + 0.25 * rng.normal());
      col.loans[r] = col.gdp[r] * 0.95 * g(0.035) * Math.exp(0.3 * offset('loans', 1)[i] + 0.08 * rng.normal());
      col.road_pc[r] = 11 * g(0.025) * Math.exp(0.3 * offset('road_pc', 1)[i] + 0.06 * rng.normal());
      col.urban_rate[r] = 100 * logistic(0.1 + 0.5 * L.cityDraws.a[i] + 0.055 * t + 0.05 * rng.normal());
      const indus = Math.exp(-0.2 + 0.3 * L.mediators.indus[r] - 0.3 * L.cityDraws.a[i] * 0.5);
      const primary = Math.max(0.01, 0.1 - 0.03 * L.cityDraws.a[i] - 0.003 * t + 0.005 * rng.normal());
      const secondary = (1 - primary) / (1 + indus);
      col.secondary_gdp[r] = col.gdp[r] * secondary;
      col.tertiary_gdp[r] = col.gdp[r] * secondary * indus;
      col.talent_lq[r] = Math.exp(0.25 * L.mediators.talent_lq[r] - 0.1);
      const patentsPer10k = Math.exp(0.6 * L.mediators.innov[r] - 0.2);
      col.patents[r] = Math.round(patentsPer10k * pop);
      const gov = 0.17 * Math.exp(0.25 * L.cityDraws.govPropensity[i] + 0.01 * t + 0.05 * rng.normal());
      col.fiscal_exp[r] = col.gdp[r] * gov;
      col.post1984[r] = L.cityDraws.post1984[i];
      col.internet_nat_lag[r] = INTERNET_USERS_PREV_YEAR[yr];
    }
  }
  // Round to the published precision first, so the missing/outlier edits below act on what the CSV holds.
  for (const [name, dec] of PANEL_COLUMNS) {
    const c = col[name];
    const f = 10 ** dec;
    for (let r = 0; r < n; r++) c[r] = Math.round(c[r] * f) / f;
  }
  // Yearbook realities: scattered missing cells and a few unit slips (a value 10× or 1/10 of the truth).
  let missing = 0;
  const editable = PANEL_COLUMNS.map(([c]) => c).filter((c) => !PROTECTED.has(c));
  for (const name of editable) {
    for (let r = 0; r < n; r++) {
      if (rng.uniform() < TRUTH.missing_share) {
        col[name][r] = NaN;
        missing++;
      }
    }
  }
  const outliers: GeneratedPanel['edits']['outliers'] = [];
  const outlierCols = [
    'wage',
    'so2_intensity',
    'telecom_pc',
    'students',
    'labour_prod',
    'savings_pc',
    'wastewater_intensity',
    'retail_pc',
  ];
  while (outliers.length < TRUTH.outliers) {
    const r = rng.int(n);
    const column = outlierCols[rng.int(outlierCols.length)];
    if (Number.isNaN(col[column][r])) continue;
    const factor = rng.uniform() < 0.7 ? 10 : 0.1;
    const dec = PANEL_COLUMNS.find(([c]) => c === column)?.[1] ?? 6;
    const f = 10 ** dec;
    col[column][r] = Math.round(col[column][r] * factor * f) / f;
    outliers.push({ row: r, column, factor });
  }
  return { columns: col, latent: L, edits: { missing, outliers } };
}

/** Format a number as the CSV writes it: fixed decimals, empty for missing. */
export function formatCell(x: number, decimals: number): string {
  return Number.isNaN(x) ? '' : x.toFixed(decimals);
}
