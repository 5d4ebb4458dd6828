/**
 * `nqp reproduce` timed as users run it, and what it cannot go below: the work tslab itself does.
 *   wall and CPU of the whole command (CPU of every process it started, from /proc on Linux);
 *   tslab's TypeScript work for each notebook (bench/tslab-compile.js: tslab's converter fed the notebook's cells,
 *   nothing executed), and the CPU of running a one-cell notebook (`1 + 1`) through a kernel, less that cell's
 *   own TypeScript work (the converter's start, already counted per notebook);
 *   the sum over five notebooks divided by the cores is the floor for the wall time with today's tslab.
 *   Run alone: node --import tsx bench/reproduce.ts (after npm run build).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { kernelThreads } from '../src/notebook/kernels';
import { notebooksAtOnce } from '../src/notebook/run';
import { median, ROOT, timed } from './timing';

const NOTEBOOKS = ['index', 'baseline', 'robustness', 'mechanisms', 'heterogeneity'];

/**
 * V8 worker threads of each kernel `nqp reproduce` starts on this machine (one notebook per core): the floor's
 * processes run with the same, so the floor is tslab's work as the kernels do it.
 */
const THREADS = kernelThreads(notebooksAtOnce(NOTEBOOKS.length));

/** CPU seconds of tslab's TypeScript work on each notebook's cells (bench/tslab-compile.js, nothing executed). */
function compileCpu(): Record<string, { cells: number; cpu_s: number }> {
  const compile: Record<string, { cells: number; cpu_s: number }> = {};
  for (const nb of NOTEBOOKS) {
    const args = [`--v8-pool-size=${THREADS}`, join(__dirname, 'tslab-compile.js'), `${nb}.ipynb`];
    const r = timed(args, join(ROOT, 'notebooks'));
    if (!r.ok) throw new Error(`bench: tslab's converter failed on ${nb}.ipynb`);
    const j = JSON.parse(r.stdout.trim());
    compile[nb] = { cells: j.cells, cpu_s: j.cpu_s };
  }
  return compile;
}

/**
 * CPU seconds of a kernel's start and stop around one trivial cell (`1 + 1`), less that cell's own TypeScript work
 * (the converter's start, which each notebook's figure already holds).
 */
function kernelStartStopCpu(): { kernel_cpu_s: number; typescript_cpu_s: number } {
  // Inside the project (out/ is not tracked), where runNotebook finds the package as a notebook would.
  mkdirSync(join(ROOT, 'out'), { recursive: true });
  const dir = mkdtempSync(join(ROOT, 'out', 'bench-empty-'));
  try {
    const empty = join(dir, 'empty.ipynb');
    writeFileSync(
      empty,
      JSON.stringify({
        cells: [{ cell_type: 'code', metadata: {}, execution_count: null, outputs: [], source: ['1 + 1'] }],
        metadata: { kernelspec: { name: 'tslab', display_name: 'TypeScript', language: 'typescript' } },
        nbformat: 4,
        nbformat_minor: 5,
      }),
    );
    const options = `{ outDir: ${JSON.stringify(dir)}, log: () => {}, kernelThreads: ${THREADS} }`;
    const runOne = `require(${JSON.stringify(join(ROOT, 'dist', 'notebook', 'run.js'))})
      .runNotebook(${JSON.stringify(empty)}, ${options})
      .then((r) => process.exit(r.ok ? 0 : 1));`;
    const r = timed(['-e', runOne]);
    if (!r.ok) throw new Error(`bench: the one-cell notebook ${empty} failed in tslab`);
    const ts = JSON.parse(
      timed([`--v8-pool-size=${THREADS}`, join(__dirname, 'tslab-compile.js'), empty], dir).stdout,
    ).cpu_s;
    return { kernel_cpu_s: r.cpu_s ?? Number.NaN, typescript_cpu_s: ts };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Three rounds, each one `nqp reproduce` with the floor measured right before and right after it and averaged (so
 * load on the machine, and its drift, weigh on both alike): every ratio is taken within its round, and the medians
 * of the three are reported.
 *   wall_to_floor: reproduce's wall time over the floor's wall time (the floor's CPU spread perfectly over the cores)
 *   cpu_to_floor:  reproduce's CPU (every process it started) over the floor's CPU
 *   own_cpu_s:     reproduce's CPU less the floor's: our code in the kernels (package loading, the cells' work,
 *                  charts) and the runner (messages, pages)
 */
export function benchReproduce(runs = 3): Record<string, unknown> {
  const cores = cpus().length;
  const floor = () => {
    const compile = compileCpu();
    const kernel = kernelStartStopCpu();
    const typescript = Object.values(compile).reduce((s, c) => s + c.cpu_s, 0);
    return { compile, kernel, cpu_s: typescript + NOTEBOOKS.length * (kernel.kernel_cpu_s - kernel.typescript_cpu_s) };
  };
  const rounds = Array.from({ length: runs }, () => {
    const out = mkdtempSync(join(tmpdir(), 'nqp-reproduce-'));
    // The floor right before and right after the run, averaged: this machine's CPU time drifts over a minute.
    const before = floor();
    const run = timed([join(ROOT, 'bin', 'nqp.js'), 'reproduce', '--out', out]);
    const after = floor();
    const { compile, kernel } = after;
    const floorCpu = (before.cpu_s + after.cpu_s) / 2;
    const floorWall = floorCpu / cores;
    const cpu = run.cpu_s ?? Number.NaN;
    rmSync(out, { recursive: true, force: true });
    return {
      ok: run.ok,
      wall_s: run.wall_s,
      cpu_s: cpu,
      floor_cpu_s: floorCpu,
      floor_cpu_s_before_after: [before.cpu_s, after.cpu_s],
      floor_wall_s: floorWall,
      wall_to_floor: run.wall_s / floorWall,
      cpu_to_floor: cpu / floorCpu,
      own_cpu_s: cpu - floorCpu,
      typescript_cpu_s: compile,
      kernel_start_stop_cpu_s: kernel.kernel_cpu_s,
      kernel_start_stop_typescript_cpu_s: kernel.typescript_cpu_s,
      load_average: loadavg()[0],
    };
  });
  const med = (
    k: 'wall_s' | 'cpu_s' | 'floor_cpu_s' | 'floor_wall_s' | 'wall_to_floor' | 'cpu_to_floor' | 'own_cpu_s',
  ) => median(rounds.map((r) => r[k]));
  return {
    ok: rounds.every((r) => r.ok),
    notebooks: NOTEBOOKS.length,
    cores,
    wall_s_median: med('wall_s'),
    cpu_s_median: med('cpu_s'),
    floor_wall_s_median: med('floor_wall_s'),
    floor_cpu_s_median: med('floor_cpu_s'),
    wall_to_floor_median: med('wall_to_floor'),
    cpu_to_floor_median: med('cpu_to_floor'),
    own_cpu_s_median: med('own_cpu_s'),
    kernel_threads: THREADS,
    target: { wall_to_floor: 1.25, own_cpu_s: 6 },
    rounds,
    note:
      "the floor: tslab's TypeScript work on the notebooks' cells plus starting and stopping five kernels, nothing " +
      'of ours executed, spread perfectly over the cores; no run of the five notebooks through tslab can be faster. ' +
      "kernel_threads: V8's worker threads per kernel (--v8-pool-size), in reproduce's kernels and the floor alike. " +
      "load_average: the machine's 1-minute load when the round ended (the bench shares the machine)",
  };
}

if (require.main === module) process.stdout.write(`${JSON.stringify(benchReproduce(), null, 2)}\n`);
