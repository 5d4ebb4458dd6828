/**
 * `nqp reproduce` with Deno's kernel against the tslab kernel, measured in the same run: the two commands run in
 * turn (tslab, Deno, tslab, Deno, ...) so both see the same machine load; the medians of three wall and CPU times
 * (CPU of every process the command started, from /proc on Linux), and Deno's over tslab's.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { denoBin } from '../src/notebook/kernels';
import { median, ROOT, timed } from './timing';

function reproduceOnce(kernel: 'tslab' | 'deno'): { wall_s: number; cpu_s?: number; ok: boolean } {
  const out = mkdtempSync(join(tmpdir(), `nqp-reproduce-${kernel}-`));
  const r = timed([join(ROOT, 'bin', 'nqp.js'), 'reproduce', '--kernel', kernel, '--out', out]);
  rmSync(out, { recursive: true, force: true });
  return r;
}

export function benchReproduceDeno(runs = 3): Record<string, unknown> {
  const deno = denoBin();
  if (!deno) return { skipped: "Deno is not installed (optional dependency 'deno' absent, no deno on PATH)" };
  const load_before = loadavg()[0];
  const all: Record<'tslab' | 'deno', ReturnType<typeof reproduceOnce>[]> = { tslab: [], deno: [] };
  for (let i = 0; i < runs; i++) for (const k of ['tslab', 'deno'] as const) all[k].push(reproduceOnce(k));
  const summary = (k: 'tslab' | 'deno') => {
    const cpu = all[k].map((r) => r.cpu_s).filter((c): c is number => c !== undefined);
    return {
      ok: all[k].every((r) => r.ok),
      wall_s_runs: all[k].map((r) => +r.wall_s.toFixed(2)),
      wall_s_median: +median(all[k].map((r) => r.wall_s)).toFixed(2),
      cpu_s_runs: cpu.map((c) => +c.toFixed(2)),
      cpu_s_median: cpu.length ? +median(cpu).toFixed(2) : undefined,
    };
  };
  const [t, d] = [summary('tslab'), summary('deno')];
  return {
    deno,
    deno_version: spawnSync(deno, ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0],
    tslab: t,
    deno_kernel: d,
    ratio_wall: +(d.wall_s_median / t.wall_s_median).toFixed(3),
    ratio_cpu: d.cpu_s_median && t.cpu_s_median ? +(d.cpu_s_median / t.cpu_s_median).toFixed(3) : undefined,
    load_1min: [+load_before.toFixed(2), +loadavg()[0].toFixed(2)],
    note: 'runs interleaved (tslab, deno, ...); ratio = Deno kernel / tslab kernel, medians of the runs',
  };
}
