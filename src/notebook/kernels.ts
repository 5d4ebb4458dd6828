/**
 * The two Jupyter kernels the notebooks run in: tslab (the default, from this project's node_modules) and Deno's
 * own kernel (`deno jupyter`, from the optional `deno` dependency or a `deno` on PATH).
 *
 * `deno jupyter` (2.9) takes no permission flags and starts its kernel with every permission. `nqp reproduce
 * --kernel deno` therefore revokes, before the first cell, what the notebooks do not need (DENO_REVOKED: network,
 * writing, subprocesses, remote imports), leaving DENO_PERMISSIONS: reading files (the package, the panel, the
 * codebook), the environment (process.env), system information (node:os) and FFI (the PNG renderer @resvg/resvg-js is
 * a Node-API addon). A kernel Jupyter starts from the `nqp-deno` kernelspec keeps Deno's default (every permission).
 */
import { existsSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { NqpError } from '../errors';

export const KERNELS = ['tslab', 'deno'] as const;
export type KernelName = (typeof KERNELS)[number];

/** The Deno permissions the notebooks run with: read, env, sys and ffi; nothing else. */
export const DENO_PERMISSIONS = ['read', 'env', 'sys', 'ffi'] as const;
/** Revoked at kernel start by `nqp reproduce --kernel deno`. */
export const DENO_REVOKED = ['net', 'write', 'run', 'import'] as const;
/** The statement that revokes them, run in the kernel before the notebook's first cell (not kept in the notebook). */
export const DENO_REVOKE = `for (const name of ${JSON.stringify(DENO_REVOKED)}) Deno.permissions.revokeSync({ name });`;

/** Where the tslab launcher lives: the project's own node_modules. */
export const tslabBin = (): string => require.resolve('tslab/bin/tslab');

/** The Deno binary: the optional `deno` dependency's platform package, else `deno` on PATH; undefined if neither. */
export function denoBin(): string | undefined {
  const exe = process.platform === 'win32' ? 'deno.exe' : 'deno';
  const libc = process.platform === 'linux' ? '-glibc' : '';
  const pkg = `@deno/${process.platform}-${process.arch}${libc}/package.json`;
  for (const paths of [undefined, denoPackageDir()]) {
    try {
      const bin = join(dirname(require.resolve(pkg, paths ? { paths: [paths] } : undefined)), exe);
      if (existsSync(bin)) return bin;
    } catch {
      /* not installed there */
    }
  }
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, exe))) return join(dir, exe);
  }
  return undefined;
}

function denoPackageDir(): string | undefined {
  try {
    return dirname(require.resolve('deno/package.json'));
  } catch {
    return undefined;
  }
}

/** The kernel's name checked: 'tslab' or 'deno', else a clear error listing both. */
export function kernelName(name: string | undefined): KernelName {
  if (name === undefined) return 'tslab';
  if ((KERNELS as readonly string[]).includes(name)) return name as KernelName;
  throw new NqpError('BAD_FLAG', '--kernel', `Unknown kernel "${name}": use ${KERNELS.join(' or ')}.`);
}

/** The Deno binary, or an error saying how to get one. */
export function requireDeno(): string {
  const bin = denoBin();
  if (bin) return bin;
  throw new NqpError(
    'KERNEL',
    'deno',
    "Deno is not installed: the optional dependency 'deno' is absent and no deno is on PATH. Run " +
      '`npm install --include=optional` (or install Deno), or use the tslab kernel.',
  );
}

/**
 * V8's worker threads for each tslab kernel when `parallel` kernels run at once: the cores shared among them, at
 * least one. Node gives every process 4 (for the optimising compiler, concurrent marking and parallel scavenges of
 * the garbage collector), whatever the cores. On the 2-core machine tslab's converter alone took about 10% less
 * CPU with 1 than with 4 and `nqp reproduce` about 7% less CPU and wall time (docs/tslab-floor.md).
 */
export function kernelThreads(parallel: number, cores = require('node:os').cpus().length as number): number {
  return Math.max(1, Math.floor(cores / Math.max(1, parallel)));
}

/**
 * The command that starts kernel `name` on a Jupyter connection file; with `threads`, a tslab kernel gets that
 * many V8 worker threads (`--v8-pool-size`). Deno's kernel has no such option: `threads` does not apply to it. With
 * `snapshot` (a file src/notebook/snapshot.ts made, for the kernel's folder), a tslab kernel starts from it: its
 * TypeScript converter already built.
 */
export function kernelCommand(
  name: KernelName,
  connFile: string,
  threads?: number,
  snapshot?: string,
): { cmd: string; args: string[] } {
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1))
    throw new NqpError(
      'BAD_OPTION',
      'kernelThreads',
      `A kernel's V8 worker threads are a whole number from 1, got ${threads}.`,
    );
  if (name === 'deno') return { cmd: requireDeno(), args: ['jupyter', '--kernel', '--conn', connFile] };
  const pool = threads === undefined ? [] : [`--v8-pool-size=${threads}`];
  const blob = snapshot === undefined ? [] : ['--snapshot-blob', snapshot];
  return { cmd: process.execPath, args: [...pool, ...blob, tslabBin(), 'kernel', '--config-path', connFile] };
}
