/**
 * The row-wise reductions of a fit (cross products, residuals, cluster score sums, sums of squares), each defined
 * over two fixed halves of the rows: rows [0, h) and [h, n) are reduced separately, in the same chunk order, and
 * the two partial results are added. One thread runs the halves in turn (serialSplit); two threads run one half
 * each (model/demean-parallel.ts): the same code on the same rows in the same order, so the same numbers bit for
 * bit. h = splitPoint(n) is a multiple of CHUNK, so the chunks are those of a single pass from row 0.
 */

/** Rows per block of the chunked sums: each block of every column stays in cache. */
export const CHUNK = 2048;

/** The fixed row split of every reduction: the first multiple of CHUNK at or past n / 2 (at most n). */
export function splitPoint(n: number): number {
  return Math.min(n, CHUNK * Math.ceil(n / (2 * CHUNK)));
}

/**
 * A reduction over rows [lo, hi), writing its partial result into `out` (zeroed by the caller). Columns written
 * row by row (`r`) get rows [lo, hi) only.
 */
export type RowTask =
  /** out[a·k + c] (c ≥ a) = Σ cols[a]·cols[c]: the upper triangle of the cross-product matrix. */
  | { kind: 'cross'; cols: Float64Array[] }
  /** r = y − X·coef, and out[a] = Σ cols[a]·r (the refinement step's X'r). */
  | { kind: 'residCross'; cols: Float64Array[]; y: Float64Array; coef: Float64Array; r: Float64Array }
  /** r = y − X·coef. */
  | { kind: 'resid'; cols: Float64Array[]; y: Float64Array; coef: Float64Array; r: Float64Array }
  /** out[j·nLevels + g] = Σ_{i in cluster g} cols[j][i]·e[i]: the clusters' score sums. */
  | { kind: 'scores'; cols: Float64Array[]; e: Float64Array; codes: Int32Array; nLevels: number }
  /** out[j] = Σ (cols[j] − means[j])². */
  | { kind: 'sumSq'; cols: Float64Array[]; means: number[] }
  /** out[j] = Σ cols[j]. */
  | { kind: 'sum'; cols: Float64Array[] }
  /** out[2j] counts the values of cols[j] not within ±limit (NaN included), out[2j + 1] those that are ±Infinity. */
  | { kind: 'scan'; cols: Float64Array[]; limit: number }
  /** Several tasks over the same rows in one go (one hand-over to a second thread): their results end to end. */
  | { kind: 'many'; tasks: RowTask[]; cols: [] };

/** How many numbers a task's partial result has. */
export function taskSize(t: RowTask): number {
  if (t.kind === 'many') return t.tasks.reduce((a, u) => a + taskSize(u), 0);
  if (t.kind === 'cross') return t.cols.length * t.cols.length;
  if (t.kind === 'scores') return t.cols.length * t.nLevels;
  if (t.kind === 'resid') return 0;
  if (t.kind === 'scan') return 2 * t.cols.length;
  return t.cols.length;
}

/** Columns a task reads (with its rows, the size of its work). */
export function taskColumns(t: RowTask): number {
  return t.kind === 'many' ? t.tasks.reduce((a, u) => a + taskColumns(u), 0) : Math.max(1, t.cols.length);
}

/** Rows of a task (the length of its columns). */
export function taskRows(t: RowTask): number {
  if (t.kind === 'many') return t.tasks.reduce((a, u) => Math.max(a, taskRows(u)), 0);
  if (t.kind === 'residCross' || t.kind === 'resid') return t.y.length;
  if (t.kind === 'scores') return t.e.length;
  return t.cols[0]?.length ?? 0;
}

/** Every typed array a task reads or writes (a second thread can run it only if all are in shared memory). */
export function taskArrays(t: RowTask): (Float64Array | Int32Array)[] {
  if (t.kind === 'many') return t.tasks.flatMap(taskArrays);
  if (t.kind === 'residCross' || t.kind === 'resid') return [...t.cols, t.y, t.coef, t.r];
  if (t.kind === 'scores') return [...t.cols, t.e, t.codes];
  return t.cols;
}

/** Run a task on rows [lo, hi), adding its partial result into `out`. */
export function runRowTask(t: RowTask, lo: number, hi: number, out: Float64Array): void {
  switch (t.kind) {
    case 'cross':
      crossRange(t.cols, lo, hi, out);
      return;
    case 'residCross':
      residRange(t.cols, t.y, t.coef, t.r, lo, hi);
      crossWithRange(t.cols, t.r, lo, hi, out);
      return;
    case 'resid':
      residRange(t.cols, t.y, t.coef, t.r, lo, hi);
      return;
    case 'scores':
      for (let b = lo; b < hi; b += CHUNK) {
        const e = Math.min(hi, b + CHUNK);
        for (let j = 0; j < t.cols.length; j++) scoreSums(t.cols[j], t.e, t.codes, out, j * t.nLevels, b, e);
      }
      return;
    case 'sumSq':
      t.cols.forEach((x, j) => {
        out[j] += sumSqRange(x, t.means[j], lo, hi);
      });
      return;
    case 'sum':
      t.cols.forEach((x, j) => {
        out[j] += sumRange(x, lo, hi);
      });
      return;
    case 'many': {
      let at = 0;
      for (const u of t.tasks) {
        const m = taskSize(u);
        runRowTask(u, lo, hi, out.subarray(at, at + m));
        at += m;
      }
      return;
    }
    case 'scan':
      t.cols.forEach((x, j) => {
        out[2 * j] += outside(x, t.limit, lo, hi);
        if (out[2 * j]) out[2 * j + 1] += infinities(x, lo, hi);
      });
      return;
    default:
      throw new Error(`unknown row task ${JSON.stringify((t as { kind: unknown }).kind)}`);
  }
}

/**
 * Runs a task on both halves of the rows and returns the two partial results; `alloc` gives columns that a task
 * may write (in shared memory where a second thread runs).
 */
export interface RowSplit {
  run(t: RowTask): [Float64Array, Float64Array];
  alloc(n: number): Float64Array;
}

/** Both halves on this thread: the one-thread engine. */
export const serialSplit: RowSplit = {
  run(t) {
    const n = taskRows(t);
    const h = splitPoint(n);
    const a = new Float64Array(taskSize(t));
    const b = new Float64Array(taskSize(t));
    runRowTask(t, 0, h, a);
    runRowTask(t, h, n, b);
    return [a, b];
  },
  alloc: (n) => new Float64Array(n),
};

/** A task's result: the two halves' partial results added. */
export function reduceRows(split: RowSplit, t: RowTask): Float64Array {
  const [a, b] = split.run(t);
  for (let i = 0; i < a.length; i++) a[i] += b[i];
  return a;
}

/** Several tasks' results, reduced in one go (one hand-over to the second thread instead of one each). */
export function reduceMany(split: RowSplit, tasks: RowTask[]): Float64Array[] {
  const all = reduceRows(split, { kind: 'many', tasks, cols: [] });
  let at = 0;
  return tasks.map((u) => {
    const m = taskSize(u);
    at += m;
    return all.subarray(at - m, at);
  });
}

/**
 * Claim halves of a row task until none is left: either thread may reduce either half, into that half's own
 * output, so the numbers do not depend on which did; a thread that is kept waiting by other programs holds up no
 * more than the half it took.
 */
export function claimHalves(t: RowTask, h: number, outs: Float64Array[], claim: Int32Array): void {
  const n = taskRows(t);
  for (let i = Atomics.add(claim, 0, 1); i < 2; i = Atomics.add(claim, 0, 1)) {
    runRowTask(t, i ? h : 0, i ? n : h, outs[i]);
    Atomics.add(claim, 1, 1);
    Atomics.notify(claim, 1);
  }
}

function crossRange(cols: Float64Array[], lo0: number, n: number, C: Float64Array): void {
  const k = cols.length;
  for (let lo = lo0; lo < n; lo += CHUNK) {
    const hi = Math.min(n, lo + CHUNK);
    for (let a = 0; a < k; a++) {
      const xa = cols[a];
      const row = a * k;
      let c = a;
      // Four products per pass over the block (each summed in the same order as alone, so the same numbers).
      for (; c + 4 <= k; c += 4) {
        const s = dot4(xa, cols[c], cols[c + 1], cols[c + 2], cols[c + 3], lo, hi);
        C[row + c] += s[0];
        C[row + c + 1] += s[1];
        C[row + c + 2] += s[2];
        C[row + c + 3] += s[3];
      }
      for (; c < k; c++) C[row + c] += dot(xa, cols[c], lo, hi);
    }
  }
}

const sums4 = new Float64Array(4);

function dot4(
  x: Float64Array,
  a: Float64Array,
  b: Float64Array,
  c: Float64Array,
  d: Float64Array,
  lo: number,
  hi: number,
): Float64Array {
  let sa = 0;
  let sb = 0;
  let sc = 0;
  let sd = 0;
  for (let i = lo; i < hi; i++) {
    const v = x[i];
    sa += v * a[i];
    sb += v * b[i];
    sc += v * c[i];
    sd += v * d[i];
  }
  sums4[0] = sa;
  sums4[1] = sb;
  sums4[2] = sc;
  sums4[3] = sd;
  return sums4;
}

function dot(x: Float64Array, y: Float64Array, lo: number, hi: number): number {
  let s = 0;
  for (let i = lo; i < hi; i++) s += x[i] * y[i];
  return s;
}

function crossWithRange(cols: Float64Array[], r: Float64Array, lo0: number, n: number, out: Float64Array): void {
  for (let lo = lo0; lo < n; lo += CHUNK) {
    const hi = Math.min(n, lo + CHUNK);
    for (let a = 0; a < cols.length; a++) out[a] += dot(cols[a], r, lo, hi);
  }
}

function residRange(
  cols: Float64Array[],
  y: Float64Array,
  b: Float64Array,
  r: Float64Array,
  lo0: number,
  n: number,
): void {
  for (let lo = lo0; lo < n; lo += CHUNK) {
    const hi = Math.min(n, lo + CHUNK);
    for (let i = lo; i < hi; i++) r[i] = y[i];
    for (let c = 0; c < cols.length; c++) subtractScaled(r, cols[c], b[c], lo, hi);
  }
}

function subtractScaled(r: Float64Array, x: Float64Array, bc: number, lo: number, hi: number): void {
  for (let i = lo; i < hi; i++) r[i] -= x[i] * bc;
}

function scoreSums(
  x: Float64Array,
  e: Float64Array,
  codes: Int32Array,
  s: Float64Array,
  off: number,
  lo: number,
  hi: number,
): void {
  for (let i = lo; i < hi; i++) s[off + codes[i]] += x[i] * e[i];
}

function sumSqRange(x: Float64Array, mean: number, lo: number, hi: number): number {
  let s = 0;
  for (let i = lo; i < hi; i++) s += (x[i] - mean) ** 2;
  return s;
}

function sumRange(x: Float64Array, lo: number, hi: number): number {
  let s = 0;
  for (let i = lo; i < hi; i++) s += x[i];
  return s;
}

function outside(x: Float64Array, limit: number, lo: number, hi: number): number {
  let k = 0;
  for (let i = lo; i < hi; i++) if (!(Math.abs(x[i]) <= limit)) k++;
  return k;
}

function infinities(x: Float64Array, lo: number, hi: number): number {
  let k = 0;
  for (let i = lo; i < hi; i++) if (x[i] === Infinity || x[i] === -Infinity) k++;
  return k;
}
