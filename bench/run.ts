/**
 * npm run bench — speed and memory, printed as one JSON object. Timed here, never in tests.
 *   cli_fit:      `nqp fit --json` end to end as a child process (node start, CSV load, fit, JSON), on panels of
 *                 1M, 2M and 5M rows (50,000 / 100,000 / 250,000 units × 20 years, 10 regressors, two-way FE,
 *                 clustered by unit; bench/panel-csv.ts writes them to $NQP_BENCH_DIR, default /tmp/nqp-bench).
 *                 Each fit is compared with the engine on the same numbers in memory (max relative difference
 *                 of coefficients and SEs), and, where R has fixest, with fixest (fread + feols, 2 threads;
 *                 bench/fixest.R) on the same file. Below 5M rows each tool runs three times, in turn, and
 *                 the medians are reported (peak RSS: the largest).
 *   feols_paper:  2,760 rows (230 cities × 12 years), the baseline specification, ms per fit
 *   mediation:    1,000 cluster-bootstrap replications of the three mediation models on the default panel
 *   permutation:  1,000 permutation draws for one heterogeneity split on the default panel
 *   wild_bootstrap: 9,999 WCR draws for the NQP coefficient of the baseline, clustered by city (230) and by
 *                 province (31), on the default panel
 *   hostile_files: ms to load (or refuse) each hostile file of the bad-input catalogue (bench/hostile.ts)
 *   reproduce:    `nqp reproduce` (five notebooks, real tslab kernels): wall and CPU, median of three runs, and the
 *                 floor tslab itself sets (bench/reproduce.ts)
 *   teach:        `nqp class` for 30 students (mechanisms) and `nqp grade` of 30 submissions (bench/teach.ts)
 *   reproduce_deno: `nqp reproduce --kernel deno` and the tslab kernel in turn, the ratio (bench/reproduce-deno.ts)
 * Data are simulated with fixed seeds (shown). Set NQP_BENCH_ROWS=1 to run only the 1M-row panel.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { feols, mediation, groupDiff, studyPanel, wildBootstrap, Rng } from '../src/index';
import { BENCH_REGRESSORS, writeBenchCsv } from './panel-csv';
import { benchHostile } from './hostile';
import { benchReproduce } from './reproduce';
import { benchTeach } from './teach';
import { benchReproduceDeno } from './reproduce-deno';

const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ROOT = join(__dirname, '..');
const FORMULA = `y ~ ${Array.from({ length: BENCH_REGRESSORS }, (_, j) => `x${j}`).join(' + ')} | id + t`;

/** The engine on the bench panel's numbers in memory, rounded as the CSV writes them (same seed, same draws). */
function engineFit(units: number, periods: number, seed: number) {
  const n = units * periods;
  const k = BENCH_REGRESSORS;
  const rng = new Rng(seed);
  const cols: Record<string, Float64Array> = {
    id: new Float64Array(n),
    t: new Float64Array(n),
    y: new Float64Array(n),
  };
  for (let j = 0; j < k; j++) cols[`x${j}`] = new Float64Array(n);
  const x = new Float64Array(k);
  for (let u = 0, i = 0; u < units; u++) {
    const ua = rng.normal();
    for (let t = 0; t < periods; t++, i++) {
      let y = ua + 0.1 * t;
      for (let j = 0; j < k; j++) {
        x[j] = rng.normal() + 0.5 * ua;
        y += 0.1 * (j + 1) * x[j];
      }
      y += rng.normal();
      cols.id[i] = u;
      cols.t[i] = t;
      cols.y[i] = Number(y.toPrecision(10));
      for (let j = 0; j < k; j++) cols[`x${j}`][i] = Number(x[j].toPrecision(10));
    }
  }
  const data = { columnNames: () => Object.keys(cols), numRows: () => n, array: (nm: string) => cols[nm] };
  const t0 = performance.now();
  const m = feols(data, FORMULA, { vcov: { cluster: 'id' } });
  return { m, fit_s: (performance.now() - t0) / 1000 };
}

function cliFit(file: string) {
  const t0 = performance.now();
  const r = spawnSync(
    process.execPath,
    [
      '-r',
      join(__dirname, 'rss-report.js'),
      join(ROOT, 'bin', 'nqp.js'),
      'fit',
      '--data',
      file,
      '--formula',
      FORMULA,
      '--vcov',
      'cluster:id',
      '--json',
    ],
    { encoding: 'utf8', maxBuffer: 64 << 20 },
  );
  const wall = (performance.now() - t0) / 1000;
  if (r.status !== 0) return { error: r.stderr.slice(-500) };
  const out = JSON.parse(r.stdout);
  const rss = Number(/NQP_PEAK_RSS_MB ([\d.]+)/.exec(r.stderr)?.[1]);
  return { out, wall_s: wall, peak_rss_mb: rss };
}

function fixestFit(file: string): Record<string, number> | undefined {
  const probe = spawnSync('Rscript', ['-e', 'suppressPackageStartupMessages(library(fixest))'], { encoding: 'utf8' });
  if (probe.status !== 0) return undefined;
  const t0 = performance.now();
  const r = spawnSync('Rscript', [join(__dirname, 'fixest.R'), file, '2'], { encoding: 'utf8' });
  if (r.status !== 0) return undefined;
  return { ...JSON.parse(r.stdout.trim().split('\n').pop() as string), wall_s: (performance.now() - t0) / 1000 };
}

function warmCache(file: string): void {
  const fd = openSync(file, 'r');
  const buf = Buffer.allocUnsafe(8 << 20);
  while (readSync(fd, buf, 0, buf.length, null) > 0);
  closeSync(fd);
}

function benchCli(): Record<string, unknown> {
  const dir = process.env.NQP_BENCH_DIR ?? join(tmpdir(), 'nqp-bench');
  mkdirSync(dir, { recursive: true });
  const sizes = process.env.NQP_BENCH_ROWS === '1' ? [50_000] : [50_000, 100_000, 250_000];
  const out: Record<string, unknown> = {};
  for (const units of sizes) {
    const periods = 20;
    const seed = 1;
    const file = join(dir, `panel-${units}x${periods}-seed${seed}.csv`);
    if (!existsSync(file)) writeBenchCsv(file, units, periods, seed);
    // Both tools read the file from a warm page cache: read it once before either is timed.
    warmCache(file);
    // Three runs of each tool, taken in turn, below 5M rows; the medians are reported (single runs vary by 10–30%).
    const runs = units < 250_000 ? 3 : 1;
    const clis: ReturnType<typeof cliFit>[] = [];
    const fxs: Record<string, number>[] = [];
    for (let r = 0; r < runs; r++) {
      clis.push(cliFit(file));
      const fxRun = fixestFit(file);
      if (fxRun) fxs.push(fxRun);
    }
    const entry: Record<string, unknown> = { rows: units * periods, units, periods, seed, file, runs };
    const failed = clis.find((c) => 'error' in c);
    if (failed && 'error' in failed) {
      out[`${units * periods}`] = { ...entry, error: failed.error };
      continue;
    }
    const ok = clis as Exclude<ReturnType<typeof cliFit>, { error: string }>[];
    const mid = (f: (c: (typeof ok)[number]) => number) => median(ok.map(f));
    const cli = {
      out: ok[0].out,
      load_s: mid((c) => c.out.timing.load_s),
      fit_s: mid((c) => c.out.timing.fit_s),
      wall_s: mid((c) => c.wall_s),
      peak_rss_mb: Math.max(...ok.map((c) => c.peak_rss_mb)),
    };
    const fx = fxs.length
      ? {
          ...fxs[0],
          read_s: median(fxs.map((f) => f.read_s)),
          fit_s: median(fxs.map((f) => f.fit_s)),
          total_s: median(fxs.map((f) => f.total_s)),
          wall_s: median(fxs.map((f) => f.wall_s)),
          peak_rss_mb: Math.max(...fxs.map((f) => f.peak_rss_mb)),
        }
      : undefined;
    const eng = engineFit(units, periods, seed);
    let diff = 0;
    cli.out.coefficients.forEach((c: { estimate: number; std_error: number }, i: number) => {
      const e = eng.m.coefficients[i];
      diff = Math.max(diff, Math.abs(c.estimate - e.estimate) / Math.abs(e.estimate));
      diff = Math.max(diff, Math.abs(c.std_error - e.std_error) / e.std_error);
    });
    const ours = cli.load_s + cli.fit_s;
    out[`${units * periods}`] = {
      ...entry,
      cli: { load_s: cli.load_s, fit_s: cli.fit_s, wall_s: cli.wall_s, peak_rss_mb: cli.peak_rss_mb },
      engine_in_memory_fit_s: eng.fit_s,
      max_rel_diff_vs_engine: diff,
      fixest: fx ?? 'R with fixest not found: not compared',
      ratio_load_plus_fit_vs_fixest: fx ? ours / fx.total_s : undefined,
      ratio_fit_vs_fixest: fx ? cli.fit_s / fx.fit_s : undefined,
      ratio_wall_vs_fixest: fx ? cli.wall_s / fx.wall_s : undefined,
    };
  }
  return out;
}

async function main(): Promise<void> {
  const out: Record<string, unknown> = { node: process.version, cpus: require('node:os').cpus().length };
  out.cli_fit = benchCli();

  const s = studyPanel();
  const controls = ['lnpgdp', 'open', 'fin', 'infra', 'lnpopden', 'urban_rate'];
  const f = `resilience ~ nqp + ${controls.join(' + ')} | city_code + year`;
  const v = { vcov: { cluster: 'city_code' } };
  let t0 = performance.now();
  feols(s.data, f, v);
  const first = performance.now() - t0;
  for (let i = 0; i < 50; i++) feols(s.data, f, v); // warm-up
  // Five batches of 100 fits; the median batch is reported (a collection of the bench's large panels can land in one).
  const reps = 100;
  const batches: number[] = [];
  for (let b = 0; b < 5; b++) {
    t0 = performance.now();
    for (let i = 0; i < reps; i++) feols(s.data, f, v);
    batches.push((performance.now() - t0) / reps);
  }
  out.feols_paper = {
    rows: s.data.numRows(),
    fits_per_batch: reps,
    ms_per_fit_batches: batches,
    ms_per_fit: median(batches),
    first_fit_ms: first,
  };

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
  out.hostile_files = benchHostile();
  out.reproduce = benchReproduce();
  out.teach = benchTeach();
  out.reproduce_deno = benchReproduceDeno();
  process.stdout.write(JSON.stringify(out, null, 2) + '\n');
}

main();
