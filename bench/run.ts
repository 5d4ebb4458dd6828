/**
 * npm run bench — speed and memory, printed as one JSON object. Timed here, never in tests.
 *   cli_fit:      `nqp fit --json` end to end as a child process (node start, CSV load, fit, JSON), on panels of
 *                 1M, 2M and 5M rows (50,000 / 100,000 / 250,000 units × 20 years, 10 regressors, two-way FE,
 *                 clustered by unit; bench/panel-csv.ts writes them to $NQP_BENCH_DIR, default /tmp/nqp-bench).
 *                 Each fit is compared with the engine on the same numbers in memory (max relative difference
 *                 of coefficients and SEs: every run must be within 1e-12 of the one-thread engine), and, where
 *                 R has fixest, with fixest (fread + feols, 2 threads; bench/fixest.R) on the same file. Each tool
 *                 runs three times, in turn; each figure is also given as a ratio to fixest's in the same round,
 *                 and the medians over the rounds are reported (peak RSS: the largest). CPU is user + system
 *                 of every thread (ours: the whole process; fixest's: fread + feols, without R's start-up).
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
import { median, ROOT } from './timing';

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
  // The reference is the one-thread engine: the command line's two-thread absorption must equal it.
  const saved = process.env.NQP_THREADS;
  process.env.NQP_THREADS = '1';
  try {
    const t0 = performance.now();
    const m = feols(data, FORMULA, { vcov: { cluster: 'id' } });
    return { m, fit_s: (performance.now() - t0) / 1000 };
  } finally {
    if (saved === undefined) delete process.env.NQP_THREADS;
    else process.env.NQP_THREADS = saved;
  }
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
  const cpu = Number(/NQP_CPU_S ([\d.]+)/.exec(r.stderr)?.[1]);
  return { out, wall_s: wall, cpu_s: cpu, peak_rss_mb: rss };
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

export function benchCli(): Record<string, unknown> {
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
    // Three rounds, each tool in turn (single runs vary by 10–30% on a shared machine); ratios are per round.
    const runs = 3;
    const clis: ReturnType<typeof cliFit>[] = [];
    const fxs: (Record<string, number> | undefined)[] = [];
    for (let r = 0; r < runs; r++) {
      clis.push(cliFit(file));
      fxs.push(fixestFit(file));
    }
    const entry: Record<string, unknown> = { rows: units * periods, units, periods, seed, file, runs };
    const failed = clis.find((c) => 'error' in c);
    if (failed && 'error' in failed) {
      out[`${units * periods}`] = { ...entry, error: failed.error };
      continue;
    }
    const ok = clis as Exclude<ReturnType<typeof cliFit>, { error: string }>[];
    const figures = {
      load_s: (c: (typeof ok)[number]) => c.out.timing.load_s,
      fit_s: (c: (typeof ok)[number]) => c.out.timing.fit_s,
      load_plus_fit_s: (c: (typeof ok)[number]) => c.out.timing.load_s + c.out.timing.fit_s,
      wall_s: (c: (typeof ok)[number]) => c.wall_s,
      cpu_s: (c: (typeof ok)[number]) => c.cpu_s,
      peak_rss_mb: (c: (typeof ok)[number]) => c.peak_rss_mb,
    };
    const cli: Record<string, number> = {};
    for (const [k, f] of Object.entries(figures))
      cli[k] = k === 'peak_rss_mb' ? Math.max(...ok.map(f)) : median(ok.map(f));
    const fxOk = fxs.every((f) => f !== undefined) ? (fxs as Record<string, number>[]) : undefined;
    const fxFig: Record<string, (f: Record<string, number>) => number> = {
      fit_s: (f) => f.fit_s,
      load_plus_fit_s: (f) => f.total_s,
      wall_s: (f) => f.wall_s,
      cpu_s: (f) => f.cpu_s,
      peak_rss_mb: (f) => f.peak_rss_mb,
    };
    const fx: Record<string, number> | undefined = fxOk && { ...fxOk[0], read_s: median(fxOk.map((f) => f.read_s)) };
    // Ratio to fixest in the same round, median over the rounds (peak RSS: largest over largest).
    const ratios: Record<string, number> = {};
    if (fx && fxOk) {
      for (const [k, g] of Object.entries(fxFig)) {
        fx[k] = k === 'peak_rss_mb' ? Math.max(...fxOk.map(g)) : median(fxOk.map(g));
        const f = figures[k as keyof typeof figures];
        ratios[k] = k === 'peak_rss_mb' ? cli[k] / fx[k] : median(ok.map((c, r) => f(c) / g(fxOk[r])));
      }
    }
    const eng = engineFit(units, periods, seed);
    // Every run's coefficients and standard errors against the one-thread engine in memory.
    const diffs = ok.map((run) => {
      let diff = 0;
      run.out.coefficients.forEach((c: { estimate: number; std_error: number }, i: number) => {
        const e = eng.m.coefficients[i];
        diff = Math.max(diff, Math.abs(c.estimate - e.estimate) / Math.abs(e.estimate));
        diff = Math.max(diff, Math.abs(c.std_error - e.std_error) / e.std_error);
      });
      return diff;
    });
    out[`${units * periods}`] = {
      ...entry,
      cli,
      engine_in_memory_fit_s: eng.fit_s,
      max_rel_diff_vs_engine: Math.max(...diffs),
      equal_to_one_thread_engine: diffs.every((d) => d <= 1e-12),
      fixest: fx ?? 'R with fixest not found: not compared',
      ratio_vs_fixest: fx ? ratios : undefined,
      load: require('node:os').loadavg(),
    };
  }
  return out;
}

async function main(out: Record<string, unknown>): Promise<void> {
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
      panel: s.panel,
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
      panel: s.panel,
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
}

/** Every finished section is kept: a failing one still prints what came before it, then the bench fails. */
function run(): void {
  const out: Record<string, unknown> = { node: process.version, cpus: require('node:os').cpus().length };
  main(out).then(
    () => process.stdout.write(JSON.stringify(out, null, 2) + '\n'),
    (e: unknown) => {
      process.stdout.write(JSON.stringify(out, null, 2) + '\n');
      process.stderr.write(`bench: stopped after ${Object.keys(out).length - 2} sections: ${e}\n`);
      process.exitCode = 1;
    },
  );
}

if (require.main === module) run();
