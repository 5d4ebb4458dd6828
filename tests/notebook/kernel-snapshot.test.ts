import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { reproduce } from '../../src/notebook';
import { kernelCommand, tslabBin } from '../../src/notebook/kernels';
import {
  buildKernelSnapshot,
  kernelSnapshot,
  NOTEBOOKS_DIR,
  removeKernelSnapshot,
  type SnapshotStamp,
  snapshotCheck,
  snapshotCurrent,
  snapshotFile,
  snapshotStamp,
} from '../../src/notebook/snapshot';
import { damageSnapshot, scratch } from '../helpers';

// A tslab kernel started from a snapshot (src/notebook/snapshot.ts) begins with tslab's TypeScript converter built.
// These tests check that `npm run build` made the one for notebooks/ that `nqp reproduce` uses, that a snapshot is
// refused once anything it was made from changes, and that a kernel started from one gives the outputs, type
// errors included, of a kernel started as usual.
const TMP = scratch('kernel-snapshot');

/** Run `fn` with NQP_KERNEL_SNAPSHOT set to `value` (undefined: unset), restoring it after. */
async function withSetting<T>(value: string | undefined, fn: () => T | Promise<T>): Promise<T> {
  const before = process.env.NQP_KERNEL_SNAPSHOT;
  if (value === undefined) delete process.env.NQP_KERNEL_SNAPSHOT;
  else process.env.NQP_KERNEL_SNAPSHOT = value;
  try {
    return await fn();
  } finally {
    if (before === undefined) delete process.env.NQP_KERNEL_SNAPSHOT;
    else process.env.NQP_KERNEL_SNAPSHOT = before;
  }
}

test('the build made a current snapshot for notebooks/, and the kernel command starts from it', async () => {
  await withSetting(undefined, () => {
    const blob = kernelSnapshot(NOTEBOOKS_DIR);
    assert.equal(blob, snapshotFile(NOTEBOOKS_DIR), 'npm run build (run before the tests) makes it');
    assert.equal(kernelSnapshot(TMP), undefined, 'no snapshot was made for another folder');
    const args = kernelCommand('tslab', 'conn.json', 1, blob).args;
    assert.deepEqual(args, [
      '--v8-pool-size=1',
      '--snapshot-blob',
      blob,
      tslabBin(),
      'kernel',
      '--config-path',
      'conn.json',
    ]);
    assert.equal(kernelCommand('tslab', 'conn.json', 1).args.includes('--snapshot-blob'), false);
  });
  for (const off of ['off', '0', 'false', 'NO'])
    await withSetting(off, () => {
      assert.equal(kernelSnapshot(NOTEBOOKS_DIR), undefined, `NQP_KERNEL_SNAPSHOT=${off}`);
      assert.equal(snapshotCurrent(NOTEBOOKS_DIR), snapshotFile(NOTEBOOKS_DIR), 'still current, only not used');
    });
});

const CELLS = [
  'const n: number = 41;',
  "import { loadPanel } from 'nqp-resilience';\nconsole.log(typeof loadPanel);",
  'n + 1',
  // How the kernel's converter came: scripts/tslab-snapshot.js records it on process, when the kernel is its.
  "const snap = (process as any)[Symbol.for('nqp.kernelSnapshot')];\nconsole.log(snap ? snap.first : 'as usual');",
  // Errors keep their stacks (node 20 leaves a snapshot's Error.stackTraceLimit undefined: no stack at all).
  "try { JSON.parse('{'); } catch (e) { console.log((e as Error).stack!.split('\\n').slice(0, 2).join('\\n')); }",
  "function deep(k: number): Error { return k ? deep(k - 1) : new Error('deep'); }\n" +
    "console.log(deep(20).stack!.split('\\n').length - 1, Error.stackTraceLimit);",
  // The main module is tslab's bin, as node sets it for a main script.
  'const main = require.main;\n' +
    "console.log(String(main?.filename).endsWith('tslab/bin/tslab'), main === (process as any).mainModule);",
  'const s: string = n;',
];

function notebook(path: string): void {
  const cells = CELLS.map((src) => ({
    cell_type: 'code',
    metadata: {},
    execution_count: null,
    outputs: [],
    source: [src],
  }));
  const meta = { kernelspec: { name: 'tslab', display_name: 'TypeScript', language: 'typescript' } };
  writeFileSync(path, JSON.stringify({ cells, metadata: meta, nbformat: 4, nbformat_minor: 5 }));
}

test('a kernel from a snapshot gives the outputs and type errors of a kernel started as usual', async () => {
  const folder = join(TMP, 'own');
  mkdirSync(folder, { recursive: true });
  const nb = join(folder, 'cells.ipynb');
  notebook(nb);
  const made = await buildKernelSnapshot(folder);
  assert.ok(made.ok, made.ok ? '' : made.why);
  try {
    const run = (setting: string | undefined, out: string) =>
      withSetting(setting, async () => {
        const [r] = await reproduce([nb], { outDir: join(TMP, out), log: () => {} });
        const outputs = JSON.parse(readFileSync(join(TMP, out, 'cells.ipynb'), 'utf8')).cells.map(
          (c: { outputs: unknown[] }) => c.outputs,
        );
        return { r, outputs };
      });
    const snap = await run(undefined, 'snap');
    const usual = await run('off', 'usual');
    for (const { r } of [snap, usual]) {
      assert.equal(r.ok, false, 'the last cell is a type error');
      assert.equal(r.failure?.cell, 8);
      assert.match(r.failure?.error ?? '', /Type 'number' is not assignable to type 'string'/);
    }
    assert.deepEqual(snap.outputs[1], [{ name: 'stdout', output_type: 'stream', text: 'function\n' }]);
    assert.equal(JSON.stringify(snap.outputs[2]).includes('42'), true);
    assert.deepEqual(snap.outputs[3][0].text, 'from the snapshot\n');
    assert.deepEqual(usual.outputs[3][0].text, 'as usual\n');
    assert.match(snap.outputs[4][0].text, /^SyntaxError: .*JSON.*\n {4}at JSON\.parse/);
    assert.deepEqual(snap.outputs[5][0].text, '10 10\n');
    assert.deepEqual(snap.outputs[6][0].text, 'true true\n');
    const same = (o: unknown[][]) => o.filter((_, i) => i !== 3);
    assert.deepEqual(same(snap.outputs), same(usual.outputs));
  } finally {
    removeKernelSnapshot(folder);
  }
});

test('tslab is the version the snapshot was checked with', () => {
  // scripts/tslab-snapshot.js relies on three things in tslab: dist/converter.js exports createConverter, which
  // dist/main.js reads at each call and calls first with { isJS: false, isBrowser: false }; bin/tslab requires
  // dist/main.js and calls main(). Checked with tslab 1.0.22 (the test above sees the kernel get the snapshot's
  // converter). A new tslab may differ: run these tests, read those files again, then move this pin.
  const { version } = JSON.parse(readFileSync(require.resolve('tslab/package.json'), 'utf8'));
  assert.equal(version, '1.0.22', `tslab ${version} is installed: check scripts/tslab-snapshot.js against it`);
});

test('a snapshot is refused once the node, packages or files it was made from change', () => {
  const folder = NOTEBOOKS_DIR;
  const file = `${snapshotFile(folder)}.json`;
  const original = readFileSync(file, 'utf8');
  const stamp = JSON.parse(original) as SnapshotStamp;
  const edited = (change: Partial<SnapshotStamp>) => {
    writeFileSync(file, JSON.stringify({ ...stamp, ...change }, null, 2) + '\n');
    return snapshotCurrent(folder);
  };
  try {
    assert.equal(edited({}), snapshotFile(folder), 'the stamp as written: current');
    assert.equal(edited({ node: 'v0.0.0' }), undefined, 'made with another node');
    assert.equal(edited({ installed: 'another install' }), undefined, 'another npm install');
    assert.equal(edited({ tslab: '0.0.1' }), undefined, 'another tslab');
    assert.equal(snapshotCheck(folder).why, "tslab's version changed since it was made");
    assert.equal(edited({ nodeState: 'another build' }), undefined, 'another node binary of the same version');
    assert.equal(edited({ blobState: 'another file' }), undefined, 'the snapshot file replaced');
    assert.equal(edited({ nodeOptions: '--max-old-space-size=4096' }), undefined, 'made under other NODE_OPTIONS');
    assert.match(snapshotCheck(folder).why ?? '', /^NODE_OPTIONS changed since it was made$/);
    // A file the converter read, changed after the snapshot was made.
    const read = join(TMP, 'read.d.ts');
    writeFileSync(read, 'declare const a: number;\n');
    const now = snapshotStamp(folder, [...stamp.read, read]);
    assert.ok(now);
    assert.equal(edited({ read: now.read, readState: now.readState }), snapshotFile(folder), 'unchanged: current');
    writeFileSync(read, 'declare const a: string | number;\n');
    assert.equal(edited({ read: now.read, readState: now.readState }), undefined, 'a file it read changed');
  } finally {
    writeFileSync(file, original);
  }
  assert.equal(snapshotCurrent(folder), snapshotFile(folder));
});

test('node refuses a snapshot under V8 options it was not made with (why the stamp holds NODE_OPTIONS)', () => {
  const blob = snapshotCurrent(NOTEBOOKS_DIR);
  assert.ok(blob);
  const r = spawnSync(process.execPath, ['--snapshot-blob', blob, '-p', '1'], {
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '--max-old-space-size=4096' },
    timeout: 30_000,
  });
  assert.equal(r.status, 14, r.stderr);
  assert.match(r.stderr, /different V8 configurations/);
});

test('a kernel that fails to start from its snapshot is started as usual, and stderr says so', async () => {
  const folder = join(TMP, 'broken');
  mkdirSync(folder, { recursive: true });
  const nb = join(folder, 'one.ipynb');
  const cell = { cell_type: 'code', metadata: {}, execution_count: null, outputs: [], source: ['6 * 7'] };
  const meta = { kernelspec: { name: 'tslab', display_name: 'TypeScript', language: 'typescript' } };
  writeFileSync(nb, JSON.stringify({ cells: [cell], metadata: meta, nbformat: 4, nbformat_minor: 5 }));
  const made = await buildKernelSnapshot(folder);
  assert.ok(made.ok, made.ok ? '' : made.why);
  try {
    damageSnapshot(made.file);
    assert.equal(kernelSnapshot(folder), made.file, 'the stamp cannot see the damage');
    const said: string[] = [];
    const write = process.stderr.write;
    process.stderr.write = ((chunk: string) => said.push(String(chunk)) > 0) as typeof process.stderr.write;
    let r: Awaited<ReturnType<typeof reproduce>>;
    try {
      r = await withSetting(undefined, () => reproduce([nb], { outDir: join(TMP, 'broken-out'), log: () => {} }));
    } finally {
      process.stderr.write = write;
    }
    assert.equal(r[0].ok, true);
    const out = JSON.parse(readFileSync(join(TMP, 'broken-out', 'one.ipynb'), 'utf8')).cells[0].outputs;
    assert.deepEqual(out, [{ output_type: 'stream', name: 'stdout', text: '42\n' }]);
    assert.match(said.join(''), /did not start from the snapshot \S+\.blob \(The tslab kernel exited at start/);
    assert.match(said.join(''), /starting it as usual/);
  } finally {
    removeKernelSnapshot(folder);
  }
});
