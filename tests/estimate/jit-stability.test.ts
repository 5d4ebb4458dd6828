import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

// The engine optimises a long loop while it runs. Code that had not run by then (the result built after the loop)
// has no type feedback, and reaching it throws the optimised code away; the engine kept that code for the loop and
// entered it again at every later call, to throw it away again: once per panel of a Monte Carlo study. The workload
// (tests/fixtures/jit/workload.ts) simulates 30 panels under --trace-deopt. Before the fix the code was thrown away
// at about 24 of them; now it is at most once in a run here. When that once happens depends on the engine's compiler
// threads, so a busy machine is given room (twice per code, four in all), far below one per panel.
const WORKLOAD = join(__dirname, '..', 'fixtures', 'jit', 'workload.ts');

function deopts(workload: string, fns: string[]): string[] {
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--trace-deopt', WORKLOAD, workload], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  return out.split('\n').filter((l) => l.startsWith('[bailout') && fns.some((fn) => l.includes(`<JSFunction ${fn} `)));
}

// simulateLatent and the two loops it calls (the code before a function's loop first runs without type feedback, so
// the loops live in functions that read nothing before them).
test('simulateLatent: its optimised code is not thrown away at every panel', () => {
  const lines = deopts('simulateLatent', ['simulateLatent', 'drawCities', 'fillCityYears']);
  const perCode = new Map<string, number>();
  for (const l of lines) {
    const id = /opt id (\d+)/.exec(l)?.[1] ?? '?';
    perCode.set(id, (perCode.get(id) ?? 0) + 1);
  }
  assert.ok(Math.max(0, ...perCode.values()) <= 2, `the same code thrown away again:\n${lines.join('\n')}`);
  assert.ok(lines.length <= 4, `${lines.length} deoptimisations:\n${lines.join('\n')}`);
});
