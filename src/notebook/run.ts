/**
 * Execute notebooks through the real tslab kernel (or Deno's: `kernel: 'deno'`), one fresh kernel per notebook, and
 * write the executed copy (nbformat 4, with outputs) and a self-contained HTML page for each.
 */
import {
  existsSync,
  mkdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { NqpError } from '../errors';
import { TslabKernel, type CellOutput } from './kernel';
import { DENO_REVOKE, kernelThreads, type KernelName } from './kernels';
import { kernelspecMeta } from './kernelspec';
import { cellSource, notebookToHtml, type Notebook } from './html';
import { injectLang, lang } from './lang';
import { setSettingLine } from './settings-line';

/** The five notebooks, in the order a reader takes them. */
export const NOTEBOOKS = ['index', 'baseline', 'robustness', 'mechanisms', 'heterogeneity'] as const;

export interface RunOptions {
  /** Folder for executed notebooks and HTML. Default `out`. */
  outDir?: string;
  /** A panel file the notebooks read instead of the default panel: written into each notebook's settings cell. */
  data?: string;
  /** Progress lines go here. Default: process.stderr. */
  log?: (line: string) => void;
  /** Per-cell time limit in ms. Default 600000. */
  cellTimeoutMs?: number;
  /** Notebooks run at once by `reproduce`. Default: the number of cores. */
  parallel?: number;
  /** Language of the pages: written into each notebook's LANG setting; 'zh' also selects the Chinese texts. */
  lang?: 'en' | 'zh';
  /** The kernel: 'tslab' (default) or 'deno' (Deno's own, `deno jupyter`). */
  kernel?: KernelName;
  /** V8 worker threads per tslab kernel. Default: the cores shared among the notebooks run at once (kernelThreads). */
  kernelThreads?: number;
}

export interface NotebookRun {
  notebook: string;
  ok: boolean;
  seconds: number;
  cells: number;
  failure?: { cell: number; firstLine: string; error: string };
  ipynb: string;
  html: string;
}

/** The error a failed cell reported: an `error` output, or (tslab's way) the error line of its stderr stream. */
export function errorText(outputs: CellOutput[]): string {
  for (const o of outputs) {
    if (o.output_type === 'error') return `${o.ename}: ${o.evalue}`.trim();
  }
  const stderr = outputs
    .filter((o) => o.output_type === 'stream' && o.name === 'stderr')
    .map((o) => (o as { text: string }).text)
    .join('');
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const err =
    lines.find((l) => /^([A-Z]\w*)?Error\b.*:/.test(l)) ?? lines.find((l) => !/^(evalmachine|\^|at )/.test(l));
  return err ?? 'the kernel reported an error';
}

/** Add outputs to a cell's, joining a stream to the cell's last output when that is the same stream. */
function appendOutputs(into: CellOutput[], more: CellOutput[]): void {
  for (const o of more) {
    const last = into[into.length - 1];
    if (o.output_type === 'stream' && last?.output_type === 'stream' && last.name === o.name) last.text += o.text;
    else into.push(o);
  }
}

/** The settings line every notebook carries; `nqp reproduce --data FILE` rewrites its value. */
export const DATA_SETTING = /^const DATA: string \| undefined = .*;$/m;

/** Set the notebook's DATA setting to `file` (relative to the notebook's folder), as a reader would edit it. */
export function injectData(nb: Notebook, name: string, file: string): void {
  setSettingLine(nb, name, DATA_SETTING, `const DATA: string | undefined = ${JSON.stringify(file)};`, '--data');
}

/**
 * Refuse, before any kernel starts, a notebook that does not exist or whose folder cannot import the package (the
 * cells import it by name, which TypeScript and node resolve from the notebook's folder upwards).
 */
export function checkNotebook(path: string): void {
  if (!existsSync(path))
    throw new NqpError(
      'FILE_NOT_FOUND',
      path,
      `Notebook ${path} does not exist. Run from the project folder or give the path.`,
    );
  try {
    require.resolve('nqp-resilience', { paths: [dirname(resolve(path))] });
  } catch {
    throw new NqpError(
      'FILE_NOT_FOUND',
      path,
      `Notebook ${path} cannot import 'nqp-resilience': no node_modules above its folder has the package. Keep it ` +
        'inside this project, or run `npm install /path/to/nqp-resilience` in its folder.',
    );
  }
}

/**
 * Start a fresh kernel for the notebook at `path`, in its folder (so relative paths resolve); `width` notebooks run
 * at once, so each tslab kernel gets the cores' share of V8 worker threads.
 */
function startKernel(path: string, options: RunOptions, width: number): Promise<TslabKernel> {
  const threads = options.kernelThreads ?? kernelThreads(width);
  return TslabKernel.start(dirname(resolve(path)), { ...process.env }, options.kernel, threads);
}

/** Shut down a kernel that is starting or started; a kernel that failed to start needs nothing. */
async function stopKernel(kernel: Promise<TslabKernel> | undefined): Promise<void> {
  await kernel?.then(
    (k) => k.shutdown(),
    () => undefined,
  );
}

/** A notebook whose cells have run: what its pages are written from. */
interface Executed {
  nb: Notebook;
  name: string;
  outDir: string;
  started: number;
  cells: number;
  failure?: NotebookRun['failure'];
  kind?: KernelName;
  /** The kernel's shutdown, under way. */
  stopping: Promise<void>;
}

/**
 * Execute one notebook file; never throws for a failing cell (the failure is in the result), only for a broken kernel.
 * `starting`: a kernel already starting for this notebook (`reproduce` starts one ahead); else one starts here.
 */
export async function runNotebook(
  path: string,
  options: RunOptions = {},
  starting?: Promise<TslabKernel>,
): Promise<NotebookRun> {
  return writePages(await executeCells(path, options, starting));
}

/** Run the notebook's code cells in turn, up to the first that fails; the kernel is shutting down on return. */
async function executeCells(path: string, options: RunOptions, starting?: Promise<TslabKernel>): Promise<Executed> {
  const log = options.log ?? ((l: string) => process.stderr.write(l + '\n'));
  const outDir = resolve(options.outDir ?? 'out');
  const name = basename(path, '.ipynb');
  let nb: Notebook;
  try {
    mkdirSync(outDir, { recursive: true });
    checkNotebook(path);
    nb = JSON.parse(readFileSync(path, 'utf8'));
    if (options.data) injectData(nb, name, relative(dirname(resolve(path)), resolve(options.data)));
    // --lang wins; a notebook whose own LANG setting says 'zh' gets its Chinese texts too.
    if (options.lang) injectLang(nb, name, options.lang);
    else if (lang(nb) === 'zh') injectLang(nb, name, 'zh');
  } catch (e) {
    await stopKernel(starting);
    throw e;
  }
  const started = Date.now();
  const code = nb.cells.map((c, i) => ({ c, i })).filter(({ c }) => c.cell_type === 'code');
  const kernel = await (starting ?? startKernel(path, options, 1));
  let failure: NotebookRun['failure'];
  try {
    // Deno's kernel takes no permission flags and starts with all: drop those the notebooks do not need first.
    const setup = options.kernel === 'deno' ? await kernel.execute(DENO_REVOKE, 60_000, false) : undefined;
    if (setup && setup.status !== 'ok')
      throw new NqpError('KERNEL', 'deno', `Deno's kernel did not drop permissions: ${errorText(setup.outputs)}`);
    let k = 0;
    for (const { c, i } of code) {
      k++;
      const t0 = Date.now();
      const src = cellSource(c);
      const res = await kernel.execute(src, options.cellTimeoutMs ?? 600_000);
      // Deno's kernel flushes stdout on a short timer, so a cell's last lines can come after its idle status: an
      // empty request (not counted) gives them time, and any output it receives belongs to the cell before.
      if (options.kernel === 'deno') appendOutputs(res.outputs, (await kernel.execute('', 60_000, false)).outputs);
      c.outputs = res.outputs;
      c.execution_count = res.executionCount;
      const secs = (Date.now() - t0) / 1000;
      log(`  ${name}  cell ${k}/${code.length}  ${secs.toFixed(2)} s${res.status === 'ok' ? '' : '  FAILED'}`);
      if (res.status !== 'ok') {
        failure = { cell: i + 1, firstLine: src.split('\n')[0].slice(0, 120), error: errorText(res.outputs) };
        break;
      }
    }
  } catch (e) {
    await kernel.shutdown();
    throw e;
  }
  const stopping = kernel.shutdown();
  return { nb, name, outDir, started, cells: code.length, failure, kind: options.kernel, stopping };
}

/** Write the executed notebook and its HTML page, once its kernel has stopped. */
async function writePages(e: Executed): Promise<NotebookRun> {
  const { nb, name, outDir } = e;
  nb.metadata = {
    ...nb.metadata,
    kernelspec: kernelspecMeta(e.kind),
    language_info: { name: 'typescript', file_extension: '.ts' },
  };
  const ipynb = join(outDir, `${name}.ipynb`);
  const html = join(outDir, `${name}.html`);
  writeWhole(ipynb, JSON.stringify(nb, null, 1) + '\n');
  writeWhole(html, notebookToHtml(nb, name, lang(nb)));
  await e.stopping;
  return {
    notebook: name,
    ok: !e.failure,
    seconds: (Date.now() - e.started) / 1000,
    cells: e.cells,
    failure: e.failure,
    ipynb,
    html,
  };
}

/**
 * Write a file whole or not at all: the text goes to a temporary name in the same folder, then is renamed over the
 * target, so a crash or a full disk never leaves half a page where a reader would open it.
 */
export function writeWhole(file: string, text: string): void {
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/** The real path of `p`, or of its nearest existing ancestor joined with the rest (for folders not made yet). */
function realish(p: string): string {
  const abs = resolve(p);
  if (existsSync(abs)) return realpathSync(abs);
  const parent = dirname(abs);
  return parent === abs ? abs : join(realish(parent), basename(abs));
}

/** The project's source notebooks (dist/notebook/run.js → ../../notebooks). */
const PROJECT_NOTEBOOKS = resolve(__dirname, '..', '..', 'notebooks');

/**
 * Refuse an output folder that would harm the user's files, before any kernel starts: the project's notebooks/
 * folder or a folder inside it, the folder of any other source notebook (its executed copy would overwrite it), the
 * data file itself, or any existing path that is not a folder.
 */
export function checkOutputFolder(outDir: string, sources: string[], data?: string): void {
  const out = realish(outDir);
  const refuse = (what: string) => {
    throw new NqpError('UNSAFE_OUTPUT', '--out', `--out ${outDir} ${what}; nothing was written. ${FIX}`);
  };
  const FIX = 'Give a folder for the executed notebooks and pages, e.g. --out out.';
  if (existsSync(out) && !statSync(out).isDirectory())
    refuse(data && realish(data) === out ? 'is the data file' : 'is an existing file, not a folder');
  const project = realish(PROJECT_NOTEBOOKS);
  if (out === project) refuse("is the project's notebooks/ folder: the executed copies would overwrite the sources");
  if (out.startsWith(`${project}/`)) refuse("is inside the project's notebooks/ folder, where only sources belong");
  for (const src of sources) {
    if (realish(dirname(src)) === out)
      refuse(`is the folder of the source notebook ${basename(src)}: its executed copy would overwrite it`);
  }
}

/**
 * Run notebooks, each in a fresh kernel, as many at once as the machine has cores (`options.parallel`, default
 * the core count, at most the number of notebooks). Resolves with one record per notebook, in the order given.
 *
 * Each notebook's kernel is started one turn ahead: while notebooks run their cells, the next one's kernel loads
 * tslab and builds its first TypeScript program (about 2 s of CPU), so a notebook whose turn comes finds its kernel
 * ready. At most `parallel` + 1 kernels are alive at once.
 */
/** How many of `count` notebooks `reproduce` runs at once: `parallel` (default: the cores), from 1 to `count`. */
export function notebooksAtOnce(count: number, parallel?: number): number {
  return Math.max(1, Math.min(parallel ?? require('node:os').cpus().length, count));
}

export async function reproduce(paths: string[], options: RunOptions = {}): Promise<NotebookRun[]> {
  const log = options.log ?? ((l: string) => process.stderr.write(l + '\n'));
  checkOutputFolder(options.outDir ?? 'out', paths, options.data);
  for (const p of paths) checkNotebook(p);
  const width = notebooksAtOnce(paths.length, options.parallel);
  const runs: NotebookRun[] = new Array(paths.length);
  const kernels: Promise<TslabKernel>[] = [];
  let next = 0;
  /** Start the kernels of every notebook up to `last` not started yet. */
  const startUpTo = (last: number) => {
    for (let j = kernels.length; j <= Math.min(last, paths.length - 1); j++) {
      const k = startKernel(paths[j], options, width);
      k.catch(() => undefined); // a kernel that fails to start is reported by the notebook that awaits it
      kernels.push(k);
    }
  };
  const worker = async () => {
    for (let i = next++; i < paths.length; i = next++) {
      startUpTo(i + 1);
      log(`▶ ${basename(paths[i])}`);
      const executed = await executeCells(paths[i], { ...options, log }, kernels[i]);
      // The next notebook's first cell goes out before this one's pages are written (the runner writes them while
      // the kernels work).
      const done = new Promise<void>((go) => setImmediate(go))
        .then(() => writePages(executed))
        .then((r) => {
          runs[i] = r;
          log(
            r.ok
              ? `✓ ${r.notebook}: ${r.cells} cells in ${r.seconds.toFixed(1)} s → ${r.html}`
              : `✗ ${r.notebook}: cell ${r.failure?.cell} (\`${r.failure?.firstLine}\`) failed: ${r.failure?.error}`,
          );
        });
      done.catch(() => undefined); // awaited below, once every notebook has run
      pages.push(done);
    }
  };
  const pages: Promise<void>[] = [];
  try {
    await Promise.all(Array.from({ length: width }, worker));
    await Promise.all(pages);
  } catch (e) {
    // A broken kernel or notebook: take no more notebooks, and stop the kernels started ahead for them.
    const taken = next;
    next = paths.length;
    await Promise.all(kernels.slice(taken).map(stopKernel));
    throw e;
  }
  return runs;
}
