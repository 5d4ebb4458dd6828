/**
 * Absorbing fixed effects on two threads: the columns are split in two, this thread demeans the first part while
 * one worker thread demeans the second, over shared memory. Each column is demeaned on its own by the same code
 * (demeanColumns, model/demean.ts), so the answer is bitwise the one-thread answer; only the wall time changes.
 *
 * Used above PARALLEL_MIN_CELLS (rows × columns), where it pays for copying the worker's columns and the
 * fixed-effect codes into shared memory. The worker is started once per process, early (prepareDemeanWorker), and
 * reused; it is unref'd, so it never keeps the process alive. Where no worker thread can start (or NQP_THREADS=1),
 * everything runs on this thread. A worker that fails or does not answer is an error, never a silent fallback.
 */
import type { MessagePort } from 'node:worker_threads';
import { MessageChannel, receiveMessageOnPort, type Worker } from 'node:worker_threads';
import { NqpError } from '../../errors';
import { startModuleWorker, threadsWanted } from '../../threads';
import { demeanColumns, type DemeanOptions, type FeGroup } from './demean';

/** Rows × columns above which the second thread pays for itself (about 40 ms of work on one thread). */
export const PARALLEL_MIN_CELLS = 2_000_000;

interface Job {
  codes: Int32Array[];
  nLevels: number[];
  /** Demeaned in place. */
  cols: Float64Array[];
  options: DemeanOptions;
}

type Answer = { ok: true; iterations: number; converged: boolean } | { ok: false; why: string };

interface Pool {
  worker: Worker;
  port: MessagePort;
  flag: Int32Array;
}

let pool: Pool | undefined;

/** The worker's side: demean each job's columns in place, answer, raise the flag. */
export function runDemeanWorker(d: { port: MessagePort; flag: Int32Array }): void {
  d.port.on('message', (job: Job) => {
    let msg: Answer;
    try {
      const fes = job.codes.map((codes, g) => ({ codes, nLevels: job.nLevels[g] }));
      const r = demeanColumns(job.cols, fes, job.options, job.cols);
      msg = { ok: true, iterations: r.iterations, converged: r.converged };
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
export function prepareDemeanWorker(): void {
  demeanPool();
}

function discard(p: Pool): void {
  if (pool === p) pool = undefined;
  p.port.close();
  void p.worker.terminate();
}

const shared = <T extends Int32Array | Float64Array>(make: (b: SharedArrayBuffer) => T, src: T): T => {
  const out = make(new SharedArrayBuffer(src.byteLength));
  out.set(src);
  return out;
};

/**
 * demeanColumns on two threads (same answer, bit for bit). `minCells` (default PARALLEL_MIN_CELLS): below this
 * many rows × columns, with fewer than two columns or with one fixed effect, one thread does it all.
 */
export function demeanColumnsParallel(
  cols: Float64Array[],
  fes: FeGroup[],
  options: DemeanOptions = {},
  minCells = PARALLEL_MIN_CELLS,
): { out: Float64Array[]; iterations: number; converged: boolean; threads: number } {
  const n = cols[0]?.length ?? 0;
  // One fixed effect is one pass per column: copying columns to shared memory costs more than it saves.
  const p = fes.length >= 2 && cols.length >= 2 && n * cols.length >= minCells ? demeanPool() : undefined;
  if (!p) return { ...demeanColumns(cols, fes, options), threads: 1 };
  // The worker takes the larger half: both start once its columns are copied to shared memory, and its outputs
  // (those copies) are already paged in, where this thread's outputs are new memory.
  const split = Math.floor(cols.length / 2);
  const theirs = cols.slice(split).map((c) => shared((b) => new Float64Array(b), c));
  const job: Job = {
    codes: fes.map((f) => shared((b) => new Int32Array(b), f.codes)),
    nLevels: fes.map((f) => f.nLevels),
    cols: theirs,
    options,
  };
  // The flag is 0 between jobs (lowered below after each answer), so a worker that failed to start, and raised it
  // before this job was posted, is noticed too.
  p.port.postMessage(job);
  const t0 = performance.now();
  const mine = demeanColumns(cols.slice(0, split), fes, options);
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
  return {
    out: [...mine.out, ...theirs],
    iterations: Math.max(mine.iterations, msg.iterations),
    converged: mine.converged && msg.converged,
    threads: 2,
  };
}

function workerError(why: string): NqpError {
  return new NqpError(
    'WORKER_FAILED',
    'fixed-effect absorption',
    `The second thread absorbing the fixed effects failed (${why}). Run again with NQP_THREADS=1 to absorb them ` +
      'on one thread, and report the failure.',
  );
}
