import { test } from 'node:test';
import assert from 'node:assert/strict';
import { codesFor } from '../../src/estimate/model/columns';
import { demeanColumns } from '../../src/estimate/model/demean';
import {
  demeanColumnsParallel,
  keyCodesOf,
  planAhead,
  prepareDemeanWorker,
  rowSplit,
} from '../../src/estimate/model/demean-parallel';
import { qrLeastSquares } from '../../src/math/qr';
import {
  CHUNK,
  type RowSplit,
  type RowTask,
  reduceMany,
  reduceRows,
  serialSplit,
  splitPoint,
} from '../../src/math/row-kernels';
import { Rng } from '../../src/math/rng';
import { clusterMeat } from '../../src/estimate/vcov/sandwich';

// The row-wise sums of a fit are defined over two fixed halves of the rows (math/row-kernels.ts). On two threads
// the worker reduces the second half: every result must equal the one-thread result bit for bit. minCells = 0
// sends these sizes down the two-thread path; the worker's partial result lives in shared memory, which is how
// the tests see that path was taken.
const SEED = 32;
const N = 3 * 2 * CHUNK + 517; // not a multiple of CHUNK: the last chunk of each half is short

const shared = (n: number) => new Float64Array(new SharedArrayBuffer(8 * n));

function columns(rng: Rng, n: number, k: number, inShared: boolean): Float64Array[] {
  return Array.from({ length: k }, (_, j) => {
    const x = inShared ? shared(n) : new Float64Array(n);
    for (let i = 0; i < n; i++) x[i] = rng.normal() * (j + 1) + 10 * j;
    return x;
  });
}

function sameBits(a: ArrayLike<number>, b: ArrayLike<number>, what: string): void {
  assert.equal(a.length, b.length, what);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) assert.fail(`${what}[${i}]: ${a[i]} vs ${b[i]}`);
}

function twoThreads(): RowSplit {
  prepareDemeanWorker();
  return rowSplit(0);
}

test('the split point is a multiple of CHUNK at or past the middle, at most n', () => {
  assert.equal(splitPoint(0), 0);
  assert.equal(splitPoint(10), 10); // a short design is one half: the single pass it always was
  assert.equal(splitPoint(2 * CHUNK), CHUNK);
  assert.equal(splitPoint(2 * CHUNK + 1), 2 * CHUNK);
  for (const n of [N, 1_000_000, 2_000_003]) {
    const h = splitPoint(n);
    assert.equal(h % CHUNK, 0);
    assert.ok(h >= n / 2 && h - n / 2 < CHUNK && h <= n);
  }
});

test('four rows by hand: cross products, residuals, score sums, sums', () => {
  const x = Float64Array.from([1, 2, 3, 4]);
  const one = Float64Array.from([1, 1, 1, 1]);
  const C = reduceRows(serialSplit, { kind: 'cross', cols: [x, one] });
  sameBits(C, [30, 10, 0, 4], "upper triangle of [x 1]'[x 1]");
  const r = new Float64Array(4);
  const xr = reduceRows(serialSplit, { kind: 'residCross', cols: [x], y: one, coef: Float64Array.of(0.5), r });
  sameBits(r, [0.5, 0, -0.5, -1], 'r = 1 − x/2');
  sameBits(xr, [0.5 - 1.5 - 4], "x'r");
  const codes = Int32Array.from([0, 1, 0, 1]);
  sameBits(reduceRows(serialSplit, { kind: 'scores', cols: [x], e: r, codes, nLevels: 2 }), [-1, -4], 'scores');
  sameBits(reduceRows(serialSplit, { kind: 'sumSq', cols: [x], means: [2.5] }), [5], 'Σ(x − 2.5)²');
  sameBits(reduceRows(serialSplit, { kind: 'sum', cols: [x, r] }), [10, -1], 'Σ');
  const odd = Float64Array.from([1, Number.NaN, -Infinity, 1e200]);
  sameBits(reduceRows(serialSplit, { kind: 'scan', cols: [x, odd], limit: 1e100 }), [0, 0, 3, 1], 'scan');
});

test(`every row task: two threads = one, bit for bit (seed ${SEED}, ${N} rows)`, () => {
  const rng = new Rng(SEED);
  const cols = columns(rng, N, 7, true);
  const y = columns(rng, N, 1, true)[0];
  const coef = shared(7);
  coef.set([0.3, -1.2, 2.5, 0.01, -0.7, 1e-3, 4]);
  const codes = new Int32Array(new SharedArrayBuffer(4 * N));
  // Clusters of 20 rows: the cluster at the split point has rows in both halves.
  for (let i = 0; i < N; i++) codes[i] = Math.floor(i / 20);
  const nLevels = Math.ceil(N / 20);
  assert.ok(codes[splitPoint(N) - 1] === codes[splitPoint(N)], 'a cluster straddles the split');
  const two = twoThreads();
  const tasks = (r: Float64Array): RowTask[] => [
    { kind: 'cross', cols: [...cols, y] },
    { kind: 'residCross', cols, y, coef, r },
    { kind: 'resid', cols, y, coef, r },
    { kind: 'scores', cols, e: y, codes, nLevels },
    { kind: 'sumSq', cols, means: cols.map((_, j) => j) },
    { kind: 'sum', cols },
    { kind: 'scan', cols, limit: 15 },
  ];
  const r1 = shared(N);
  const r2 = shared(N);
  const one = tasks(r1).map((t) => serialSplit.run(t));
  tasks(r2).forEach((t, i) => {
    const [a, b] = two.run(t);
    assert.ok(b.buffer instanceof SharedArrayBuffer, `task ${t.kind} ran on two threads`);
    sameBits(a, one[i][0], `${t.kind}, first half`);
    sameBits(b, one[i][1], `${t.kind}, second half`);
  });
  sameBits(r2, r1, 'residuals');
});

test('columns outside shared memory are summed on this thread, to the same numbers', () => {
  const rng = new Rng(SEED + 1);
  const cols = columns(rng, N, 3, false);
  const [, b] = twoThreads().run({ kind: 'cross', cols });
  assert.ok(!(b.buffer instanceof SharedArrayBuffer), 'one thread');
  sameBits(reduceRows(twoThreads(), { kind: 'cross', cols }), reduceRows(serialSplit, { kind: 'cross', cols }), "X'X");
});

test('least squares and the cluster meat: two threads = one, bit for bit', () => {
  const rng = new Rng(SEED + 2);
  const X = columns(rng, N, 5, true);
  const y = shared(N);
  for (let i = 0; i < N; i++) y[i] = X.reduce((s, x, j) => s + (j + 1) * x[i], 0) + rng.normal();
  const one = qrLeastSquares(X, y, 1e-10, serialSplit);
  const two = qrLeastSquares(X, y, 1e-10, twoThreads());
  assert.ok(two.resid.buffer instanceof SharedArrayBuffer, 'the residuals were written by both threads');
  sameBits(two.coef, one.coef, 'coefficients');
  sameBits(two.resid, one.resid, 'residuals');
  two.xtxInv.forEach((row, i) => sameBits(row, one.xtxInv[i], `(X'X)^-1 row ${i}`));
  for (let j = 0; j < 5; j++) assert.ok(Math.abs(one.coef[j] - (j + 1)) < 0.05, `coefficient ${j} near ${j + 1}`);
  const codes = new Int32Array(new SharedArrayBuffer(4 * N));
  for (let i = 0; i < N; i++) codes[i] = (i * 7919) % 301;
  const M1 = clusterMeat(X, one.resid, codes, 301, serialSplit);
  const M2 = clusterMeat(X, two.resid, codes, 301, twoThreads());
  M2.forEach((row, i) => sameBits(row, M1[i], `meat row ${i}`));
});

test('a task that fails on both threads is an error, and the next task still gets its own answer', () => {
  const rng = new Rng(SEED + 3);
  const cols = columns(rng, N, 2, true);
  const two = twoThreads();
  assert.throws(() => two.run({ kind: 'nonsense', cols } as unknown as RowTask), /unknown row task "nonsense"/);
  const t: RowTask = { kind: 'sum', cols };
  const [a, b] = twoThreads().run(t);
  assert.ok(b.buffer instanceof SharedArrayBuffer);
  const [a1, b1] = serialSplit.run(t);
  sameBits(a, a1, 'first half');
  sameBits(b, b1, 'second half');
});

test('key codes: the key with fewer labels is coded on the worker, to the same codes, labels and notes', () => {
  const rng = new Rng(SEED + 4);
  const n = 1_100_000; // rows × 2 keys above the two-thread threshold
  const ints = (m: number) => new Int32Array(new SharedArrayBuffer(4 * m));
  const a = ints(n);
  const b = ints(n);
  for (let i = 0; i < n; i++) {
    a[i] = rng.int(5000);
    b[i] = i % 7 === 3 ? -1 : rng.int(4);
  }
  // Two spellings of one year (a note), and two of unequal text that are equal as numbers (a warning).
  const factors: Record<string, { codes: Int32Array; labels: string[] }> = {
    a: { codes: a, labels: Array.from({ length: 5000 }, (_, k) => `c${k}`) },
    b: { codes: b, labels: ['2010', '2010.0', '1.1', '1.10'] },
  };
  const calls: Record<string, number> = { a: 0, b: 0 };
  const data = {
    columnNames: () => ['a', 'b'],
    numRows: () => n,
    array: (): ArrayLike<unknown> => {
      throw new Error('interned columns are read through factor()');
    },
    factor: (v: string) => {
      calls[v]++;
      return factors[v];
    },
  };
  const rows = ints(n - 10);
  for (let r = 0; r < rows.length; r++) rows[r] = r + 10;
  prepareDemeanWorker();
  const two = keyCodesOf(data, [['a'], ['b']], rows);
  // On two threads: both keys looked at once to choose, then "a" coded here; "b" only on the worker.
  assert.deepEqual(calls, { a: 2, b: 1 });
  const one = [codesFor(data, ['a'], rows), codesFor(data, ['b'], rows)];
  two.forEach((c, g) => {
    sameBits(c.codes, one[g].codes, `codes of key ${g}`);
    assert.equal(c.nLevels, one[g].nLevels);
    assert.deepEqual(c.labels, one[g].labels);
    assert.deepEqual(c.notes, one[g].notes);
    assert.deepEqual(c.warnings, one[g].warnings);
  });
  assert.equal(one[1].nLevels, 3);
  assert.ok(one[1].notes.length > 0 && one[1].warnings.length > 0, 'the spelling rule spoke');
});

test('several tasks in one hand-over: each result as alone, on one thread or two', () => {
  const rng = new Rng(SEED + 5);
  const cols = columns(rng, N, 4, true);
  const tasks: RowTask[] = [
    { kind: 'cross', cols },
    { kind: 'sumSq', cols: cols.slice(1), means: [0, 1, 2] },
    { kind: 'cross', cols: [] },
    { kind: 'sum', cols: cols.slice(2) },
  ];
  const alone = tasks.map((t) => reduceRows(serialSplit, t));
  for (const split of [serialSplit, twoThreads()]) {
    const [, b] = split.run({ kind: 'many', tasks, cols: [] });
    assert.equal(b.buffer instanceof SharedArrayBuffer, split !== serialSplit, 'the path taken');
    reduceMany(split, tasks).forEach((r, i) => sameBits(r, alone[i], `task ${i}`));
  }
});

test('the absorption plan made ahead on the worker: the same columns; a plan for other codes is set aside', () => {
  const rng = new Rng(SEED + 6);
  const U = 12_000;
  const T = 11;
  const n = U * T;
  const ints = (f: (i: number) => number) => {
    const a = new Int32Array(new SharedArrayBuffer(4 * n));
    for (let i = 0; i < n; i++) a[i] = f(i);
    return a;
  };
  const fes = [
    { codes: ints((i) => Math.floor(i / T)), nLevels: U },
    { codes: ints((i) => i % T), nLevels: T },
  ];
  const other = [
    { codes: ints((i) => i % U), nLevels: U },
    { codes: ints((i) => Math.floor(i / U)), nLevels: T },
  ];
  const cols = columns(rng, n, 4, true);
  const one = demeanColumns(cols, fes);
  prepareDemeanWorker();
  planAhead(fes);
  const two = demeanColumnsParallel(cols, fes, {}, 0);
  assert.equal(two.threads, 2);
  two.out.forEach((c, j) => sameBits(c, one.out[j], `column ${j} (plan made ahead)`));
  planAhead(other);
  const three = demeanColumnsParallel(cols, fes, {}, 0);
  three.out.forEach((c, j) => sameBits(c, one.out[j], `column ${j} (plan for other codes set aside)`));
  // A plan left pending is taken before any other job: the next row task gets its own answer.
  planAhead(fes);
  const t: RowTask = { kind: 'sum', cols };
  sameBits(reduceRows(rowSplit(0), t), reduceRows(serialSplit, t), 'sums after a pending plan');
});

test('with the worker busy elsewhere this thread claims both halves: the same numbers', () => {
  const rng = new Rng(SEED + 7);
  const cols = columns(rng, N, 3, true);
  const t: RowTask = { kind: 'cross', cols };
  const want = serialSplit.run(t);
  const two = twoThreads();
  // A few jobs queued ahead keep the worker busy, so halves are claimed by whichever thread comes first.
  for (let r = 0; r < 5; r++) {
    const [a, b] = two.run(t);
    sameBits(a, want[0], `first half, run ${r}`);
    sameBits(b, want[1], `second half, run ${r}`);
  }
  const U = 30_000;
  const n = U * 10;
  const ints = (f: (i: number) => number) => Int32Array.from({ length: n }, (_, i) => f(i));
  planAhead([
    { codes: ints((i) => Math.floor(i / 10)), nLevels: U },
    { codes: ints((i) => i % 10), nLevels: 10 },
  ]);
  const [a, b] = two.run(t);
  sameBits(a, want[0], 'first half, worker planning');
  sameBits(b, want[1], 'second half, worker planning');
  sameBits(reduceRows(two, { kind: 'sum', cols }), reduceRows(serialSplit, { kind: 'sum', cols }), 'after the plan');
});
