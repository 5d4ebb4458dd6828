/**
 * `nqp reproduce` timed as users run it, and what it cannot go below: the work tslab itself does.
 *   wall and CPU of the whole command (CPU of every process it started, from /proc on Linux);
 *   tslab's TypeScript work for each notebook (bench/tslab-compile.js: tslab's converter fed the notebook's cells,
 *   nothing executed), and the CPU of running a one-cell notebook (`1 + 1`) through a kernel, less that cell's
 *   own TypeScript work (the converter's start, already counted per notebook);
 *   the sum over five notebooks divided by the cores is the floor for the wall time with today's tslab; the same
 *   with each converter started from the kernel snapshot (src/notebook/snapshot.ts) is the snapshot floor.
 *   Run alone: node --import tsx bench/reproduce.ts (after npm run build).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { kernelThreads } from '../src/notebook/kernels';
import { notebooksAtOnce } from '../src/notebook/run';
import { kernelSnapshot } from '../src/notebook/snapshot';
import { median, ROOT, timed } from './timing';

const NOTEBOOKS = ['index', 'baseline', 'robustness', 'mechanisms', 'heterogeneity'];

/**
 * V8 worker threads of each kernel `nqp reproduce` starts on this machine (one notebook per core): the floor's
 * processes run with the same, so the floor is tslab's work as the kernels do it.
 */
const THREADS = kernelThreads(notebooksAtOnce(NOTEBOOKS.length));
const NB_DIR = join(ROOT, 'notebooks');

/**
 * The snapshot `nqp reproduce`'s kernels start from (src/notebook/snapshot.ts), when the build made a current one:
 * tslab's converter already built. Undefined: they start as tslab's bin starts them.
 */
const SNAPSHOT = kernelSnapshot(join(ROOT, 'notebooks'));

type Compile = Record<string, { cells: number; cpu_s: number }>;

/**
 * CPU seconds of tslab's TypeScript work on each notebook's cells (bench/tslab-compile.js, nothing executed), the
 * whole process: with `blob`, started from that snapshot (the converter it holds is fed the cells), as reproduce's
 * kernels start.
 */
function compileCpu(blob?: string): Compile {
  const compile: Compile = {};
  for (const nb of NOTEBOOKS) {
    const snapshot = blob ? ['--snapshot-blob', blob] : [];
    const r = timed(
      [`--v8-pool-size=${THREADS}`, ...snapshot, join(__dirname, 'tslab-compile.js'), `${nb}.ipynb`],
      NB_DIR,
    );
    if (!r.ok) throw new Error(`bench: tslab's converter failed on ${nb}.ipynb${blob ? ' (from the snapshot)' : ''}`);
    compile[nb] = { cells: JSON.parse(r.stdout.trim()).cells, cpu_s: r.cpu_s ?? Number.NaN };
  }
  return compile;
}

/**
 * CPU seconds of a kernel's start and stop around one trivial cell (`1 + 1`), less that cell's own TypeScript work
 * (a converter process fed that cell, which each notebook's figure already holds), both whole processes.
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
    const ts = timed([`--v8-pool-size=${THREADS}`, join(__dirname, 'tslab-compile.js'), empty], dir);
    return { kernel_cpu_s: r.cpu_s ?? Number.NaN, typescript_cpu_s: ts.cpu_s ?? Number.NaN };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Three rounds, each one `nqp reproduce` with the floors measured right before and right after it and averaged (so
 * load on the machine, and its drift, weigh on all alike): every ratio is taken within its round, and the medians
 * of the three are reported. Two floors, each tslab's TypeScript work on the five notebooks plus five kernels' start
 * and stop, spread perfectly over the cores:
 *   floor:          tslab as its own bin starts it, each kernel building its converter (today's tslab)
 *   snapshot floor: each kernel started from the snapshot reproduce's kernels start from, converter built (the same
 *                   as the floor when the build made no snapshot)
 *   wall_to_floor, wall_to_snapshot_floor: reproduce's wall time over each floor's wall time
 *   own_cpu_s:     reproduce's CPU less the snapshot floor's: our code in the kernels (package loading, the cells'
 *                  work, charts) and the runner (messages, pages)
 */
export function benchReproduce(runs = 3): Record<string, unknown> {
  const cores = cpus().length;
  const floor = () => {
    const kernel = kernelStartStopCpu();
    const startStop = NOTEBOOKS.length * (kernel.kernel_cpu_s - kernel.typescript_cpu_s);
    const sum = (c: Compile) => Object.values(c).reduce((s, x) => s + x.cpu_s, 0) + startStop;
    const compile = compileCpu();
    const snapshot = SNAPSHOT ? compileCpu(SNAPSHOT) : compile;
    return { compile, snapshot, kernel, cpu_s: sum(compile), snapshot_cpu_s: sum(snapshot) };
  };
  const rounds = Array.from({ length: runs }, () => {
    const out = mkdtempSync(join(tmpdir(), 'nqp-reproduce-'));
    // The floors right before and right after the run, averaged: this machine's CPU time drifts over a minute.
    const before = floor();
    const run = timed([join(ROOT, 'bin', 'nqp.js'), 'reproduce', '--out', out]);
    const after = floor();
    const floorCpu = (before.cpu_s + after.cpu_s) / 2;
    const snapCpu = (before.snapshot_cpu_s + after.snapshot_cpu_s) / 2;
    const cpu = run.cpu_s ?? Number.NaN;
    rmSync(out, { recursive: true, force: true });
    return {
      ok: run.ok,
      wall_s: run.wall_s,
      cpu_s: cpu,
      floor_cpu_s: floorCpu,
      floor_wall_s: floorCpu / cores,
      snapshot_floor_cpu_s: snapCpu,
      snapshot_floor_wall_s: snapCpu / cores,
      wall_to_floor: run.wall_s / (floorCpu / cores),
      wall_to_snapshot_floor: run.wall_s / (snapCpu / cores),
      own_cpu_s: cpu - snapCpu,
      floor_cpu_s_before_after: [before.cpu_s, after.cpu_s],
      snapshot_floor_cpu_s_before_after: [before.snapshot_cpu_s, after.snapshot_cpu_s],
      typescript_cpu_s: after.compile,
      typescript_from_snapshot_cpu_s: after.snapshot,
      kernel_start_stop_cpu_s: after.kernel.kernel_cpu_s,
      kernel_start_stop_typescript_cpu_s: after.kernel.typescript_cpu_s,
      load_average: loadavg()[0],
    };
  });
  type Figure =
    | 'wall_s'
    | 'cpu_s'
    | 'floor_cpu_s'
    | 'floor_wall_s'
    | 'snapshot_floor_cpu_s'
    | 'snapshot_floor_wall_s'
    | 'wall_to_floor'
    | 'wall_to_snapshot_floor'
    | 'own_cpu_s';
  const med = (k: Figure) => median(rounds.map((r) => r[k]));
  return {
    ok: rounds.every((r) => r.ok),
    notebooks: NOTEBOOKS.length,
    cores,
    wall_s_median: med('wall_s'),
    cpu_s_median: med('cpu_s'),
    floor_wall_s_median: med('floor_wall_s'),
    floor_cpu_s_median: med('floor_cpu_s'),
    snapshot_floor_wall_s_median: med('snapshot_floor_wall_s'),
    snapshot_floor_cpu_s_median: med('snapshot_floor_cpu_s'),
    wall_to_floor_median: med('wall_to_floor'),
    wall_to_snapshot_floor_median: med('wall_to_snapshot_floor'),
    own_cpu_s_median: med('own_cpu_s'),
    kernel_threads: THREADS,
    kernel_snapshot: SNAPSHOT ?? null,
    target: { wall_to_floor: 1.25, own_cpu_s: 6 },
    rounds,
    note:
      "the floor: tslab's TypeScript work on the notebooks' cells plus starting and stopping five kernels, nothing " +
      'of ours executed, spread perfectly over the cores; the snapshot floor: the same with each kernel started from ' +
      "the snapshot reproduce's kernels start from (kernel_snapshot; src/notebook/snapshot.ts), no run of the five " +
      'notebooks through these kernels can be faster. ' +
      "kernel_threads: V8's worker threads per kernel (--v8-pool-size), in reproduce's kernels and the floors alike. " +
      "load_average: the machine's 1-minute load when the round ended (the bench shares the machine)",
  };
}

if (require.main === module) process.stdout.write(`${JSON.stringify(benchReproduce(), null, 2)}\n`);
