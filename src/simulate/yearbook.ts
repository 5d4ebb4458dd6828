/**
 * From the structural model to a yearbook extract: every raw column of the default panel is generated from the
 * latent variables of generate.ts in the units a yearbook has, with the documented missing cells and unit slips.
 */
import { Rng } from '../math/rng';
import {
  type CityFacts,
  type LatentPanel,
  INTERNET_USERS_PREV_YEAR,
  NATIONAL_GDP_GROWTH,
  simulateLatent,
  TRUTH,
  type Truth,
  YEARS,
} from './generate';

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
export function generatePanel(cities: CityFacts[], seed = TRUTH.seed, truth: Truth = TRUTH): GeneratedPanel {
  const rng = new Rng(seed);
  const L = simulateLatent(cities, rng, truth);
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
