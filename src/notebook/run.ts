/**
 * Execute notebooks through the real tslab kernel, one fresh kernel per notebook, and write the executed copy
 * (nbformat 4, with outputs) and a self-contained HTML page for each.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { NqpError } from '../errors';
import { TslabKernel, type CellOutput } from './kernel';
import { cellSource, notebookToHtml, type Notebook } from './html';

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

/** The settings line every notebook carries; `nqp reproduce --data FILE` rewrites its value. */
export const DATA_SETTING = /^const DATA: string \| undefined = .*;$/m;

/** Set the notebook's DATA setting to `file` (relative to the notebook's folder), as a reader would edit it. */
export function injectData(nb: Notebook, name: string, file: string): void {
  const cell = nb.cells.find((c) => c.cell_type === 'code' && DATA_SETTING.test(cellSource(c)));
  if (!cell) {
    throw new NqpError(
      'NOTEBOOK_FAILED',
      name,
      `Notebook ${name} has no settings line "const DATA: string | undefined = ...;", so --data cannot be applied. ` +
        'Restore the settings cell, or set DATA in the notebook yourself.',
    );
  }
  const src = cellSource(cell).replace(DATA_SETTING, `const DATA: string | undefined = ${JSON.stringify(file)};`);
  cell.source = src.split(/(?<=\n)/);
}

/**
 * Execute one notebook file; never throws for a failing cell (the failure is in the result), only for a broken kernel.
 */
export async function runNotebook(path: string, options: RunOptions = {}): Promise<NotebookRun> {
  const log = options.log ?? ((l: string) => process.stderr.write(l + '\n'));
  const outDir = resolve(options.outDir ?? 'out');
  mkdirSync(outDir, { recursive: true });
  const name = basename(path, '.ipynb');
  if (!existsSync(path))
    throw new NqpError(
      'FILE_NOT_FOUND',
      path,
      `Notebook ${path} does not exist. Run from the project folder or give the path.`,
    );
  // The cells import the package by name, which TypeScript and node resolve from the notebook's folder upwards.
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
  const nb: Notebook = JSON.parse(readFileSync(path, 'utf8'));
  if (options.data) injectData(nb, name, relative(dirname(resolve(path)), resolve(options.data)));
  const env: NodeJS.ProcessEnv = { ...process.env };
  const started = Date.now();
  const code = nb.cells.map((c, i) => ({ c, i })).filter(({ c }) => c.cell_type === 'code');
  const kernel = await TslabKernel.start(dirname(resolve(path)), env);
  let failure: NotebookRun['failure'];
  try {
    let k = 0;
    for (const { c, i } of code) {
      k++;
      const t0 = Date.now();
      const src = cellSource(c);
      const res = await kernel.execute(src, options.cellTimeoutMs ?? 600_000);
      c.outputs = res.outputs;
      c.execution_count = res.executionCount;
      const secs = (Date.now() - t0) / 1000;
      log(`  ${name}  cell ${k}/${code.length}  ${secs.toFixed(2)} s${res.status === 'ok' ? '' : '  FAILED'}`);
      if (res.status !== 'ok') {
        failure = { cell: i + 1, firstLine: src.split('\n')[0].slice(0, 120), error: errorText(res.outputs) };
        break;
      }
    }
  } finally {
    await kernel.shutdown();
  }
  nb.metadata = {
    ...nb.metadata,
    kernelspec: { name: 'nqp-tslab', display_name: 'TypeScript (nqp-resilience)', language: 'typescript' },
    language_info: { name: 'typescript', file_extension: '.ts' },
  };
  const ipynb = join(outDir, `${name}.ipynb`);
  const html = join(outDir, `${name}.html`);
  writeFileSync(ipynb, JSON.stringify(nb, null, 1) + '\n');
  writeFileSync(html, notebookToHtml(nb, name));
  return {
    notebook: name,
    ok: !failure,
    seconds: (Date.now() - started) / 1000,
    cells: code.length,
    failure,
    ipynb,
    html,
  };
}

/**
 * Run notebooks, each in a fresh kernel, as many at once as the machine has cores (`options.parallel`, default
 * the core count, at most the number of notebooks). Resolves with one record per notebook, in the order given.
 */
export async function reproduce(paths: string[], options: RunOptions = {}): Promise<NotebookRun[]> {
  const log = options.log ?? ((l: string) => process.stderr.write(l + '\n'));
  const width = Math.max(1, Math.min(options.parallel ?? require('node:os').cpus().length, paths.length));
  const runs: NotebookRun[] = new Array(paths.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < paths.length; i = next++) {
      log(`▶ ${basename(paths[i])}`);
      const r = await runNotebook(paths[i], { ...options, log });
      runs[i] = r;
      log(
        r.ok
          ? `✓ ${r.notebook}: ${r.cells} cells in ${r.seconds.toFixed(1)} s → ${r.html}`
          : `✗ ${r.notebook}: cell ${r.failure?.cell} (\`${r.failure?.firstLine}\`) failed: ${r.failure?.error}`,
      );
    }
  };
  await Promise.all(Array.from({ length: width }, worker));
  return runs;
}
