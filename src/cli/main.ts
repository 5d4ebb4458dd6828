/**
 * The `nqp` command line. A stable contract: tests and outside checks call it.
 *
 *   nqp reproduce [--data FILE] [--out DIR]
 *   nqp fit --data FILE --formula 'F' [--vcov iid|hc1|cluster:V|cluster:V1+V2] [--json]
 *   nqp data [--out DIR]                 regenerate the default panel
 *   nqp kernel install [--user | --prefix DIR]
 *
 * Bad input exits non-zero with one readable line on stderr, never a stack trace.
 */
import { join, resolve } from 'node:path';
import { NqpError } from '../errors';

export const USAGE = `usage:
  nqp reproduce [--data FILE] [--out DIR] [--only NAME[,NAME]]
  nqp fit --data FILE --formula 'y ~ x | fe1 + fe2' [--vcov iid|hc1|cluster:V|cluster:V1+V2] [--json]
  nqp data [--out DIR]
  nqp kernel install [--user | --prefix DIR]`;

export function parseArgs(argv: string[]): { positional: string[]; flags: Map<string, string | true> } {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      if (eq > 0) flags.set(a.slice(2, eq), a.slice(eq + 1));
      else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) flags.set(a.slice(2), argv[++i]);
      else flags.set(a.slice(2), true);
    } else positional.push(a);
  }
  return { positional, flags };
}

function flag(flags: Map<string, string | true>, name: string): string | undefined {
  const v = flags.get(name);
  if (v === true) throw new NqpError('BAD_OPTION', `--${name}`, `--${name} needs a value, e.g. --${name} VALUE.`);
  return v;
}

/** The project root: the folder holding this package's package.json. */
export function packageRoot(): string {
  return resolve(__dirname, '..', '..');
}

async function cmdReproduce(flags: Map<string, string | true>): Promise<number> {
  const { reproduce, NOTEBOOKS } = await import('../notebook');
  const out = resolve(flag(flags, 'out') ?? 'out');
  const only = flag(flags, 'only');
  const names = only ? only.split(',') : [...NOTEBOOKS];
  const dir = join(packageRoot(), 'notebooks');
  const t0 = Date.now();
  // --only takes notebook names (index, baseline, ...) or paths to other .ipynb files.
  const paths = names.map((n) => (n.includes('/') ? resolve(n) : join(dir, n.endsWith('.ipynb') ? n : `${n}.ipynb`)));
  const runs = await reproduce(paths, { outDir: out, data: flag(flags, 'data') });
  const failed = runs.filter((r) => !r.ok);
  process.stderr.write(`reproduce: ${runs.length - failed.length}/${runs.length} notebooks ok in ${((Date.now() - t0) / 1000).toFixed(1)} s; pages in ${out}\n`);
  for (const f of failed) {
    process.stderr.write(`nqp: notebook ${f.notebook}.ipynb, cell ${f.failure!.cell} (\`${f.failure!.firstLine}\`): ${f.failure!.error}\n`);
  }
  return failed.length ? 1 : 0;
}

async function cmdKernel(positional: string[], flags: Map<string, string | true>): Promise<number> {
  const { writeKernelspec, userJupyterDir } = await import('../notebook');
  if (positional[1] !== 'install') throw new NqpError('BAD_OPTION', 'kernel', 'Use `nqp kernel install [--user | --prefix DIR]`.');
  const prefix = flag(flags, 'prefix');
  const root = prefix ? resolve(prefix) : flags.has('user') ? userJupyterDir() : join(packageRoot(), '.kernels');
  const dir = writeKernelspec(root);
  process.stdout.write(`kernelspec nqp-tslab written to ${dir}\n`);
  if (!prefix && !flags.has('user')) process.stdout.write(`project-local: run Jupyter with JUPYTER_PATH=${root}\n`);
  return 0;
}

/** Entry point: returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  try {
    const { positional, flags } = parseArgs(argv);
    switch (positional[0]) {
      case 'reproduce':
        return await cmdReproduce(flags);
      case 'kernel':
        return await cmdKernel(positional, flags);
      case 'fit':
        return await (await import('./fit')).cmdFit(flags);
      case 'data':
        return await (await import('./data')).cmdData(flags);
      case undefined:
      case 'help':
      case '--help':
        process.stdout.write(USAGE + '\n');
        return positional[0] ? 0 : 2;
      default:
        throw new NqpError('BAD_OPTION', positional[0], `Unknown command "${positional[0]}". ${USAGE.replace(/\n/g, ' ')}`);
    }
  } catch (e) {
    const msg = e instanceof NqpError ? e.message : e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    process.stderr.write(`nqp: ${msg.replace(/\s*\n\s*/g, ' ')}\n`);
    return e instanceof NqpError ? 2 : 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((c) => { process.exitCode = c; });
}
