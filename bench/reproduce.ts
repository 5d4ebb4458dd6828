/**
 * `nqp reproduce` timed as users run it, and what it cannot go below: the work tslab itself does.
 *   wall and CPU of the whole command (CPU of every process it started, from /proc on Linux);
 *   tslab's TypeScript work for each notebook (bench/tslab-compile.js: tslab's converter fed the notebook's cells,
 *   nothing executed), and the CPU of running a one-cell notebook (`1 + 1`) through a kernel, less that cell's
 *   own TypeScript work (the converter's start, already counted per notebook);
 *   the sum over five notebooks divided by the cores is the floor for the wall time with today's tslab.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');
const NOTEBOOKS = ['index', 'baseline', 'robustness', 'mechanisms', 'heterogeneity'];
const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];

let hz: number | undefined;
/** Clock ticks per second of /proc's CPU times. */
function clockTicks(): number {
  hz ??= Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;
  return hz;
}

/** CPU seconds of this process's finished (waited-for) children and their descendants; undefined off Linux. */
function childrenCpu(): number | undefined {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After the command name: field 3 is index 0, so cutime (16) and cstime (17) are indexes 13 and 14.
    const ticks = Number(fields[13]) + Number(fields[14]);
    return ticks / clockTicks();
  } catch {
    return undefined;
  }
}

function timed(args: string[], cwd = ROOT): { wall_s: number; cpu_s?: number; ok: boolean; stdout: string } {
  const c0 = childrenCpu();
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { cwd, encoding: 'utf8', maxBuffer: 64 << 20 });
  const wall = (performance.now() - t0) / 1000;
  const c1 = childrenCpu();
  return {
    wall_s: wall,
    cpu_s: c0 === undefined || c1 === undefined ? undefined : c1 - c0,
    ok: r.status === 0,
    stdout: r.stdout,
  };
}

export function benchReproduce(runs = 3): Record<string, unknown> {
  const cores = cpus().length;
  const results = Array.from({ length: runs }, () => {
    const out = mkdtempSync(join(tmpdir(), 'nqp-reproduce-'));
    return { ...timed([join(ROOT, 'bin', 'nqp.js'), 'reproduce', '--out', out]), out };
  });
  const compile: Record<string, { cells: number; cpu_s: number }> = {};
  for (const nb of NOTEBOOKS) {
    const r = timed([join(__dirname, 'tslab-compile.js'), `${nb}.ipynb`], join(ROOT, 'notebooks'));
    const j = JSON.parse(r.stdout.trim());
    compile[nb] = { cells: j.cells, cpu_s: j.cpu_s };
  }
  // Inside the project (out/ is not tracked), where runNotebook finds the package as a notebook would.
  mkdirSync(join(ROOT, 'out'), { recursive: true });
  const dir = mkdtempSync(join(ROOT, 'out', 'bench-empty-'));
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
  const runOne = `require(${JSON.stringify(join(ROOT, 'dist', 'notebook', 'run.js'))})
    .runNotebook(${JSON.stringify(empty)}, { outDir: ${JSON.stringify(dir)}, log: () => {} })
    .then((r) => process.exit(r.ok ? 0 : 1));`;
  const kernel = median(
    Array.from({ length: 3 }, () => {
      const r = timed(['-e', runOne]);
      if (!r.ok) throw new Error(`bench: the one-cell notebook ${empty} failed in tslab`);
      return r.cpu_s ?? Number.NaN;
    }),
  );
  // The one-cell notebook's own TypeScript work (the converter's start) is already in each notebook's figure above.
  const emptyTs = JSON.parse(timed([join(__dirname, 'tslab-compile.js'), empty], dir).stdout.trim()).cpu_s;
  rmSync(dir, { recursive: true, force: true });
  const compileCpu = Object.values(compile).reduce((s, c) => s + c.cpu_s, 0);
  const floorCpu = compileCpu + NOTEBOOKS.length * (kernel - emptyTs);
  return {
    ok: results.every((r) => r.ok),
    notebooks: NOTEBOOKS.length,
    cores,
    wall_s_runs: results.map((r) => r.wall_s),
    wall_s_median: median(results.map((r) => r.wall_s)),
    cpu_s_runs: results.map((r) => r.cpu_s),
    target_wall_s: 10,
    out: results[results.length - 1].out,
    tslab_floor: {
      typescript_cpu_s: compile,
      typescript_cpu_s_total: compileCpu,
      kernel_start_stop_cpu_s: kernel,
      kernel_start_stop_typescript_cpu_s: emptyTs,
      floor_cpu_s: floorCpu,
      floor_wall_s: floorCpu / cores,
      note:
        "tslab's TypeScript work on the notebooks' cells plus starting and stopping five kernels, nothing of ours " +
        'executed, spread perfectly over the cores: no run of the five notebooks through tslab can be faster',
    },
  };
}
