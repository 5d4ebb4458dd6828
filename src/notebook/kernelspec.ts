/**
 * The project's Jupyter kernelspec: tslab from this project's node_modules, so Jupyter (Lab, Notebook, VS Code,
 * nbclient) runs the notebooks with exactly the tslab and packages that `npm ci` installed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { tslabBin } from './kernel';

export const KERNEL_NAME = 'nqp-tslab';

/**
 * Write `<root>/kernels/nqp-tslab/kernel.json`; put `<root>` on JUPYTER_PATH (project-local) or use the user folder.
 */
export function writeKernelspec(root: string): string {
  const dir = join(resolve(root), 'kernels', KERNEL_NAME);
  mkdirSync(dir, { recursive: true });
  const spec = {
    argv: [process.execPath, tslabBin(), 'kernel', '--config-path', '{connection_file}'],
    display_name: 'TypeScript (nqp-resilience)',
    language: 'typescript',
  };
  writeFileSync(join(dir, 'kernel.json'), JSON.stringify(spec, null, 2) + '\n');
  return dir;
}

/** The per-user Jupyter data folder (Linux / macOS conventions), where `nqp kernel install --user` writes. */
export function userJupyterDir(): string {
  if (process.env.JUPYTER_DATA_DIR) return process.env.JUPYTER_DATA_DIR;
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Jupyter');
  return join(process.env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'jupyter');
}
