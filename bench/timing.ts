/** What the bench's entries share: the median, and a child process timed in wall and CPU seconds. */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..');

export const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];

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

/** `node ARGS` run to its end: wall seconds, CPU seconds of every process it started (Linux), exit status, stdout. */
export function timed(args: string[], cwd = ROOT): { wall_s: number; cpu_s?: number; ok: boolean; stdout: string } {
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
