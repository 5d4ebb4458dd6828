/**
 * npm run bench — speed and memory, printed as one JSON object. Timed here, never in tests.
 *   feols_1m:     1,000,000 rows, 10 regressors, 50,000 units × 20 years, two-way FE, clustered by unit
 *                 (run in a child process so its peak resident memory is its own)
 *   feols_paper:  2,760 rows (230 cities × 12 years), the baseline specification, ms per fit
 *   mediation:    1,000 cluster-bootstrap replications of the three mediation models on the default panel
 *   permutation:  1,000 permutation draws for one heterogeneity split on the default panel
 *   wild_bootstrap: 9,999 WCR draws for the NQP coefficient of the baseline, clustered by city (230) and by
 *                 province (31), on the default panel
 * Data are simulated with fixed seeds (shown).
 */
import { spawnSync } from 'node:child_process';
import { feols, mediation, groupDiff, studyPanel, wildBootstrap, Rng } from '../src/index';

const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function bigChild(): void {
  const seed = 1;
  const units = 50_000,
    T = 20,
    n = units * T,
    k = 10;
  const rng = new Rng(seed);
  const cols: Record<string, Float64Array | Int32Array> = {
    id: new Int32Array(n),
    t: new Int32Array(n),
    y: new Float64Array(n),
  };
  for (let j = 0; j < k; j++) cols['x' + j] = new Float64Array(n);
  const ua = new Float64Array(units).map(() => rng.normal());
  for (let i = 0; i < n; i++) {
    const u = Math.floor(i / T),
      t = i % T;
    (cols.id as Int32Array)[i] = u;
    (cols.t as Int32Array)[i] = t;
    let y = ua[u] + 0.1 * t;
    for (let j = 0; j < k; j++) {
      const x = rng.normal() + 0.5 * ua[u];
      (cols['x' + j] as Float64Array)[i] = x;
      y += 0.1 * (j + 1) * x;
    }
    (cols.y as Float64Array)[i] = y + rng.normal();
  }
  const data = { columnNames: () => Object.keys(cols), numRows: () => n, array: (nm: string) => cols[nm] };
  const f = 'y ~ ' + Array.from({ length: k }, (_, j) => 'x' + j).join(' + ') + ' | id + t';
  const rssBefore = process.memoryUsage().rss;
  const times: number[] = [];
  let est = 0;
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    const m = feols(data, f, { vcov: { cluster: 'id' }, panel: { id: 'id', time: 't' } });
    times.push((performance.now() - t0) / 1000);
    est = m.coefficients[0].estimate;
  }
  process.stdout.write(
    JSON.stringify({
      rows: n,
      regressors: k,
      units,
      periods: T,
      seed,
      fit_s_runs: times,
      fit_s_median: median(times),
      data_rss_mb: rssBefore / 2 ** 20,
      peak_rss_mb: process.resourceUsage().maxRSS / 1024,
      x0_estimate: est,
      x0_truth: 0.1,
    }),
  );
}

async function main(): Promise<void> {
  if (process.argv.includes('--big-child')) return bigChild();
  const out: Record<string, unknown> = { node: process.version, cpus: require('node:os').cpus().length };
  const child = spawnSync(process.execPath, ['--import', 'tsx', __filename, '--big-child'], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  out.feols_1m = child.status === 0 ? JSON.parse(child.stdout) : { error: child.stderr.slice(-500) };

  const s = studyPanel();
  const controls = ['lnpgdp', 'open', 'fin', 'infra', 'lnpopden', 'urban_rate'];
  const f = `resilience ~ nqp + ${controls.join(' + ')} | city_code + year`;
  for (let i = 0; i < 20; i++) feols(s.data, f); // warm-up
  const reps = 200;
  let t0 = performance.now();
  for (let i = 0; i < reps; i++) feols(s.data, f, { vcov: { cluster: 'city_code' } });
  out.feols_paper = { rows: s.data.numRows(), fits: reps, ms_per_fit: (performance.now() - t0) / reps };

  const medRuns: number[] = [];
  for (let r = 0; r < 3; r++) {
    t0 = performance.now();
    await mediation(s.data, {
      x: 'nqp',
      y: 'resilience',
      mediators: ['indus', 'talent_lq', 'innov'],
      controls,
      reps: 1000,
      seed: 20240501,
    });
    medRuns.push((performance.now() - t0) / 1000);
  }
  out.mediation = {
    replications: 1000,
    mediators: 3,
    seed: 20240501,
    total_s_runs: medRuns,
    total_s_median: median(medRuns),
    note: 'includes the 7 point-estimate fits',
  };

  const permRuns: number[] = [];
  for (let r = 0; r < 3; r++) {
    t0 = performance.now();
    await groupDiff(s.data, {
      x: 'nqp',
      y: 'resilience',
      group: 'resource_based',
      controls,
      reps: 1000,
      seed: 20240501,
    });
    permRuns.push((performance.now() - t0) / 1000);
  }
  out.permutation = {
    draws: 1000,
    split: 'resource_based',
    seed: 20240501,
    total_s_runs: permRuns,
    total_s_median: median(permRuns),
    note: 'includes the subsample, interaction and SUEST fits',
  };
  const wild: Record<string, unknown> = {};
  for (const cluster of ['city_code', 'province']) {
    const m = feols(s.data, f, { vcov: { cluster } });
    const runs: number[] = [];
    let w = wildBootstrap(m, 'nqp', { reps: 9999, seed: 1 });
    for (let r = 0; r < 3; r++) {
      t0 = performance.now();
      w = wildBootstrap(m, 'nqp', { reps: 9999, seed: 1 });
      runs.push((performance.now() - t0) / 1000);
    }
    wild[cluster] = {
      clusters: w.clusters,
      draws: w.reps,
      seed: w.seed,
      p_value: w.p_value,
      conf_int: [w.conf_low, w.conf_high],
      total_s_runs: runs,
      total_s_median: median(runs),
      note: 'p-value and the test-inversion interval',
    };
  }
  out.wild_bootstrap = wild;
  process.stdout.write(JSON.stringify(out, null, 2) + '\n');
}

main();
