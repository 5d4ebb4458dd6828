/**
 * The notebooks' repeated small fits (baseline, robustness, mechanisms, heterogeneity), called as the notebooks call
 * them, and their results in one exact text per call: for checking that a speed-up of feols, monteCarlo, groupDiff
 * or mediation leaves every number as it was (fits-fingerprint.test.ts). `m` is the package: this worktree's
 * sources (the test) or a built dist/index.js (fits-fingerprint.ts, to record the hashes of an older build).
 */
import { createHash } from 'node:crypto';

/** The package's module object, from src or from a dist of another build. */
type Pkg = any;

const CONTROLS = ['lnpgdp', 'open', 'fin', 'infra', 'lnpopden', 'urban_rate'];
const ctrl = CONTROLS.join(' + ');
const SEED = 20240501;
const fe = '| city_code + year';

/** JSON with the numbers JSON loses named (-0, NaN, ±Infinity) and typed arrays as the hex of their doubles. */
export function exactText(v: unknown): string {
  return JSON.stringify(v, (_k, x) => {
    if (typeof x === 'number') return Object.is(x, -0) || !Number.isFinite(x) ? `#${Object.is(x, -0) ? '-0' : x}` : x;
    if (ArrayBuffer.isView(x) && !(x instanceof DataView)) {
      const f = Float64Array.from(x as unknown as ArrayLike<number>, Number);
      return `${x.constructor.name}:${Buffer.from(f.buffer).toString('hex')}`;
    }
    return x;
  });
}

export const sha = (s: string): string => createHash('sha256').update(s).digest('hex');

/** Each call's result by name, per notebook. */
export async function notebookCalls(m: Pkg): Promise<Record<string, unknown>> {
  const study = m.studyPanel(undefined);
  const panel = study.data;
  const v = { vcov: { cluster: 'city_code' }, panel: study.panel };
  const q = { vcov: { cluster: 'city_code' } };
  const lv = { vcov: { cluster: 'city_code' }, panel: study.panel };
  const r: Record<string, unknown> = {};
  // baseline
  const rhs = ['nqp', ...CONTROLS].join(' + ');
  r['baseline.m1'] = m.feols(panel, 'resilience ~ nqp', v);
  r['baseline.m2'] = m.feols(panel, `resilience ~ ${rhs}`, v);
  r['baseline.m3'] = m.feols(panel, `resilience ~ ${rhs} | city_code`, v);
  const m4 = m.feols(panel, `resilience ~ ${rhs} | city_code + year`, v);
  r['baseline.m4'] = m4;
  r['baseline.standardized'] = m.standardizedEffect(m4, 'nqp');
  r['baseline.partialOut'] = m.partialOut(panel, 'resilience', 'nqp', CONTROLS, ['city_code', 'year']);
  const latent = m.loadLatent(undefined);
  r['baseline.latent1'] = m.feols(latent, 'resilience_true ~ nqp_true + development', lv);
  r['baseline.latent2'] = m.feols(latent, 'resilience_true ~ nqp_true + development + confounder', lv);
  r['baseline.latent3'] = m.feols(latent, 'resilience_true ~ nqp_true + development | city_code + year', lv);
  r['baseline.latent4'] = m.feols(
    latent,
    'resilience_true ~ nqp_true + development + confounder | city_code + year',
    lv,
  );
  r['baseline.monteCarlo'] = m.monteCarlo({ draws: 50, firstSeed: 1 });
  r['baseline.q2'] = m.feols(panel, `resilience ~ ${rhs} | year`, q);
  r['baseline.q3'] = m.feols(panel, `resilience ~ ${rhs} | city_code + year`, q);
  // robustness
  const baseline = m.feols(panel, `resilience ~ nqp + ${ctrl} ${fe}`, v);
  r['robustness.baseline'] = baseline;
  const iv = m.feols(panel, `resilience ~ ${ctrl} ${fe} | nqp ~ iv_post`, v);
  r['robustness.iv'] = iv;
  const ivSample = m.estimationSample(iv);
  r['robustness.first'] = m.feols(ivSample, `nqp ~ iv_post + ${ctrl} ${fe}`, v);
  r['robustness.reduced'] = m.feols(ivSample, `resilience ~ iv_post + ${ctrl} ${fe}`, v);
  r['robustness.lag'] = m.feols(panel, `resilience ~ l(nqp, 1) + ${ctrl} ${fe}`, v);
  const y0 = study.load.years[0];
  r['robustness.evFirst'] = m.feols(panel, `nqp ~ i(year, post1984, ref = ${y0}) + ${ctrl} ${fe}`, v);
  r['robustness.evReduced'] = m.feols(panel, `resilience ~ i(year, post1984, ref = ${y0}) + ${ctrl} ${fe}`, v);
  r['robustness.latentFe'] = m.feols(latent, 'resilience_true ~ nqp_true + development | city_code + year', lv);
  r['robustness.latentIv'] = m.feols(
    latent,
    'resilience_true ~ development | city_code + year | nqp_true ~ instrument_latent',
    lv,
  );
  const ind = m.indicatorsFrom(study.codebook, 'nqp_indicator');
  const alt = m.equalWeightsIndex(m.pcaIndex(panel, ind, 'nqp_pca').data, ind, 'nqp_equal');
  r['robustness.r1'] = m.feols(alt, `resilience ~ nqp_pca + ${ctrl} ${fe}`, v);
  r['robustness.r2'] = m.feols(alt, `resilience ~ nqp_equal + ${ctrl} ${fe}`, v);
  r['robustness.r3'] = m.feols(alt, `resilience_martin ~ nqp + ${ctrl} ${fe}`, v);
  const mp = m.martinPhases(panel, { means: ['nqp', ...CONTROLS], carry: ['city_code'] });
  r['robustness.phases'] = m.feols(mp.data, `martin ~ i(kind, nqp) + ${ctrl} | city_code + phase`, v);
  const noMuni = panel.filter((d: { admin_level: string }) => d.admin_level !== 'municipality');
  r['robustness.noMunicipalities'] = m.feols(noMuni, `resilience ~ nqp + ${ctrl} ${fe}`, v);
  r['robustness.before2020'] = m.feols(
    panel.filter((d: { year: number }) => d.year < 2020),
    `resilience ~ nqp + ${ctrl} ${fe}`,
    v,
  );
  const wins = m.winsorize(panel, ['resilience', 'nqp', ...CONTROLS]);
  r['robustness.winsorised'] = m.feols(wins.data, `resilience ~ nqp + ${ctrl} ${fe}`, v);
  r['robustness.provinceYear'] = m.feols(panel, `resilience ~ nqp + ${ctrl} | city_code + province^year`, v);
  r['robustness.byProvince'] = m.withVcov(baseline, { cluster: 'province' });
  r['robustness.q1'] = m.feols(ivSample, `nqp ~ iv_post + ${ctrl} | city_code + year`, q);
  // mechanisms
  r['mechanisms.mediation'] = await m.mediation(panel, {
    x: 'nqp',
    y: 'resilience',
    mediators: ['indus', 'talent_lq', 'innov'],
    controls: CONTROLS,
    panel: study.panel,
    cluster: 'city_code',
    reps: 1000,
    seed: SEED,
  });
  r['mechanisms.q1'] = m.feols(panel, `indus ~ nqp + ${ctrl} | city_code + year`, q);
  r['mechanisms.q2'] = m.feols(panel, `resilience ~ nqp + talent_lq + ${ctrl} | city_code + year`, q);
  // heterogeneity
  const data = m
    .cityMedianSplit(panel, 'gov')
    .data.derive({ non_resource: (d: { resource_based: number }) => 1 - d.resource_based });
  const latentG = latent.derive({ non_resource: (d: { resource_based: number }) => 1 - d.resource_based });
  for (const group of ['non_resource', 'high_gov', 'high_admin']) {
    r[`heterogeneity.${group}`] = await m.groupDiff(data, {
      x: 'nqp',
      y: 'resilience',
      group,
      labels: ['in', 'out'],
      controls: CONTROLS,
      panel: study.panel,
      cluster: 'city_code',
      reps: 1000,
      seed: SEED,
    });
    r[`heterogeneity.latent.${group}`] = await m.groupDiff(latentG, {
      x: 'nqp_true',
      y: 'resilience_true',
      group,
      controls: ['development', 'confounder'],
      panel: study.panel,
      reps: 99,
      seed: SEED,
    });
  }
  r['heterogeneity.q1'] = m.feols(
    data.filter((d: { non_resource: number }) => d.non_resource === 1),
    `resilience ~ nqp + ${ctrl} ${fe}`,
    q,
  );
  return r;
}

/** SHA-256 of each call's exact text. */
export async function callHashes(m: Pkg): Promise<Record<string, string>> {
  const r = await notebookCalls(m);
  return Object.fromEntries(Object.entries(r).map(([k, x]) => [k, sha(exactText(x))]));
}
