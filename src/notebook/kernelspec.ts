/**
 * The project's Jupyter kernelspecs: tslab from this project's node_modules, so Jupyter (Lab, Notebook, VS Code,
 * nbclient) runs the notebooks with exactly the tslab and packages that `npm ci` installed; or (`--deno`) Deno's
 * kernel from the optional `deno` dependency. Both start in the notebook's folder and resolve `nqp-resilience` from
 * the node_modules above it (this project's, where scripts/link-self.js links the package by name). tslab's starts
 * through launch.ts, from the folder's kernel snapshot when there is a current one (the project's notebooks/).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { kernelCommand, type KernelName } from './kernels';
import { LAUNCHER } from './launch';

export const KERNEL_NAME = 'nqp-tslab';
export const DENO_KERNEL_NAME = 'nqp-deno';

/** The kernelspec name, display name and language an executed notebook records for kernel `kind`. */
export function kernelspecMeta(kind: KernelName = 'tslab'): { name: string; display_name: string; language: string } {
  return kind === 'deno'
    ? { name: DENO_KERNEL_NAME, display_name: 'Deno (nqp-resilience)', language: 'typescript' }
    : { name: KERNEL_NAME, display_name: 'TypeScript (nqp-resilience)', language: 'typescript' };
}

/**
 * Write `<root>/kernels/nqp-tslab/kernel.json` (or `nqp-deno` for Deno's kernel); put `<root>` on JUPYTER_PATH
 * (project-local) or use the user folder.
 */
export function writeKernelspec(root: string, kind: KernelName = 'tslab'): string {
  const { name, display_name, language } = kernelspecMeta(kind);
  // tslab through the launcher (launch.ts: the folder's kernel snapshot when current), except on Windows, which has
  // no process groups or signals to pass on: there, and for Deno, the kernel itself.
  const { cmd, args } =
    kind === 'tslab' && process.platform !== 'win32'
      ? { cmd: process.execPath, args: [LAUNCHER, '{connection_file}'] }
      : kernelCommand(kind, '{connection_file}');
  const dir = join(resolve(root), 'kernels', name);
  mkdirSync(dir, { recursive: true });
  const spec = { argv: [cmd, ...args], display_name, language };
  writeFileSync(join(dir, 'kernel.json'), JSON.stringify(spec, null, 2) + '\n');
  return dir;
}

/** The per-user Jupyter data folder (Linux / macOS conventions), where `nqp kernel install --user` writes. */
export function userJupyterDir(): string {
  if (process.env.JUPYTER_DATA_DIR) return process.env.JUPYTER_DATA_DIR;
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Jupyter');
  return join(process.env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'jupyter');
}
