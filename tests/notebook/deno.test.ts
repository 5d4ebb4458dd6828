// The notebooks in Deno's Jupyter kernel (`deno jupyter`): the kernel name is checked, the cells type-check under
// `deno check`, `nqp reproduce --kernel deno` gives the tslab run's numbers and output types, and Jupyter's own
// executor runs every notebook in the nqp-deno kernelspec. Deno is an optional dependency: without it these skip.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { denoBin, kernelName, NOTEBOOKS, writeKernelspec } from '../../src/notebook';
import type { NqpError } from '../../src/errors';
import { nqpCli, scratch } from '../helpers';
import { cellsAsModule } from './cells-module';
import { compareRuns } from './compare-runs';

const ROOT = join(__dirname, '..', '..');
const TMP = scratch('deno');
const DENO = denoBin();
const NO_DENO = DENO
  ? false
  : "Deno not installed (the optional dependency 'deno' is absent and no deno is on PATH): Deno kernel test skipped";

function codeCells(file: string): string[] {
  const nb = JSON.parse(readFileSync(file, 'utf8'));
  return nb.cells
    .filter((c: { cell_type: string }) => c.cell_type === 'code')
    .map((c: { source: string[] }) => c.source.join(''));
}

/** `deno check` on files inside the project (so 'nqp-resilience' resolves from its node_modules). */
function denoCheck(files: string[]) {
  // The package is linked into node_modules (scripts/link-self.js), so Deno reads dist/ as local files and needs
  // --sloppy-imports for the extensionless relative imports in the .d.ts files tsc wrote.
  return spawnSync(DENO as string, ['check', '--quiet', '--sloppy-imports', ...files], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
}

test('an unknown kernel name is refused with the names that exist, before anything runs', () => {
  assert.equal(kernelName(undefined), 'tslab');
  assert.equal(kernelName('deno'), 'deno');
  assert.throws(
    () => kernelName('python3'),
    (e: NqpError) => e.code === 'BAD_FLAG' && /Unknown kernel "python3": use tslab or deno/.test(e.message),
  );
  const r = nqpCli('reproduce', '--kernel', 'bun', '--out', join(TMP, 'never'));
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /Unknown kernel "bun": use tslab or deno/);
  assert.ok(!existsSync(join(TMP, 'never')), 'nothing written');
});

test('a name declared again in a later cell gets its own alias from there on, as the kernel reads it', () => {
  const m = cellsAsModule([
    "import { feols } from 'nqp-resilience';\nconst m = 1;\nconst o = { m };",
    "import { feols, say } from 'nqp-resilience';\nconst m = String(m);\n" +
      'console.log(m.length, o.m, { m }, feols, say);',
    'const n: string = m;',
  ]);
  assert.match(m, /import \{ feols as feols__c2, say \} from 'nqp-resilience';/);
  assert.match(m, /const m__c2 = String\(m\);/, 'the initializer still reads the earlier m');
  assert.match(m, /console\.log\(m__c2\.length, o\.m, \{ m: m__c2 \}, feols__c2, say\);/);
  assert.match(m, /const n: string = m__c2;/);
});

test("deno check finds no type error in the notebooks' cells, and does find one planted in a cell", {
  skip: NO_DENO,
}, () => {
  const files = NOTEBOOKS.map((name) => {
    const file = join(TMP, `${name}.ts`);
    writeFileSync(file, cellsAsModule(codeCells(join(ROOT, 'notebooks', `${name}.ipynb`))));
    return file;
  });
  const ok = denoCheck(files);
  assert.equal(ok.status, 0, `deno check on the notebooks:\n${ok.stdout}${ok.stderr}`);
  // The check is real: a later cell that re-declares a name with another type, then misuses it, fails.
  const cells = codeCells(join(ROOT, 'notebooks', 'baseline.ipynb'));
  const bad = join(TMP, 'planted.ts');
  writeFileSync(bad, cellsAsModule([...cells, 'const study = 3;\nconst rows: string = study;']));
  const r = denoCheck([bad]);
  assert.notEqual(r.status, 0);
  assert.match(`${r.stdout}${r.stderr}`, /TS2322[\s\S]*Type 'number' is not assignable to type 'string'/);
});

test('nqp kernel install --deno writes the nqp-deno kernelspec running this Deno', { skip: NO_DENO }, () => {
  const r = nqpCli('kernel', 'install', '--deno', '--prefix', join(TMP, 'jp'));
  assert.equal(r.status, 0, r.stderr);
  const spec = JSON.parse(readFileSync(join(TMP, 'jp', 'kernels', 'nqp-deno', 'kernel.json'), 'utf8'));
  assert.deepEqual(spec.argv, [DENO, 'jupyter', '--kernel', '--conn', '{connection_file}']);
  assert.equal(spec.display_name, 'Deno (nqp-resilience)');
});

test('reproduce --kernel deno runs with read, env, sys and ffi only; a refused write names the cell', {
  skip: NO_DENO,
}, () => {
  const names = ['read', 'env', 'sys', 'ffi', 'net', 'write', 'run', 'import'];
  const cell = (src: string) => ({
    cell_type: 'code',
    metadata: {},
    execution_count: null,
    outputs: [],
    source: [src],
  });
  const nb = {
    cells: [
      cell(
        `import { feols } from 'nqp-resilience';\nconst names = ${JSON.stringify(names)};\n` +
          'const state = (name: string) => Deno.permissions.querySync({ name } as never).state;\n' +
          'console.log(names.map((name) => name + ":" + state(name)).join(" "));',
      ),
      cell("Deno.writeTextFileSync('written-by-a-notebook.txt', 'x');"),
    ],
    metadata: {},
    nbformat: 4,
    nbformat_minor: 5,
  };
  const p = join(TMP, 'permissions.ipynb');
  writeFileSync(p, JSON.stringify(nb));
  const r = nqpCli('reproduce', '--kernel', 'deno', '--only', p, '--out', join(TMP, 'permissions-out'));
  assert.equal(r.status, 1, r.stderr);
  assert.match(
    r.stderr,
    /notebook permissions\.ipynb, cell 2 \(`Deno\.writeTextFileSync[^`]*`\): NotCapable: Requires write/,
  );
  assert.ok(!existsSync(join(TMP, 'written-by-a-notebook.txt')));
  const out = JSON.parse(readFileSync(join(TMP, 'permissions-out', 'permissions.ipynb'), 'utf8'));
  const line = out.cells[0].outputs.map((o: { text?: string }) => o.text ?? '').join('');
  assert.match(line, /^read:granted env:granted sys:granted ffi:granted net:(?!granted)\w+ write:(?!granted)\w+ /);
  assert.match(line, / run:(?!granted)\w+ import:(?!granted)\w+\n$/);
});

test('reproduce --kernel deno: every notebook runs, with the numbers and output types of the tslab run', {
  skip: NO_DENO,
}, () => {
  const runs: Record<string, string> = {};
  for (const kernel of ['tslab', 'deno']) {
    const out = join(TMP, `out-${kernel}`);
    const t0 = Date.now();
    const r = nqpCli('reproduce', '--kernel', kernel, '--out', out);
    console.log(`reproduce --kernel ${kernel}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    assert.equal(r.status, 0, `${kernel}: ${r.stderr.split('\n').slice(-6).join('\n')}`);
    runs[kernel] = out;
  }
  for (const name of NOTEBOOKS) {
    const read = (k: string) => JSON.parse(readFileSync(join(runs[k], `${name}.ipynb`), 'utf8'));
    const deno = read('deno');
    assert.equal(deno.metadata.kernelspec.name, 'nqp-deno');
    const c = compareRuns(read('tslab'), deno, name);
    assert.deepEqual(c.differences, [], `${name}: the Deno run differs from the tslab run`);
    console.log(
      `${name}: ${c.outputs} outputs equal (${c.charts} charts, ${c.tables} tables, ${c.bars} progress bars); ` +
        `largest relative difference of a raw number ${c.maxRelDiff.toExponential(1)}`,
    );
    if (name === 'mechanisms' || name === 'heterogeneity') assert.ok(c.bars > 0, `${name}: progress bars`);
    if (name !== 'index') assert.ok(c.charts > 0 && c.tables > 0, `${name}: charts and tables`);
  }
});

function nbclientPython(): string | undefined {
  const py = '/usr/bin/python3';
  if (!existsSync(py)) return undefined;
  return spawnSync(py, ['-c', 'import nbclient, nbformat'], { encoding: 'utf8' }).status === 0 ? py : undefined;
}

const NBCLIENT = `
import os, sys, nbformat
from nbclient import NotebookClient
for path in sys.argv[1:]:
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, kernel_name='nqp-deno', timeout=600,
                   resources={'metadata': {'path': os.path.dirname(path)}}).execute()
    outs = [o for c in nb.cells if c.cell_type == 'code' for o in c.outputs]
    bad = [o for o in outs if o.output_type == 'error' or (o.output_type == 'stream' and o.name == 'stderr')]
    shown = sum(1 for o in outs if o.output_type == 'display_data')
    print(os.path.basename(path), len(outs), 'outputs', shown, 'displays', len(bad), 'errors', flush=True)
`;

test("Jupyter's own executor (nbclient) runs each notebook in the nqp-deno kernel without an error", {
  skip: NO_DENO || (nbclientPython() ? false : 'python3-nbclient not installed: nbclient check skipped'),
}, () => {
  const jp = join(TMP, 'jupyter');
  writeKernelspec(jp, 'deno');
  const paths = NOTEBOOKS.map((n) => join(ROOT, 'notebooks', `${n}.ipynb`));
  const r = spawnSync(nbclientPython() as string, ['-c', NBCLIENT, ...paths], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, JUPYTER_PATH: jp },
    timeout: 900_000,
  });
  assert.equal(r.status, 0, r.stderr.slice(-3000));
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines.length, NOTEBOOKS.length, r.stdout);
  for (const l of lines) {
    console.log(`nbclient, Deno kernel: ${l}`);
    assert.match(l, /^\w+\.ipynb \d+ outputs [1-9]\d* displays 0 errors$/);
  }
});

test('the comparison of two executed sets reports a changed number, a lost output and a changed chart', () => {
  const nb = (html: string, outputs: unknown[] = [], x = 0.1234) => ({
    cells: [
      {
        cell_type: 'code',
        outputs: [
          { output_type: 'display_data', data: { 'text/html': html, 'text/plain': 't' }, metadata: {} },
          { output_type: 'stream', name: 'stdout', text: 'elapsed (100%, 2.7 s)\n' },
          {
            output_type: 'display_data',
            data: { 'application/vnd.vegalite.v5+json': { data: { values: [{ x }] } }, 'text/plain': 'c' },
            metadata: {},
          },
          ...outputs,
        ],
      },
    ],
  });
  const a = nb('<td>0.856</td>');
  assert.deepEqual(compareRuns(a, nb('<td>0.856</td>', [], 0.1234 * (1 + 1e-15)), 'same').differences, []);
  assert.match(compareRuns(a, nb('<td>0.857</td>'), 'x').differences.join(), /cell 1 output 1: text\/html differs/);
  assert.match(compareRuns(a, nb('<td>0.856</td>', [], 0.1235), 'x').differences.join(), /values\.0\.x: 0\.1234/);
  const extra = { output_type: 'execute_result', data: { 'text/plain': '3' }, metadata: {} };
  assert.match(compareRuns(a, nb('<td>0.856</td>', [extra]), 'x').differences.join(), /execute_result/);
});
