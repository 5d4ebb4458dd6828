/**
 * Execute one notebook for a class, through the real tslab kernel (src/notebook's client), on data we choose: the
 * notebook runs in a fresh folder holding only a copy of the student's panel, its DATA setting pointed there.
 * Unlike `reproduce`, a failing cell does not stop the run (later answers still count), and one deadline covers the
 * whole notebook: past it the kernel is killed and the answers recorded so far are kept.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NqpError } from '../errors';
import { TslabKernel, type CellOutput } from '../notebook/kernel';
import { cellSource, type Notebook } from '../notebook/html';
import { errorText, injectData } from '../notebook/run';
import { buildKernelSnapshot, removeKernelSnapshot, snapshotsOff } from '../notebook/snapshot';
import { ANSWER_MIME, type RecordedAnswer } from './answer';

export interface CellFailure {
  /** 1-based cell number in the notebook. */
  cell: number;
  cellId?: string;
  source: string;
  error: string;
}

export interface Execution {
  /** The executed notebook (outputs filled in as far as it ran). */
  notebook: Notebook;
  /** The last answer recorded for each question, and the cell (1-based) that recorded it. */
  answers: Map<string, { value: RecordedAnswer['value']; cell: number }>;
  failures: CellFailure[];
  /** The notebook ran past its deadline; `stoppedAt` is the cell that was running. */
  timedOut: boolean;
  stoppedAt?: number;
  /** A problem before any cell ran (no settings line, kernel would not start). */
  fatal?: string;
  seconds: number;
}

/** Every answer output in a cell's outputs. */
export function answersIn(outputs: CellOutput[]): RecordedAnswer[] {
  const out: RecordedAnswer[] = [];
  for (const o of outputs) {
    if (o.output_type !== 'display_data' && o.output_type !== 'execute_result') continue;
    const a = o.data[ANSWER_MIME] as RecordedAnswer | undefined;
    if (a && typeof a.question === 'string') out.push(a);
  }
  return out;
}

/**
 * A fresh folder below the package's node_modules, so the notebook resolves 'nqp-resilience' and its dependencies
 * exactly as the notebooks folder does (a folder elsewhere with a link to the package fails tslab's type check: the
 * package's arquero types "cannot be named"). Falls back to the system's temporary folder with such links.
 */
function workFolder(): string {
  const root = join(__dirname, '..', '..');
  try {
    const base = join(root, 'node_modules', '.cache', 'nqp-grade');
    mkdirSync(base, { recursive: true });
    return mkdtempSync(join(base, 'run-'));
  } catch {
    const w = mkdtempSync(join(tmpdir(), 'nqp-grade-'));
    symlinkSync(join(root, 'node_modules'), join(w, 'node_modules'), 'dir');
    return w;
  }
}

/** Remove everything in `dir` but the folder and its link to node_modules (workFolder's fallback makes one). */
function emptyFolder(dir: string): void {
  for (const e of readdirSync(dir)) if (e !== 'node_modules') rmSync(join(dir, e), { recursive: true, force: true });
}

/** Students per folder from which a folder with its own kernel snapshot pays for the 3–4 s of making it. */
export const STUDENTS_PER_SNAPSHOT = 3;

/** kernelSlots' folders; how many have their snapshot (why one could not be made); `done` removes them all. */
export interface KernelSlots {
  folders: string[];
  done: () => void;
  snapshots: number;
  why?: string;
}

/**
 * Folders for `nqp class` and `nqp grade`, one per kernel running at once (`width`), each with a kernel snapshot of
 * its own (src/notebook/snapshot.ts), made at once: the students whose turn comes in a folder run there one after
 * another, the folder emptied before and after each, so their kernels start with tslab's converter built. Undefined
 * (a fresh folder per student, kernels started as usual) when each folder would serve fewer than
 * STUDENTS_PER_SNAPSHOT students, or with NQP_KERNEL_SNAPSHOT=off. `done` removes the folders and their snapshots.
 */
export async function kernelSlots(width: number, students: number): Promise<KernelSlots | undefined> {
  const n = Math.max(1, Math.min(width, students));
  if (students / n < STUDENTS_PER_SNAPSHOT || snapshotsOff()) return undefined;
  const folders = Array.from({ length: n }, workFolder);
  const done = () => {
    for (const f of folders) {
      removeKernelSnapshot(f);
      rmSync(f, { recursive: true, force: true });
    }
  };
  // A folder whose snapshot could not be made still serves: its kernels start as usual.
  const made = await Promise.all(folders.map((f) => buildKernelSnapshot(f)));
  const failed = made.find((m) => !m.ok);
  return {
    folders,
    done,
    snapshots: made.filter((m) => m.ok).length,
    why: failed && !failed.ok ? failed.why : undefined,
  };
}

/** What `nqp class` and `nqp grade` say of their kernels: how many at once, and whether they start from snapshots. */
export function kernelsLine(width: number, students: number, slots: KernelSlots | undefined): string {
  const n = Math.max(1, Math.min(width, students));
  if (slots) {
    const made = slots.snapshots === slots.folders.length ? 'each' : `${slots.snapshots} of ${slots.folders.length}`;
    const not = slots.why ? ` (the others start as usual: ${slots.why})` : '';
    return (
      `kernels: ${n} at once, each in a folder of its own where the students take turns, emptied before and after ` +
      `each; ${made} with a kernel snapshot, tslab's converter built${not}`
    );
  }
  const why = snapshotsOff() ? 'NQP_KERNEL_SNAPSHOT=off' : `fewer than ${STUDENTS_PER_SNAPSHOT} students per kernel`;
  return `kernels: ${n} at once, a fresh folder for each student, started as usual (${why})`;
}

/**
 * Run `source` (a parsed notebook) on `panel` with a time limit for the whole notebook. Never throws for what the
 * notebook does; the result says what happened. `threads`: the kernel's V8 worker threads (node's default if not
 * given; `nqp class` and `nqp grade` give each kernel the cores' share, kernelThreads). `slot`: a folder of
 * kernelSlots to run in (emptied before and after), instead of a fresh one.
 */
export async function executeOnPanel(
  source: Notebook,
  panel: string,
  timeoutMs: number,
  threads?: number,
  slot?: string,
): Promise<Execution> {
  const t0 = Date.now();
  const nb: Notebook = JSON.parse(JSON.stringify(source));
  const result: Execution = { notebook: nb, answers: new Map(), failures: [], timedOut: false, seconds: 0 };
  const work = slot ?? workFolder();
  let kernel: TslabKernel | undefined;
  try {
    if (slot) emptyFolder(slot);
    mkdirSync(join(work, 'data'));
    copyFileSync(panel, join(work, 'data', 'panel.csv'));
    try {
      injectData(nb, 'submission', 'data/panel.csv');
    } catch {
      result.fatal =
        'The settings line `const DATA: string | undefined = ...;` is missing, so the notebook cannot be run on your ' +
        'data. Restore the settings cell.';
      return result;
    }
    for (const c of nb.cells) if (c.cell_type === 'code') c.outputs = [];
    const deadline = t0 + timeoutMs;
    kernel = await TslabKernel.start(work, { ...process.env }, 'tslab', threads);
    for (const [i, c] of nb.cells.entries()) {
      if (c.cell_type !== 'code') continue;
      const src = cellSource(c);
      const left = deadline - Date.now();
      if (left <= 0) {
        result.timedOut = true;
        result.stoppedAt = i + 1;
        break;
      }
      try {
        let res = await kernel.execute(src, left);
        // tslab cancels every request that arrives within 200 ms of a failed cell (its queue reset): wait, retry.
        if (res.status === 'aborted' || (res.status === 'error' && !res.outputs.length)) {
          await new Promise((r) => setTimeout(r, 300));
          res = await kernel.execute(src, Math.max(1, deadline - Date.now()));
        }
        c.outputs = res.outputs;
        c.execution_count = res.executionCount;
        for (const a of answersIn(res.outputs)) result.answers.set(a.question, { value: a.value, cell: i + 1 });
        if (res.status !== 'ok') {
          const id = (c as { id?: string }).id;
          result.failures.push({ cell: i + 1, cellId: id, source: src, error: errorText(res.outputs) });
          await new Promise((r) => setTimeout(r, 300));
        }
      } catch (e) {
        // The kernel's own time limit (this cell ran into the deadline) or a dead kernel.
        if (Date.now() >= deadline - 50) {
          result.timedOut = true;
          result.stoppedAt = i + 1;
        } else {
          result.fatal = e instanceof Error ? e.message : String(e);
          result.stoppedAt = i + 1;
        }
        break;
      }
    }
  } catch (e) {
    result.fatal = e instanceof NqpError || e instanceof Error ? e.message : String(e);
  } finally {
    await kernel?.shutdown();
    if (slot) emptyFolder(slot);
    else rmSync(work, { recursive: true, force: true });
    result.seconds = (Date.now() - t0) / 1000;
  }
  return result;
}
