/**
 * A large CSV file read in two parts at once: this thread reads the rows of the first half while a worker thread
 * reads the second, from a line break near the middle. The parts are joined column by column (text interned again
 * in order), so the frame equals the one a single read gives, codes and line numbers included. Both parts write
 * their columns into shared memory sized from row estimates, the second part after the first's room, so the join
 * moves rows within memory already touched instead of copying them into fresh memory; a part that outgrows its
 * room goes on in memory of its own and is copied at the join. The frame's columns may thus be views of a
 * SharedArrayBuffer.
 *
 * Whatever a part cannot read exactly on its own (a quote anywhere in it, a column that turns from numbers to text,
 * a block that is not UTF-8, any error, a worker that does not answer) makes readCsvParallel return undefined, and
 * the caller reads the file in one piece: errors are always reported by the one-piece reader.
 */
import { openSync, readSync } from 'node:fs';
import { MessageChannel, type MessagePort, receiveMessageOnPort, type Worker } from 'node:worker_threads';
import { startModuleWorker, threadsWanted } from '../threads';
import { rangeSource } from './byte-source';
import { parse, toFrame, type Parsed } from './csv-stream';
import type { BuilderState, BuildOptions, Frame } from './frame';

interface PartJob {
  path: string;
  start: number;
  end: number;
  names: string[];
  textColumns: string[];
  decimalComma: boolean | undefined;
  delimiter: string;
  where: string;
  /** Shared memory for the columns (one buffer a column) and this part's rows in it, from row `from`. */
  shared?: { buffers: SharedArrayBuffer[]; from: number; rows: number };
}

type PartMessage =
  | { ok: true; states: BuilderState[]; lines: Int32Array; nextLine: number }
  | { ok: false; why: string };

/** Read one part; columns are allocated for `hintBytes` of rows (the whole file's, for the part joined onto). */
function readPart(job: PartJob, firstLine: number, hintBytes = job.end - job.start): Parsed {
  const options: BuildOptions = { textColumns: new Set(job.textColumns), decimalComma: job.decimalComma };
  const src = rangeSource(openSync(job.path, 'r'), job.start, job.end);
  const sh = job.shared;
  const storage = sh?.buffers.map((b, c) =>
    options.textColumns?.has(job.names[c])
      ? new Int32Array(b, sh.from * 4, sh.rows)
      : new Float64Array(b, sh.from * 8, sh.rows),
  );
  try {
    return parse(src, job.where, job.delimiter, options, 'utf-8', hintBytes, { names: job.names, firstLine, storage });
  } finally {
    src.close();
  }
}

/** The worker's side: read the part, hand the columns over (moved, not copied), then raise the flag. */
export function runPart(d: { job: PartJob; port: MessagePort; flag: Int32Array }): void {
  let msg: PartMessage;
  let transfer: ArrayBuffer[] = [];
  try {
    const p = readPart(d.job, 1);
    const states = p.builders.map((b) => b.state());
    msg = { ok: true, states, lines: p.lines, nextLine: p.nextLine };
    // Arrays of their own are moved; those still in the shared memory are where the first part's reader wants them.
    const own = [p.lines, ...states.flatMap((s) => [s.nums, s.codes])].map((a) => a.buffer);
    transfer = own.filter((b): b is ArrayBuffer => b instanceof ArrayBuffer);
  } catch (e) {
    msg = { ok: false, why: e instanceof Error ? e.message : String(e) };
  }
  d.port.postMessage(msg, transfer);
  Atomics.store(d.flag, 0, 1);
  Atomics.notify(d.flag, 0);
}

/**
 * Rows expected in the bytes [from, to) from the lines of their first megabyte, with 5% and 1024 rows to spare;
 * undefined when that megabyte holds no whole line.
 */
function rowsAbout(fd: number, from: number, to: number): number | undefined {
  const buf = Buffer.allocUnsafe(Math.min(1 << 20, to - from));
  const got = readSync(fd, buf, 0, buf.length, from);
  let lines = 0;
  let last = -1;
  for (let k = buf.indexOf(10); k >= 0 && k < got; k = buf.indexOf(10, k + 1)) {
    lines++;
    last = k;
  }
  return lines ? Math.ceil((((to - from) * lines) / (last + 1)) * 1.05) + 1024 : undefined;
}

/** The position just after the first line feed at or after `from` (within 16 MB), or −1. */
function afterLineFeed(fd: number, from: number, size: number): number {
  const buf = Buffer.allocUnsafe(1 << 20);
  for (let pos = from; pos < Math.min(size, from + (16 << 20)); ) {
    const got = readSync(fd, buf, 0, buf.length, pos);
    if (got === 0) return -1;
    const k = buf.subarray(0, got).indexOf(10);
    if (k >= 0) return pos + k + 1;
    pos += got;
  }
  return -1;
}

/** Read a UTF-8 CSV file in two parts on two threads; undefined when it must be read in one piece. */
export function readCsvParallel(
  path: string,
  fd: number,
  size: number,
  where: string,
  delimiter: string,
  options: BuildOptions,
): Frame | undefined {
  if (!threadsWanted()) return undefined; // NQP_THREADS=1: one piece, on this thread
  const headerEnd = afterLineFeed(fd, 0, size);
  if (headerEnd < 0) return undefined;
  const head = Buffer.allocUnsafe(headerEnd);
  readSync(fd, head, 0, headerEnd, 0);
  // A carriage return other than the header's CRLF: lines may end in CR alone, so line feeds are not row ends.
  const cr = head.indexOf(13);
  if (cr >= 0 && cr !== headerEnd - 2) return undefined;
  const split = afterLineFeed(fd, Math.max(headerEnd, Math.floor(size / 2)), size);
  if (split < 0 || split >= size) return undefined;
  let header: Parsed;
  try {
    header = parse(rangeSource(fd, 0, headerEnd), where, delimiter, options, 'utf-8', headerEnd);
  } catch {
    return undefined;
  }
  if (header.lines.length) return undefined;
  const base = {
    path,
    names: header.names,
    textColumns: [...(options.textColumns ?? [])],
    decimalComma: options.decimalComma,
    delimiter,
    where,
  };
  // The columns in shared memory sized from row-count estimates: the first part fills rows [0, g), the worker
  // rows from g on, and the join moves the worker's rows down to the first part's end within the same memory.
  const g = rowsAbout(fd, headerEnd, split);
  const w = rowsAbout(fd, split, size);
  const text = (c: number) => options.textColumns?.has(header.names[c]) ?? false;
  const buffers = g && w ? header.names.map((_, c) => new SharedArrayBuffer((g + w) * (text(c) ? 4 : 8))) : undefined;
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  let worker: Worker;
  try {
    const shared = buffers && w ? { buffers, from: g ?? 0, rows: w } : undefined;
    const job = { ...base, start: split, end: size, shared };
    worker = startModuleWorker(__filename, 'runPart', { job, port: port2, flag });
  } catch {
    port1.close();
    return undefined; // no worker thread here: one piece
  }
  try {
    let first: Parsed;
    try {
      const shared = buffers && g ? { buffers, from: 0, rows: g } : undefined;
      first = readPart({ ...base, start: headerEnd, end: split, shared }, 2, size);
    } catch {
      return undefined;
    }
    // Wait for the worker without the event loop (this read is synchronous); give up after a generous time.
    const deadline = Date.now() + Math.max(60_000, size / 1000);
    while (Atomics.wait(flag, 0, 0, 1000) === 'timed-out') if (Date.now() > deadline) return undefined;
    const msg = receiveMessageOnPort(port1)?.message as PartMessage | undefined;
    if (!msg?.ok) return undefined;
    for (let c = 0; c < first.builders.length; c++) {
      const b = buffers?.[c];
      if (b) first.builders[c].widen(text(c) ? new Int32Array(b) : new Float64Array(b));
      if (!first.builders[c].append(msg.states[c])) return undefined;
    }
    const n1 = first.lines.length;
    const later = msg.lines;
    const lines = new Int32Array(n1 + later.length);
    lines.set(first.lines);
    const offset = first.nextLine - 1;
    for (let r = 0, n = later.length; r < n; r++) lines[n1 + r] = later[r] + offset;
    return toFrame({ ...first, lines, nextLine: msg.nextLine + offset }, where, 'utf-8');
  } finally {
    void worker.terminate();
    port1.close();
  }
}
