/**
 * Start-up snapshots of tslab kernels (scripts/tslab-snapshot.js). A tslab kernel's first act is building its
 * TypeScript converter: loading TypeScript, then parsing, binding and type-checking TypeScript's lib and
 * `@types/node`, 1.2–1.5 s of CPU in every kernel. A snapshot is a V8 heap with that work done (and, where the
 * package resolves, its declarations read by one cell importing it), made once for one folder (the converter
 * resolves imports from its kernel's folder); a kernel started in that folder from it skips the work and then runs
 * tslab's own kernel, unchanged, with the converter the snapshot holds.
 *
 * The build makes one for the project's notebooks/ (`nqp reproduce`'s kernels, and Jupyter's there through the
 * kernelspec's launcher, launch.ts); `nqp class` and `nqp grade` make their own (src/teach/execute.ts). A snapshot
 * is used only while what it was made from is unchanged: node, tslab, TypeScript, the install and every file the
 * converter read (its stamp, beside it, records them); otherwise, in any other folder, or with
 * NQP_KERNEL_SNAPSHOT=off, kernels start as tslab's own bin starts them.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
/** The script node runs to make a snapshot (and, in the kernel, to start tslab from it). */
export const SNAPSHOT_SCRIPT = join(ROOT, 'scripts', 'tslab-snapshot.js');
/** The folder the build makes a snapshot for: the project's notebooks. */
export const NOTEBOOKS_DIR = join(ROOT, 'notebooks');
const SNAPSHOT_DIR = join(ROOT, 'dist', 'kernel');

/** What a snapshot was made with; it is used only while all of it is unchanged. */
export interface SnapshotStamp {
  folder: string;
  node: string;
  execPath: string;
  arch: string;
  tslab: string;
  typescript: string;
  script: string;
  /** SHA-1 of node_modules/.package-lock.json, npm's record of what is installed: another install, another stamp. */
  installed: string;
  /** The files the converter read when the snapshot was made, and the SHA-1 of their sizes and modification times. */
  read: string[];
  readState: string;
  /** Sizes and modification times of node's binary and of the snapshot file itself, as SHA-1s. */
  nodeState: string;
  /**
   * NODE_OPTIONS when it was made: node refuses a snapshot under other V8 options (exit code 14, "built ... with
   * different V8 configurations"), `--max-old-space-size=4096` included.
   */
  nodeOptions: string;
  blobState?: string;
}

const sha1 = (data: string | Buffer) => createHash('sha1').update(data).digest('hex');

function tslabDir(): string | undefined {
  try {
    return dirname(require.resolve('tslab/package.json'));
  } catch {
    return undefined;
  }
}

/** The snapshot file for `folder` (one per folder, named by the folder's real path). */
export function snapshotFile(folder: string): string {
  return join(SNAPSHOT_DIR, `tslab-${sha1(realpathSync(folder)).slice(0, 12)}.blob`);
}

/** Sizes and modification times (to the millisecond) of `files` (a missing file counts as such), as one SHA-1. */
function fileState(files: string[]): string {
  const lines = files.map((f) => {
    const st = statSync(f, { throwIfNoEntry: false });
    return st ? `${f} ${st.size} ${Math.round(st.mtimeMs)}` : `${f} missing`;
  });
  return sha1(lines.join('\n'));
}

/**
 * The stamp of a snapshot for `folder` made now, given the files its converter reads (`read`); undefined when tslab
 * or the script is missing.
 */
export function snapshotStamp(folder: string, read: string[]): SnapshotStamp | undefined {
  const tslab = tslabDir();
  if (!tslab || !existsSync(SNAPSHOT_SCRIPT)) return undefined;
  const version = (pkg: string) => JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')).version as string;
  let typescript: string;
  try {
    typescript = version(dirname(require.resolve('@tslab/typescript-for-tslab/package.json', { paths: [tslab] })));
  } catch {
    return undefined;
  }
  const lock = join(ROOT, 'node_modules', '.package-lock.json');
  return {
    folder: realpathSync(folder),
    node: process.version,
    execPath: process.execPath,
    arch: process.arch,
    tslab: version(tslab),
    typescript,
    script: sha1(readFileSync(SNAPSHOT_SCRIPT)),
    installed: existsSync(lock) ? sha1(readFileSync(lock)) : 'no node_modules/.package-lock.json',
    read,
    readState: fileState(read),
    nodeState: fileState([process.execPath]),
    nodeOptions: process.env.NODE_OPTIONS ?? '',
  };
}

/** The snapshot made for `folder`, when there is one and its stamp matches what is installed now. */
export function snapshotCurrent(folder: string): string | undefined {
  return snapshotCheck(folder).file;
}

/** What each field of a stamp stands for, as snapshotCheck says it. */
const STAMP_NAMES: Record<string, string> = {
  node: "node's version",
  execPath: "node's path",
  nodeState: "node's binary",
  tslab: "tslab's version",
  typescript: "tslab's TypeScript",
  script: 'scripts/tslab-snapshot.js',
  installed: 'the installed packages',
  read: 'the files its converter read',
  readState: 'the files its converter read',
  blobState: 'the snapshot file',
  nodeOptions: 'NODE_OPTIONS',
};

/**
 * The snapshot made for `folder` when it is current (`file`), else why not (`why`: none made, or what differs from
 * its stamp, e.g. "NODE_OPTIONS changed since it was made").
 */
export function snapshotCheck(folder: string): { file?: string; why?: string } {
  if (!existsSync(folder)) return { why: `${folder} does not exist` };
  const file = snapshotFile(folder);
  const stampFile = `${file}.json`;
  if (!existsSync(file) || !existsSync(stampFile)) return { why: 'none has been made' };
  try {
    const have = JSON.parse(readFileSync(stampFile, 'utf8')) as SnapshotStamp;
    if (!Array.isArray(have.read)) return { why: 'its stamp lists no files read (another version wrote it)' };
    const now = snapshotStamp(folder, have.read);
    if (!now) return { why: `tslab, its TypeScript or ${SNAPSHOT_SCRIPT} is missing` };
    const want: Record<string, unknown> = { ...now, blobState: fileState([file]) };
    const differ = [...new Set([...Object.keys(want), ...Object.keys(have)])].filter(
      (k) => JSON.stringify((have as unknown as Record<string, unknown>)[k]) !== JSON.stringify(want[k]),
    );
    if (!differ.length) return { file };
    const what = [...new Set(differ.map((k) => STAMP_NAMES[k] ?? k))];
    return { why: `${what.join(', ')} changed since it was made` };
  } catch (e) {
    return { why: `its stamp cannot be read (${(e as Error).message})` };
  }
}

/**
 * The snapshot a tslab kernel in `folder` starts from (snapshotCurrent), or undefined: the kernel starts as usual.
 * NQP_KERNEL_SNAPSHOT=off (or 0, false, no): always undefined.
 */
export function kernelSnapshot(folder: string): string | undefined {
  return snapshotsOff() ? undefined : snapshotCurrent(folder);
}

/** NQP_KERNEL_SNAPSHOT=off (or 0, false, no): no kernel starts from a snapshot, and none is made for a class. */
export function snapshotsOff(): boolean {
  return /^(off|0|false|no)$/i.test(process.env.NQP_KERNEL_SNAPSHOT ?? '');
}

/**
 * Make the snapshot for `folder` (3–4 s of CPU: node builds tslab's converter there, then writes a 50–55 MB heap);
 * several may be made at once. Resolves with its file, or why it could not be made (then kernels in `folder` start
 * as usual).
 */
export async function buildKernelSnapshot(
  folder: string,
): Promise<{ ok: true; file: string } | { ok: false; why: string }> {
  const tslab = tslabDir();
  if (!tslab || !snapshotStamp(folder, [])) return { ok: false, why: `tslab or ${SNAPSHOT_SCRIPT} is not installed` };
  const file = snapshotFile(folder);
  const readList = `${file}.read`;
  mkdirSync(SNAPSHOT_DIR, { recursive: true });
  rmSync(`${file}.json`, { force: true });
  rmSync(file, { force: true });
  const child = spawn(process.execPath, ['--snapshot-blob', file, '--build-snapshot', SNAPSHOT_SCRIPT], {
    env: {
      ...process.env,
      NQP_SNAPSHOT_CWD: realpathSync(folder),
      NQP_SNAPSHOT_TSLAB: tslab,
      NQP_SNAPSHOT_READ: readList,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
    timeout: 120_000,
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const status = await new Promise<string | number | null>((done) => {
    child.on('error', (e) => done(e.message));
    child.on('close', (code, signal) => done(code ?? signal));
  });
  const read = existsSync(readList) ? (JSON.parse(readFileSync(readList, 'utf8')) as string[]) : undefined;
  rmSync(readList, { force: true });
  const stamp = read && snapshotStamp(folder, read);
  if (status !== 0 || !existsSync(file) || !stamp) {
    rmSync(file, { force: true });
    return { ok: false, why: `node --build-snapshot exited with ${status}: ${stderr.trim().split('\n').pop()}` };
  }
  writeFileSync(`${file}.json`, `${JSON.stringify({ ...stamp, blobState: fileState([file]) }, null, 2)}\n`);
  return { ok: true, file };
}

/** Remove the snapshot made for `folder`, if any (nothing to do when the folder is gone: its name is unknown). */
export function removeKernelSnapshot(folder: string): void {
  if (!existsSync(folder)) return;
  const file = snapshotFile(folder);
  rmSync(`${file}.json`, { force: true });
  rmSync(file, { force: true });
}

/**
 * Start a tslab kernel in `cwd` from the folder's snapshot when there is a current one (`start(file)`), else as usual
 * (`start()`). A kernel that fails to start from the snapshot (node refusing it, say) is started again as usual, and
 * stderr says so: the snapshot saves time, it is never the reason a notebook does not run.
 */
export async function startWithSnapshot<T>(cwd: string, start: (snapshot?: string) => Promise<T>): Promise<T> {
  const blob = kernelSnapshot(cwd);
  if (!blob) return start();
  try {
    return await start(blob);
  } catch (e) {
    const why = (e instanceof Error ? e.message : String(e)).split('\n')[0];
    process.stderr.write(
      `nqp: a tslab kernel in ${cwd} did not start from the snapshot ${blob} (${why}); starting it as usual. ` +
        '`npm run build` makes the snapshot again.\n',
    );
    return start();
  }
}
