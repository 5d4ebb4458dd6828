/**
 * The `nqp` command line. A stable contract: tests and outside checks call it.
 *
 *   nqp reproduce [--data FILE] [--out DIR] [--lang en|zh] [--kernel tslab|deno] [--jobs N]
 *   nqp fit --data FILE --formula 'F' [--vcov iid|hc1|cluster:V|cluster:V1+V2] [--json]
 *   nqp fit --study [--data RAW] --formula 'F'   fit on the study panel studyPanel builds
 *   nqp data [--out DIR]                 regenerate the default panel
 *   nqp data --derived --out DIR         write the study panel with its codebook
 *   nqp kernel install [--user | --prefix DIR] [--deno]
 *
 * Bad input exits non-zero with one readable line on stderr, never a stack trace.
 */
import { join, relative, resolve } from 'node:path';
import { closest, NqpError } from '../errors';
import { flagHelp, jobsFlag, parseFlags, str, type FlagSpec } from './args';

export const USAGE = `usage:
  nqp reproduce [--data FILE] [--out DIR] [--only NAME[,NAME]] [--lang en|zh] [--kernel tslab|deno] [--jobs N]
                                 run the five notebooks through the tslab (or Deno) kernel; write DIR/*.ipynb, *.html
  nqp fit --data FILE --formula 'y ~ x | fe1 + fe2' [--vcov iid|hc1|cluster:V|cluster:V1+V2] [--json] [...]
  nqp fit --study [--data RAW] --formula 'resilience ~ nqp + lnpgdp | city_code + year' [...]
                                 fit one model; --study fits on the study panel (indices, controls, groups)
  nqp data [--out DIR] [--seed N] [--null-effect] [--cities N] [--years A-B]
                                 regenerate the panel (or write a simulated extract with its truth)
  nqp data --derived [--data RAW] --out DIR
                                 the study panel with every derived column, as CSV with its codebook (Stata, R)
  nqp class --section NAME --students roster.csv --out DIR [--seed S] [--lang en|zh] [--jobs N]
                                 a class: per-student exercise notebook + own simulated panel; instructor keys
  nqp grade --class DIR --submissions SUBDIR [--out REPORT] [--timeout S] [--jobs N]
                                 run submissions through the kernel; REPORT/gradebook.csv + feedback pages
  nqp kernel install [--user | --prefix DIR] [--deno]
  nqp --help | --version`;

const REPRODUCE_FLAGS: FlagSpec = {
  data: {
    type: 'string',
    help: 'FILE: a panel (.csv, .dta, .xlsx, .parquet) the notebooks read instead of the default panel',
  },
  out: { type: 'string', help: 'DIR: folder for the executed notebooks and HTML pages (default out)' },
  only: { type: 'string', help: 'NAMES: comma-separated notebook names (index, baseline, ...) or .ipynb paths' },
  lang: { type: 'string', help: "en|zh: language of the pages (default: each notebook's own LANG setting)" },
  kernel: { type: 'string', help: "tslab|deno: the kernel (default tslab; deno: Deno's own, `deno jupyter`)" },
  jobs: { type: 'string', help: 'N: notebooks run at once, each in its own kernel (default: the number of cores)' },
  help: { type: 'boolean', help: 'this help' },
};
const DATA_FLAGS: FlagSpec = {
  out: { type: 'string', help: 'DIR: where to write panel.csv, latent.csv, truth.json (default data/)' },
  seed: { type: 'string', help: 'N: seed of the structural model (default the one in truth.json)' },
  'null-effect': { type: 'boolean', help: 'switch every path from NQP to resilience off (true effect zero)' },
  cities: { type: 'string', help: 'N: keep N cities drawn with the seed (10–230; default all)' },
  years: { type: 'string', help: 'FROM-TO: keep these years, e.g. 2011-2019 (default 2010-2021)' },
  derived: {
    type: 'boolean',
    help: 'write the study panel (every column studyPanel builds) as DIR/panel_derived.csv + codebook_derived.csv',
  },
  data: { type: 'string', help: 'FILE: with --derived, the raw panel to build it from (default data/panel.csv)' },
  help: { type: 'boolean', help: 'this help' },
};
const KERNEL_FLAGS: FlagSpec = {
  user: { type: 'boolean', help: "install into the user's Jupyter data folder" },
  prefix: { type: 'string', help: 'DIR: install into DIR/kernels' },
  deno: { type: 'boolean', help: "Deno's kernel (nqp-deno, from the optional deno dependency) instead of tslab" },
  help: { type: 'boolean', help: 'this help' },
};

function helpText(command: string, spec: FlagSpec, summary: string): string {
  return `nqp ${command}: ${summary}\n\nFlags:\n${flagHelp(spec)}`;
}

/** The project root: the folder holding this package's package.json. */
export function packageRoot(): string {
  return resolve(__dirname, '..', '..');
}

async function cmdReproduce(argv: string[]): Promise<number> {
  const p = parseFlags('reproduce', argv, REPRODUCE_FLAGS);
  if (p.values.help) {
    process.stdout.write(`${helpText('reproduce', REPRODUCE_FLAGS, 'execute the notebooks and write HTML pages')}\n`);
    return 0;
  }
  const lang = str(p, 'lang');
  if (lang !== undefined && lang !== 'en' && lang !== 'zh')
    throw new NqpError('BAD_FLAG', '--lang', `--lang takes en or zh, got "${lang}".`);
  // The runner alone (not the notebook layer's display code, which loads arquero and the estimators): ~0.25 s CPU.
  const { checkOutputFolder, reproduce, NOTEBOOKS } = await import('../notebook/run');
  const { kernelName, requireDeno } = await import('../notebook/kernels');
  const kernel = kernelName(str(p, 'kernel'));
  if (kernel === 'deno') requireDeno();
  const jobs = jobsFlag(p, 'notebooks');
  const data = str(p, 'data');
  if (data) {
    const { existsSync, statSync } = await import('node:fs');
    if (existsSync(data) && !statSync(data).isFile())
      throw new NqpError(
        'BAD_FILE',
        data,
        `--data ${data} is not a regular file (a pipe, /dev/stdin or a folder): every notebook reads the file again, ` +
          'and a stream can be read only once. Save it to a file first, e.g. `cat > extract.csv`.',
      );
    // Validate once, before any kernel starts: a bad file fails here with one message, not five times.
    const { loadPanel } = await import('../data');
    const { report } = loadPanel(data);
    process.stderr.write(`data: ${resolve(data)} (${report.rows} rows, ${report.cities} cities)\n`);
  } else process.stderr.write('data: the simulated default panel (data/panel.csv)\n');
  const out = resolve(str(p, 'out') ?? 'out');
  const only = str(p, 'only');
  const names = only ? only.split(',') : [...NOTEBOOKS];
  const dir = join(packageRoot(), 'notebooks');
  const t0 = Date.now();
  // --only takes notebook names (index, baseline, ...) or paths to other .ipynb files.
  const paths = names.map((n) => (n.includes('/') ? resolve(n) : join(dir, n.endsWith('.ipynb') ? n : `${n}.ipynb`)));
  checkOutputFolder(out, paths, data);
  checkOutDir(out);
  if (kernel === 'tslab') {
    const { kernelSnapshot, snapshotCheck, snapshotsOff } = await import('../notebook/snapshot');
    const blob = kernelSnapshot(dir);
    const how = blob
      ? `those in notebooks/ start from ${relative(process.cwd(), blob)} (its TypeScript converter built; ` +
        'NQP_KERNEL_SNAPSHOT=off starts them as usual)'
      : snapshotsOff()
        ? 'started as usual (NQP_KERNEL_SNAPSHOT=off)'
        : `started as usual (no current kernel snapshot for notebooks/: ${snapshotCheck(dir).why}; ` +
          '`npm run build` makes one)';
    process.stderr.write(`kernels: tslab; ${how}\n`);
  }
  const runs = await reproduce(paths, { outDir: out, data, lang, kernel, parallel: jobs });
  const failed = runs.filter((r) => !r.ok);
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  process.stderr.write(
    `reproduce: ${runs.length - failed.length}/${runs.length} notebooks ok in ${secs} s; pages in ${out}\n`,
  );
  for (const f of failed) {
    const where = f.failure ? `cell ${f.failure.cell} (\`${f.failure.firstLine}\`): ${f.failure.error}` : 'failed';
    process.stderr.write(`nqp: notebook ${f.notebook}.ipynb, ${where}\n`);
  }
  return failed.length ? 1 : 0;
}

async function cmdKernel(argv: string[]): Promise<number> {
  const p = parseFlags('kernel', argv, KERNEL_FLAGS);
  if (p.values.help) {
    process.stdout.write(
      `${helpText('kernel install', KERNEL_FLAGS, 'write the nqp-tslab (or nqp-deno) kernelspec')}\n`,
    );
    return 0;
  }
  if (p.positionals[0] !== 'install') {
    throw new NqpError('BAD_FLAG', 'kernel', 'Use `nqp kernel install [--user | --prefix DIR] [--deno]`.');
  }
  const { writeKernelspec, userJupyterDir, kernelspecMeta } = await import('../notebook');
  const kind = p.values.deno ? 'deno' : 'tslab';
  const prefix = str(p, 'prefix');
  const root = prefix ? resolve(prefix) : p.values.user ? userJupyterDir() : join(packageRoot(), '.kernels');
  const dir = writeKernelspec(root, kind);
  process.stdout.write(`kernelspec ${kernelspecMeta(kind).name} written to ${dir}\n`);
  if (!prefix && !p.values.user) process.stdout.write(`project-local: run Jupyter with JUPYTER_PATH=${root}\n`);
  return 0;
}

/** Entry point: returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  try {
    const [command, ...rest] = argv;
    switch (command) {
      case 'reproduce':
        return await cmdReproduce(rest);
      case 'kernel':
        return await cmdKernel(rest);
      case 'fit':
        return await (await import('./fit')).cmdFit(rest);
      case 'class':
        return await (await import('./class')).cmdClass(rest);
      case 'grade':
        return await (await import('./grade')).cmdGrade(rest);
      case 'data': {
        const p = parseFlags('data', rest, DATA_FLAGS);
        if (p.values.help) {
          process.stdout.write(`${helpText('data', DATA_FLAGS, 'regenerate the default panel')}\n`);
          return 0;
        }
        return await (await import('./data')).cmdData(str(p, 'out'), {
          seed: str(p, 'seed'),
          nullEffect: p.values['null-effect'] === true,
          cities: str(p, 'cities'),
          years: str(p, 'years'),
          derived: p.values.derived === true,
          data: str(p, 'data'),
        });
      }
      case '--version':
      case 'version':
        process.stdout.write(`${require('../../package.json').version}\n`);
        return 0;
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(`${USAGE}\n`);
        return 0;
      case undefined:
        process.stderr.write(`${USAGE}\n`);
        return 2;
      default: {
        const near = closest(command, ['reproduce', 'fit', 'data', 'kernel', 'class', 'grade']);
        throw new NqpError(
          'BAD_FLAG',
          command,
          `Unknown command "${command}"${near ? `; did you mean "${near}"?` : '.'} Run nqp --help.`,
        );
      }
    }
  } catch (e) {
    const msg = e instanceof NqpError ? e.message : e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    process.stderr.write(`nqp: ${msg.replace(/\s*\n\s*/g, ' ')}\n`);
    return e instanceof NqpError ? 2 : 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((c) => {
    process.exitCode = c;
  });
}

/** The output folder must be creatable and writable before any kernel starts. */
function checkOutDir(out: string): void {
  const { accessSync, constants, existsSync, mkdirSync } = require('node:fs') as typeof import('node:fs');
  const { dirname } = require('node:path') as typeof import('node:path');
  try {
    // One level at a time (a recursive mkdir can loop forever under /proc): the missing folders, outermost first.
    const missing: string[] = [];
    for (let d = out; !existsSync(d) && dirname(d) !== d; d = dirname(d)) missing.unshift(d);
    for (const d of missing) mkdirSync(d);
    accessSync(out, constants.W_OK);
  } catch (e) {
    throw new NqpError(
      'BAD_FLAG',
      '--out',
      `--out ${out}: cannot write there (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}). Give a ` +
        'folder you can write to.',
    );
  }
}
