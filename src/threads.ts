/**
 * Starting a worker thread on one of the package's own modules, in the one way that works both from the built
 * package (dist/, plain JavaScript) and under tsx (tests, the bench: TypeScript source). The worker requires
 * `file` and calls its export `entry` with `workerData`. The data carry a MessagePort and a shared Int32Array flag:
 * if the module cannot be loaded, the worker posts `{ ok: false, why }` on the port and raises the flag, so a
 * thread waiting on the flag (Atomics.wait) is always woken. The worker is unref'd: it never keeps the process
 * alive. The two-part CSV reader (src/data/csv-parallel.ts) and two-thread demeaning start their workers here.
 */
import { extname } from 'node:path';
import { type MessagePort, Worker } from 'node:worker_threads';

export interface WorkerSignal {
  port: MessagePort;
  /** flag[0] is raised to 1 (and notified) when the worker has answered on the port. */
  flag: Int32Array;
}

/** False when NQP_THREADS=1: the CSV reader and the fixed-effect absorption then run on this thread alone. */
export function threadsWanted(): boolean {
  return process.env.NQP_THREADS !== '1';
}

/** Start `entry` of module `file` (pass the caller's __filename) on a new worker thread. Throws if none can start. */
export function startModuleWorker<D extends WorkerSignal>(file: string, entry: string, data: D): Worker {
  // Under tsx (tests) the module is TypeScript: the worker registers tsx before requiring it.
  const boot = extname(file) === '.ts' ? `require(${JSON.stringify(require.resolve('tsx/cjs'))});` : '';
  const code = `const { workerData: d } = require('node:worker_threads');
try { ${boot} require(${JSON.stringify(file)})[${JSON.stringify(entry)}](d); }
catch (e) {
  d.port.postMessage({ ok: false, why: String(e && e.stack || e) });
  Atomics.store(d.flag, 0, 1);
  Atomics.notify(d.flag, 0);
}`;
  const w = new Worker(code, { eval: true, workerData: data, transferList: [data.port] });
  w.unref();
  return w;
}
