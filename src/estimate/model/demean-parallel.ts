/**
 * A large fit on two threads, over shared memory. Absorbing the fixed effects: the columns are split in two, this
 * thread demeans the first part while one worker thread demeans the second. Each column is demeaned on its own by
 * the same code (demeanColumns, model/demean.ts), so the answer is bitwise the one-thread answer. Then the sums
 * over rows of the least squares and the vcov (math/row-kernels.ts): each is defined over two fixed halves of the
 * rows, and here each thread claims halves until none is left (rowSplit), reducing each by the same code on the
 * same rows: the same numbers as on one thread, bit for bit; only the wall time changes.
 *
 * Used above PARALLEL_MIN_CELLS (rows × columns). Columns already in shared memory (those the two-part CSV reader
 * wrote, the key codes of a large design) are handed over as they are; others are copied there once. The worker
 * is started once per process, early (prepareDemeanWorker), and reused; it is unref'd, so it never keeps the
 * process alive. Where no worker thread can start (or NQP_THREADS=1), everything runs on this thread. A worker
 * that fails or does not answer is an error, never a silent fallback.
 */
import type { MessagePort } from 'node:worker_threads';
import { MessageChannel, receiveMessageOnPort, type Worker } from 'node:worker_threads';
import { NqpError } from '../../errors';
import {
  claimHalves,
  type RowSplit,
  type RowTask,
  serialSplit,
  splitPoint,
  taskArrays,
  taskColumns,
  taskRows,
  taskSize,
} from '../../math/row-kernels';
import { startModuleWorker, threadsWanted } from '../../threads';
import { cacheCodes, type ColumnSource, codesFor, codesForCached, type KeyCodes } from './columns';
import {
  claimColumns,
  type ColumnsJob,
  demeanColumns,
  type DemeanOptions,
  exactPair,
  exactPlan,
  type FeGroup,
} from './demean';
import type { TwoWayPlan } from './demean-two-way';

/** Rows × columns above which the second thread pays for itself (about 40 ms of work on one thread). */
export const PARALLEL_MIN_CELLS = 2_000_000;

type Job =
  /** Columns claimed one at a time by either thread (claimColumns). */
  | ({ kind: 'demean' } & ColumnsJob)
  /** exactPlan (model/demean.ts) of the fixed effects, made ahead of the absorption (planAhead). */
  | { kind: 'plan'; codes: Int32Array[]; nLevels: number[] }
  /**
   * A row-kernels.ts reduction, half by half: each thread claims halves (claim[0], the next one) until none is
   * left, writes half i's partial result into outs[i], counts it done in claim[1]; a failure raises claim[2].
   */
  | { kind: 'rows'; task: RowTask; h: number; outs: Float64Array[]; claim: Int32Array }
  /** codesFor (model/columns.ts) of one interned text column over `rows`. */
  | { kind: 'codes'; name: string; codes: Int32Array; labels: string[]; rows: Int32Array };

type Answer =
  | { ok: true; iterations: number; converged: boolean; keyCodes?: KeyCodes; plan?: TwoWayPlan }
  | { ok: false; why: string };

interface Pool {
  worker: Worker;
  port: MessagePort;
  flag: Int32Array;
}

let pool: Pool | undefined;

/** The worker's side: claimed parts (columns, row halves) are counted in shared memory; codes and plans answer. */
export function runDemeanWorker(d: { port: MessagePort; flag: Int32Array }): void {
  d.port.on('message', (job: Job) => {
    if (job.kind === 'rows' || job.kind === 'demean') {
      // No answer on the port: the other thread waits on the claim counters instead.
      try {
        if (job.kind === 'rows') claimHalves(job.task, job.h, job.outs, job.claim);
        else claimColumns(job);
      } catch {
        Atomics.store(job.claim, 2, 1);
        Atomics.notify(job.claim, 1);
      }
      return;
    }
    let msg: Answer;
    try {
      if (job.kind === 'codes') {
        const { name, codes, labels } = job;
        // The worker has this one column's interned codes and labels: all that codesFor reads of an interned column.
        const only: ColumnSource = {
          columnNames: () => [name],
          numRows: () => codes.length,
          array: () => {
            throw new Error(`the worker has only the interned codes of ${name}`);
          },
          factor: () => ({ codes, labels }),
        };
        msg = { ok: true, iterations: 0, converged: true, keyCodes: codesFor(only, [name], job.rows) };
      } else if (job.kind === 'plan') {
        const plan = exactPlan(job.codes.map((codes, g) => ({ codes, nLevels: job.nLevels[g] })));
        msg = { ok: true, iterations: 0, converged: true, plan };
      } else throw new Error(`unknown job ${JSON.stringify((job as { kind: unknown }).kind)}`);
    } catch (e) {
      msg = { ok: false, why: e instanceof Error ? (e.stack ?? e.message) : String(e) };
    }
    d.port.postMessage(msg);
    Atomics.store(d.flag, 0, 1);
    Atomics.notify(d.flag, 0);
  });
}

/** The worker, started if it is not running; undefined where worker threads are unavailable or turned off. */
function demeanPool(): Pool | undefined {
  if (!threadsWanted()) return undefined;
  if (pool) return pool;
  const { port1, port2 } = new MessageChannel();
  const flag = new Int32Array(new SharedArrayBuffer(4));
  try {
    const worker = startModuleWorker(__filename, 'runDemeanWorker', { port: port2, flag });
    port1.unref();
    const p: Pool = { worker, port: port1, flag };
    worker.on('exit', () => {
      if (pool === p) pool = undefined;
    });
    pool = p;
  } catch {
    port1.close();
  }
  return pool;
}

/** Start the worker ahead of a large fit, so its start-up overlaps the work before the absorption. */
export const prepareDemeanWorker = (): void => void demeanPool();

function discard(p: Pool): void {
  if (pool === p) pool = undefined;
  p.port.close();
  void p.worker.terminate();
}

const isShared = (x: Int32Array | Float64Array) => x.buffer instanceof SharedArrayBuffer;

/** A column in shared memory: itself if it is there already, else a copy. */
const shared = <T extends Int32Array | Float64Array>(make: (b: SharedArrayBuffer) => T, src: T): T => {
  if (isShared(src)) return src;
  const out = make(new SharedArrayBuffer(src.byteLength));
  out.set(src);
  return out;
};

const sharedFloats = (n: number) => new Float64Array(new SharedArrayBuffer(8 * n));

/**
 * demeanColumns on two threads (same answer, bit for bit). `minCells` (default PARALLEL_MIN_CELLS): below this many
 * rows × columns, with under two columns or one fixed effect, one thread does it all. `given`: the caller's plan.
 */
export function demeanColumnsParallel(
  cols: Float64Array[],
  fes: FeGroup[],
  options: DemeanOptions = {},
  minCells = PARALLEL_MIN_CELLS,
  given = (): TwoWayPlan | null | undefined => undefined,
): { out: Float64Array[]; iterations: number; converged: boolean; threads: number } {
  const n = cols[0]?.length ?? 0;
  const plan = takePlan(fes) ?? given();
  // One fixed effect is one pass per column: copying columns to shared memory costs more than it saves.
  const p = fes.length >= 2 && cols.length >= 2 && n * cols.length >= minCells ? demeanPool() : undefined;
  if (!p) return { ...demeanColumns(cols, fes, options, undefined, plan), threads: 1 };
  // Every output is in shared memory, so the worker can read all columns for its half of the rows afterwards.
  const job: ColumnsJob = {
    codes: fes.map((f) => shared((b) => new Int32Array(b), f.codes)),
    nLevels: fes.map((f) => f.nLevels),
    cols: cols.map((c) => shared((b) => new Float64Array(b), c)),
    outs: cols.map((c) => sharedFloats(c.length)),
    options,
    plan,
    claim: new Int32Array(new SharedArrayBuffer(12)),
    stats: sharedFloats(2 * cols.length),
  };
  p.port.postMessage({ kind: 'demean', ...job } satisfies Job);
  const t0 = performance.now();
  claimColumns(job);
  waitClaimed(p, job.claim, cols.length, t0, 'a column of the fixed-effect absorption');
  let iterations = 0;
  let converged = true;
  for (let c = 0; c < cols.length; c++) {
    iterations = Math.max(iterations, job.stats[2 * c]);
    converged = converged && job.stats[2 * c + 1] === 1;
  }
  return { out: job.outs, iterations, converged, threads: 2 };
}

/**
 * Wait until `total` parts of a claimed job are done (those the worker took), or it failed: a worker that fails,
 * or takes far longer than this thread did, is an error (WORKER_FAILED).
 */
function waitClaimed(p: Pool, claim: Int32Array, total: number, t0: number, what: string): void {
  const deadline = Date.now() + Math.max(60_000, 50 * (performance.now() - t0));
  for (let done = Atomics.load(claim, 1); done < total && !Atomics.load(claim, 2); done = Atomics.load(claim, 1)) {
    Atomics.wait(claim, 1, done, 1000);
    if (Date.now() > deadline) {
      discard(p);
      throw workerError(`the worker thread did not finish ${what}`);
    }
  }
  if (Atomics.load(claim, 2)) {
    discard(p);
    throw workerError(`the worker thread failed on ${what}`);
  }
  // A worker that could not start took no part but raised the flag with its reason: that is an error too.
  if (!pending && Atomics.load(p.flag, 0) === 1) answer(p, t0);
}

/** A plan job posted by planAhead, not yet answered (its answer is taken before any other job is posted). */
let pending: { p: Pool; codes: Int32Array[]; t0: number } | undefined;

/**
 * Where the fixed effects are absorbed exactly (two, one with few levels) in a large fit, the worker makes the plan
 * (twoWayPlan) while this thread finishes the design; demeanColumnsParallel takes it (the same plan, the same numbers).
 */
export function planAhead(fes: FeGroup[]): void {
  const n = fes[0]?.codes.length ?? 0;
  const p = threadsWanted() && n >= PLAN_AHEAD_MIN_ROWS && exactPair(fes) ? pool : undefined;
  if (!p || pending) return;
  const codes = fes.map((f) => shared((b) => new Int32Array(b), f.codes));
  p.port.postMessage({ kind: 'plan', codes, nLevels: fes.map((f) => f.nLevels) } satisfies Job);
  pending = { p, codes: fes.map((f) => f.codes), t0: performance.now() };
}

/** Rows from which planAhead hands the plan to the worker. */
const PLAN_AHEAD_MIN_ROWS = 100_000;

/** The plan made ahead for these fixed effects, if one was (waiting for it); any other pending plan is set aside. */
function takePlan(fes: FeGroup[]): TwoWayPlan | undefined {
  const w = pending;
  if (!w) return undefined;
  pending = undefined;
  if (w.p !== pool) return undefined; // the worker was let go since (a failure): it will not answer
  const plan = answer(w.p, w.t0).plan;
  const same = w.codes.length === fes.length && w.codes.every((c, g) => c === fes[g].codes);
  return same ? plan : undefined;
}

/**
 * Post `job` to the worker, run `own` here meanwhile, then wait for the worker's answer. A worker that fails, or
 * takes far longer than this thread did on as much work, is an error (WORKER_FAILED).
 */
function ask<T>(p: Pool, job: Job, own: () => T): { own: T; theirs: Answer & { ok: true } } {
  takePlan([]);
  // The flag is 0 between jobs (lowered below after each answer), so a worker that failed to start, and raised it
  // before this job was posted, is noticed too.
  p.port.postMessage(job);
  const t0 = performance.now();
  let mine: T;
  try {
    mine = own();
  } catch (e) {
    // The worker's answer to this job must not be taken for the next job's: wait for it and set it aside (if it
    // failed too, the worker is let go); this thread's error is the one to report.
    try {
      answer(p, t0);
    } catch {}
    throw e;
  }
  return { own: mine, theirs: answer(p, t0) };
}

function answer(p: Pool, t0: number): Answer & { ok: true } {
  // The worker has as much to do as this thread had: it is lost if it takes far longer.
  const deadline = Date.now() + Math.max(60_000, 50 * (performance.now() - t0));
  while (Atomics.wait(p.flag, 0, 0, 1000) === 'timed-out') {
    if (Date.now() > deadline) {
      discard(p);
      throw workerError('the worker thread did not answer');
    }
  }
  const msg = receiveMessageOnPort(p.port)?.message as Answer | undefined;
  if (!msg?.ok) {
    discard(p);
    throw workerError(msg ? msg.why.split('\n')[0] : 'the worker thread answered nothing');
  }
  Atomics.store(p.flag, 0, 0);
  return msg;
}

/**
 * The codes of several keys (the fixed effects) over `rows`, as codesForCached gives them. Where the worker is
 * running, the rows are many and a key is one interned text column in shared memory, the key with the fewest labels
 * (they are copied to the worker and back) is coded on the worker while this thread codes the others.
 */
export function keyCodesOf(data: ColumnSource, keys: string[][], rows: Int32Array): KeyCodes[] {
  const p = threadsWanted() && keys.length >= 2 && rows.length * keys.length >= PARALLEL_MIN_CELLS ? pool : undefined;
  let pick = -1;
  let f: { codes: Int32Array; labels: string[] } | undefined;
  if (p && isShared(rows)) {
    keys.forEach((vars, j) => {
      const fj = vars.length === 1 ? data.factor?.(vars[0]) : undefined;
      if (fj && isShared(fj.codes) && (!f || fj.labels.length < f.labels.length)) {
        f = fj;
        pick = j;
      }
    });
  }
  if (!p || !f) return keys.map((vars) => codesForCached(data, vars, rows));
  const job: Job = { kind: 'codes', name: keys[pick][0], codes: f.codes, labels: f.labels, rows };
  const r = ask(p, job, () => keys.map((vars, j) => (j === pick ? undefined : codesForCached(data, vars, rows))));
  const theirs = r.theirs.keyCodes;
  if (!theirs) throw workerError('the worker thread answered without the codes');
  cacheCodes(rows, keys[pick], theirs);
  return r.own.map((c) => c ?? theirs);
}

/** Rows × columns from which a row task goes to both threads (below, a pass costs about what a hand-over can). */
const ROWS_MIN_CELLS = 4_000_000;

/**
 * How the row-wise sums of a fit run: on both threads where the worker is running (it is started for large fits
 * only) and the task is large and all its columns are in shared memory; otherwise on this thread. The numbers are
 * the same either way (math/row-kernels.ts). `minCells` (rows × columns of a task, default ROWS_MIN_CELLS):
 * below it, one thread.
 */
export function rowSplit(minCells = ROWS_MIN_CELLS): RowSplit {
  if (!threadsWanted() || !pool) return serialSplit;
  return {
    run(t) {
      const n = taskRows(t);
      const p = pool;
      if (!p || n * taskColumns(t) < minCells || !taskArrays(t).every(isShared)) return serialSplit.run(t);
      const h = splitPoint(n);
      const size = taskSize(t);
      const outs = [sharedFloats(size), sharedFloats(size)];
      const claim = new Int32Array(new SharedArrayBuffer(12));
      p.port.postMessage({ kind: 'rows', task: t, h, outs, claim } satisfies Job);
      const t0 = performance.now();
      claimHalves(t, h, outs, claim);
      waitClaimed(p, claim, 2, t0, 'its half of the rows');
      return [outs[0], outs[1]];
    },
    alloc: (n) => (pool ? sharedFloats(n) : new Float64Array(n)),
  };
}

function workerError(why: string): NqpError {
  return new NqpError(
    'WORKER_FAILED',
    'fixed-effect absorption',
    `The second thread of the fit (absorbing the fixed effects, summing over rows) failed (${why}). Run again ` +
      'with NQP_THREADS=1 to fit on one thread, and report the failure.',
  );
}
