import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
import { feols } from '../../src/estimate';
import { demeanColumns, demeanWith, levelCounts, type FeGroup } from '../../src/estimate/model/demean';
import { demeanColumnsParallel } from '../../src/estimate/model/demean-parallel';
import { Rng } from '../../src/math/rng';
import { startModuleWorker } from '../../src/threads';

// The two-thread absorption splits the columns between this thread and a worker; each column is demeaned by the
// same code either way, so the answer must be the one-thread answer bit for bit (the bar is 1e-12 relative).
// minCells = 0 sends these small layouts down the two-thread path.
const SEED = 29;

function columns(rng: Rng, n: number, k: number, fes: FeGroup[]): Float64Array[] {
  return Array.from({ length: k }, (_, j) =>
    Float64Array.from({ length: n }, (_, i) => {
      let v = rng.normal() * (j + 1) + 100 * j;
      for (const fe of fes) v += Math.sin(fe.codes[i] * (j + 1.7));
      return v;
    }),
  );
}

function assertSame(a: Float64Array[], b: Float64Array[]): void {
  assert.equal(a.length, b.length);
  for (let c = 0; c < a.length; c++) {
    assert.equal(a[c].length, b[c].length);
    for (let i = 0; i < a[c].length; i++) {
      if (a[c][i] !== b[c][i]) assert.fail(`column ${c}, row ${i}: ${a[c][i]} vs ${b[c][i]}`);
    }
  }
}

function bothWays(cols: Float64Array[], fes: FeGroup[], tol = 1e-10) {
  const copies = cols.map((c) => Float64Array.from(c));
  const one = demeanColumns(cols, fes, { tol });
  const two = demeanColumnsParallel(cols, fes, { tol }, 0);
  assert.equal(two.threads, 2, 'the two-thread path ran');
  assertSame(two.out, one.out);
  assert.equal(two.iterations, one.iterations);
  assert.equal(two.converged, one.converged);
  assertSame(cols, copies); // the inputs are left as they were
  return one;
}

/** Alternating projections run to a tight tolerance: the reference for the exact two-way absorption. */
function projected(x: Float64Array, fes: FeGroup[]): Float64Array {
  return demeanWith(x, fes, fes.map(levelCounts), { tol: 1e-14, maxIter: 100_000 }).out;
}

function maxRel(a: Float64Array, b: Float64Array): number {
  let d = 0;
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    d = Math.max(d, Math.abs(a[i] - b[i]));
    s = Math.max(s, Math.abs(b[i]));
  }
  return d / Math.max(s, 1e-300);
}

test(`balanced two-way panel, rows sorted by unit (exact path, by runs): two threads = one (seed ${SEED})`, () => {
  const rng = new Rng(SEED);
  const U = 400;
  const T = 12;
  const unit = Int32Array.from({ length: U * T }, (_, i) => Math.floor(i / T));
  const time = Int32Array.from({ length: U * T }, (_, i) => i % T);
  const fes = [
    { codes: unit, nLevels: U },
    { codes: time, nLevels: T },
  ];
  const cols = columns(rng, U * T, 7, fes);
  const one = bothWays(cols, fes);
  assert.equal(one.iterations, 1, 'the exact two-way absorption was used');
  for (let c = 0; c < cols.length; c++) assert.ok(maxRel(one.out[c], projected(cols[c], fes)) < 1e-10);
});

test(`unbalanced two-way panel, units interleaved (exact path, row by row): two threads = one`, () => {
  const rng = new Rng(SEED + 1);
  const unitL: number[] = [];
  const timeL: number[] = [];
  // Rows ordered by period, every unit missing some periods: no unit's rows are contiguous.
  for (let t = 0; t < 15; t++)
    for (let u = 0; u < 300; u++) {
      if ((u * 7 + t * 3) % 5 === 0 && t > 0) continue;
      unitL.push(u);
      timeL.push(t);
    }
  const fes = [
    { codes: Int32Array.from(unitL), nLevels: 300 },
    { codes: Int32Array.from(timeL), nLevels: 15 },
  ];
  const cols = columns(rng, unitL.length, 5, fes);
  const one = bothWays(cols, fes);
  assert.equal(one.iterations, 1);
  for (let c = 0; c < cols.length; c++) assert.ok(maxRel(one.out[c], projected(cols[c], fes)) < 1e-10);
});

test('three fixed effects (alternating projections with Irons–Tuck): two threads = one', () => {
  const rng = new Rng(SEED + 2);
  const n = 6000;
  const a = Int32Array.from({ length: n }, () => rng.int(500));
  const b = Int32Array.from({ length: n }, () => rng.int(40));
  const c = Int32Array.from({ length: n }, () => rng.int(7));
  const fes = [
    { codes: a, nLevels: 500 },
    { codes: b, nLevels: 40 },
    { codes: c, nLevels: 7 },
  ];
  const one = bothWays(columns(rng, n, 6, fes), fes);
  assert.ok(one.iterations > 1 && one.converged);
});

test('a slow-mixing chain of levels (conjugate gradients): two threads = one', () => {
  const L = 400;
  const w: number[] = [];
  const f: number[] = [];
  for (let i = 0; i < L; i++) {
    w.push(i, i);
    f.push(i, i + 1);
  }
  const fes = [
    { codes: Int32Array.from(w), nLevels: L },
    { codes: Int32Array.from(f), nLevels: L + 1 },
    { codes: Int32Array.from(w, (_, i) => i % 2), nLevels: 2 },
  ];
  const one = bothWays(columns(new Rng(SEED + 3), w.length, 4, fes), fes);
  assert.ok(one.iterations > 100, `CG was reached (${one.iterations} iterations)`);
});

test('feols above the size threshold: the same estimates on two threads as with NQP_THREADS=1', () => {
  const rng = new Rng(SEED + 4);
  const U = 20_000;
  const T = 10;
  const n = U * T;
  const cols: Record<string, Float64Array> = { id: new Float64Array(n), t: new Float64Array(n) };
  for (const v of ['y', 'x1', 'x2', 'x3', 'x4', 'x5', 'x6', 'x7', 'x8', 'x9']) cols[v] = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    cols.id[i] = Math.floor(i / T);
    cols.t[i] = i % T;
    let y = Math.sin(cols.id[i]) + 0.1 * cols.t[i] + rng.normal();
    for (let j = 1; j <= 9; j++) {
      cols[`x${j}`][i] = rng.normal() + 0.3 * Math.cos(cols.id[i] * j);
      y += 0.1 * j * cols[`x${j}`][i];
    }
    cols.y[i] = y;
  }
  const data = { columnNames: () => Object.keys(cols), numRows: () => n, array: (v: string) => cols[v] };
  const f = 'y ~ x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8 + x9 | id + t';
  const two = feols(data, f, { vcov: { cluster: 'id' } });
  const saved = process.env.NQP_THREADS;
  process.env.NQP_THREADS = '1';
  let one: ReturnType<typeof feols>;
  try {
    one = feols(data, f, { vcov: { cluster: 'id' } });
  } finally {
    if (saved === undefined) delete process.env.NQP_THREADS;
    else process.env.NQP_THREADS = saved;
  }
  assert.deepEqual(two.coefficients, one.coefficients);
});

test('a worker whose module cannot load answers on its port and raises the flag (never a silent hang)', () => {
  const { port1, port2 } = new MessageChannel();
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const w = startModuleWorker('/nonexistent/module.js', 'run', { port: port2, flag });
  try {
    assert.equal(Atomics.wait(flag, 0, 0, 30_000), 'ok');
    const msg = receiveMessageOnPort(port1)?.message as { ok: boolean; why: string };
    assert.equal(msg.ok, false);
    assert.match(msg.why, /Cannot find module/);
  } finally {
    port1.close();
    void w.terminate();
  }
});
