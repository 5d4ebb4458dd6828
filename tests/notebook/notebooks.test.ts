import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NqpError } from '../../src/errors';
import { DATA_SETTING, injectData, NOTEBOOKS, writeKernelspec } from '../../src/notebook';
import { nqpCli, scratch } from '../helpers';

const ROOT = join(__dirname, '..', '..');
const TMP = scratch('notebook');
const OUT = join(TMP, 'out');
const nqp = nqpCli;

test('committed notebooks carry no outputs or execution counts and import the package by name', () => {
  for (const name of NOTEBOOKS) {
    const nb = JSON.parse(readFileSync(join(ROOT, 'notebooks', `${name}.ipynb`), 'utf8'));
    for (const [i, c] of nb.cells.entries()) {
      if (c.cell_type !== 'code') continue;
      assert.deepEqual(c.outputs, [], `${name}.ipynb cell ${i + 1}: outputs committed`);
      assert.equal(c.execution_count, null, `${name}.ipynb cell ${i + 1}: execution count committed`);
    }
    const src = nb.cells.map((c: { source: string[] }) => c.source.join('')).join('\n');
    assert.doesNotMatch(src, /from ['"]\.\.\/(src|dist)/, `${name} imports the package by path`);
    assert.match(src, /from 'nqp-resilience'/);
    assert.match(src, DATA_SETTING, `${name} has no settings line for DATA`);
  }
});

test("the notebooks' code cells type-check as modules against the built package (a renamed export fails here)", () => {
  const dir = join(TMP, 'typecheck');
  mkdirSync(dir, { recursive: true });
  const files = NOTEBOOKS.map((name) => {
    const nb = JSON.parse(readFileSync(join(ROOT, 'notebooks', `${name}.ipynb`), 'utf8'));
    const code = nb.cells
      .filter((c: { cell_type: string }) => c.cell_type === 'code')
      .map((c: { source: string[] }, i: number) => `// cell ${i + 1}\n${c.source.join('')}`)
      .join('\n\n');
    const file = join(dir, `${name}.ts`);
    writeFileSync(file, `${code}\nexport {};\n`);
    return file;
  });
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const args = ['--noEmit', '--strict', '--target', 'es2022', '--module', 'es2022', '--moduleResolution', 'bundler'];
  const r = spawnSync(process.execPath, [tsc, ...args, '--types', 'node', '--skipLibCheck', ...files], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, `type errors in the notebooks:\n${r.stdout}${r.stderr}`);
});

test('--data reaches a notebook as its settings-cell value, relative to the notebook', () => {
  const nb = JSON.parse(readFileSync(join(ROOT, 'notebooks', 'baseline.ipynb'), 'utf8'));
  injectData(nb, 'baseline', '../my extract.csv');
  const settings = nb.cells.find((c: { source: string[] }) => c.source.join('').includes('const DATA'));
  assert.match(settings.source.join(''), /^const DATA: string \| undefined = "\.\.\/my extract\.csv";$/m);
  assert.throws(
    () => injectData({ cells: [], metadata: {}, nbformat: 4, nbformat_minor: 5 }, 'empty', 'x.csv'),
    (e: NqpError) => e.code === 'NOTEBOOK_FAILED' && e.where === 'empty',
  );
});

test('a failing cell: reproduce exits non-zero naming the notebook, the cell, its first line and the error', () => {
  const nb = {
    cells: [
      { cell_type: 'markdown', metadata: {}, source: ['# broken'] },
      {
        cell_type: 'code',
        metadata: {},
        execution_count: null,
        outputs: [],
        source: ["import { feols } from 'nqp-resilience';"],
      },
      {
        cell_type: 'code',
        metadata: {},
        execution_count: null,
        outputs: [],
        source: ['const x = 1;\n', "throw new Error('deliberate failure in cell three');"],
      },
      { cell_type: 'code', metadata: {}, execution_count: null, outputs: [], source: ['console.log("never runs")'] },
    ],
    metadata: {},
    nbformat: 4,
    nbformat_minor: 5,
  };
  const p = join(TMP, 'broken.ipynb');
  writeFileSync(p, JSON.stringify(nb));
  const r = nqp('reproduce', '--only', p, '--out', join(TMP, 'broken-out'));
  assert.equal(r.status, 1);
  assert.match(r.stderr, /notebook broken\.ipynb, cell 3 \(`const x = 1;`\): Error: deliberate failure in cell three/);
  assert.match(r.stderr, /broken {2}cell 2\/3 {2}[\d.]+ s {2}FAILED/);
  // The executed copy and its page are written up to the failure.
  const out = JSON.parse(readFileSync(join(TMP, 'broken-out', 'broken.ipynb'), 'utf8'));
  assert.deepEqual(out.cells[3].outputs, []);
});

test('all five notebooks execute through the tslab kernel without an error, writing .ipynb and .html', () => {
  const t0 = Date.now();
  const r = nqp('reproduce', '--out', OUT);
  console.log(`reproduce: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  assert.equal(r.status, 0, r.stderr.split('\n').slice(-5).join('\n'));
  for (const name of NOTEBOOKS) {
    assert.ok(existsSync(join(OUT, `${name}.html`)), `${name}.html`);
    const nb = JSON.parse(readFileSync(join(OUT, `${name}.ipynb`), 'utf8'));
    for (const [i, c] of nb.cells.entries()) {
      if (c.cell_type !== 'code') continue;
      assert.ok(c.execution_count > 0, `${name} cell ${i + 1} executed`);
      for (const o of c.outputs) {
        assert.notEqual(o.output_type, 'error', `${name} cell ${i + 1}: ${o.evalue}`);
        if (o.output_type === 'stream')
          assert.notEqual(o.name, 'stderr', `${name} cell ${i + 1} wrote to stderr: ${o.text.slice(0, 300)}`);
      }
    }
    const charts = nb.cells
      .flatMap((c: any) => c.outputs ?? [])
      .filter((o: any) => o.data?.['application/vnd.vegalite.v5+json']);
    for (const c of charts) {
      const png = Buffer.from(String(c.data['image/png']), 'base64');
      assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG', `${name}: every chart has a PNG fallback`);
    }
  }
});

function nbformatPython(): string | undefined {
  const py = '/usr/bin/python3';
  if (!existsSync(py)) return undefined;
  return spawnSync(py, ['-c', 'import nbformat'], { encoding: 'utf8' }).status === 0 ? py : undefined;
}

test('every cell of every source notebook has a unique nbformat 4.5 id', () => {
  for (const name of NOTEBOOKS) {
    const nb = JSON.parse(readFileSync(join(ROOT, 'notebooks', `${name}.ipynb`), 'utf8'));
    assert.ok(nb.nbformat === 4 && nb.nbformat_minor >= 5, `${name}: nbformat 4.5 or later (cell ids)`);
    const ids = nb.cells.map((c: { id?: string }) => c.id);
    ids.forEach((id: string | undefined, i: number) =>
      assert.match(String(id), /^[a-zA-Z0-9_-]{1,64}$/, `${name}.ipynb cell ${i + 1}: id ${id}`),
    );
    assert.equal(new Set(ids).size, ids.length, `${name}: cell ids repeat`);
  }
});

test("source and executed notebooks validate against nbformat's own schema, warnings as errors", {
  skip: nbformatPython() ? false : 'python3-nbformat not installed: schema check skipped',
}, () => {
  const files = NOTEBOOKS.flatMap((n) => [join(ROOT, 'notebooks', `${n}.ipynb`), join(OUT, `${n}.ipynb`)]);
  const script =
    'import sys, nbformat\n' +
    'for p in sys.argv[1:]:\n' +
    '    nbformat.validate(nbformat.read(p, as_version=nbformat.NO_CONVERT))\n' +
    '    print("valid", p)\n';
  const r = spawnSync(nbformatPython()!, ['-W', 'error', '-c', script, ...files], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr.slice(-2000));
  assert.equal(r.stdout.trim().split('\n').length, files.length);
});

function chromiumPath(): string | undefined {
  return ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
}

test('pages render in headless Chromium: every chart has marks, no console errors (screenshots saved)', {
  skip: chromiumPath() ? false : 'Chromium not installed (apt-get install chromium): browser check skipped',
}, async () => {
  const { chromium } = require('playwright-core');
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  try {
    for (const name of NOTEBOOKS) {
      const page = await browser.newPage({ viewport: { width: 1100, height: 1400 } });
      const errors: string[] = [];
      page.on('console', (m: any) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('pageerror', (e: any) => errors.push(String(e)));
      page.on('request', (r: any) => {
        if (!r.url().startsWith('file:') && !r.url().startsWith('data:')) errors.push(`network request: ${r.url()}`);
      });
      await page.goto('file://' + join(OUT, `${name}.html`));
      await page.waitForFunction(
        () => [...document.querySelectorAll('.chart')].every((c) => c.querySelector('.vega-embed svg, svg')),
        null,
        { timeout: 20000 },
      );
      const marks: number[] = await page.evaluate(() =>
        [...document.querySelectorAll('.chart')].map(
          (c) => c.querySelectorAll('.vega-embed svg g[class^="mark-"] > *').length,
        ),
      );
      assert.ok(marks.length > 0, `${name}: charts present`);
      marks.forEach((m, i) => assert.ok(m > 0, `${name}: chart ${i + 1} has marks`));
      assert.deepEqual(errors, [], `${name}: console errors`);
      await page.screenshot({ path: join(TMP, `${name}.png`), fullPage: false });
      await page.close();
    }
  } finally {
    await browser.close();
  }
});

function jupyterPython(): string | undefined {
  const py = '/usr/bin/python3';
  if (!existsSync(py)) return undefined;
  const r = spawnSync(py, ['-c', 'import nbclient, nbconvert, jupyter_client'], { encoding: 'utf8' });
  return r.status === 0 ? py : undefined;
}

test("Jupyter's own executor (nbconvert/nbclient) runs a notebook with the project's kernelspec", {
  skip: jupyterPython()
    ? false
    : 'Jupyter (python3-nbclient, python3-nbconvert, jupyter-client) not installed: nbconvert check skipped',
}, () => {
  const jp = join(TMP, 'jupyter');
  writeKernelspec(jp);
  const out = join(TMP, 'nbconvert');
  const r = spawnSync(
    jupyterPython()!,
    [
      '-m',
      'nbconvert',
      '--to',
      'notebook',
      '--execute',
      '--ExecutePreprocessor.kernel_name=nqp-tslab',
      '--ExecutePreprocessor.timeout=600',
      join(ROOT, 'notebooks', 'baseline.ipynb'),
      '--output-dir',
      out,
    ],
    { cwd: ROOT, encoding: 'utf8', env: { ...process.env, JUPYTER_PATH: jp }, timeout: 600_000 },
  );
  assert.equal(r.status, 0, r.stderr.slice(-2000));
  const nb = JSON.parse(readFileSync(join(out, 'baseline.ipynb'), 'utf8'));
  const outputs = nb.cells.flatMap((c: any) => c.outputs ?? []);
  assert.ok(
    outputs.some((o: any) => o.data?.['text/html']?.toString().includes('Table 3')),
    'Table 3 rendered through nbclient',
  );
  assert.ok(!outputs.some((o: any) => o.output_type === 'error'));
  assert.ok(readdirSync(out).includes('baseline.ipynb'));
});

test("nbconvert's HTML export (Debian's python3-nbconvert) shows every chart as a non-blank image", {
  skip: jupyterPython()
    ? chromiumPath()
      ? false
      : 'Chromium not installed: the pixel check of the nbconvert export is skipped'
    : 'Jupyter (python3-nbconvert) not installed: nbconvert HTML check skipped',
}, async () => {
  const dir = join(TMP, 'nbconvert-html');
  const report: string[] = [];
  const { chromium } = require('playwright-core');
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox', '--disable-gpu'] });
  try {
    for (const name of NOTEBOOKS) {
      const ipynb = join(OUT, `${name}.ipynb`);
      const r = spawnSync(jupyterPython()!, ['-m', 'nbconvert', '--to', 'html', ipynb, '--output-dir', dir], {
        encoding: 'utf8',
        timeout: 300_000,
      });
      assert.equal(r.status, 0, r.stderr.slice(-1000));
      const nb = JSON.parse(readFileSync(ipynb, 'utf8'));
      const charts = nb.cells
        .flatMap((c: any) => c.outputs ?? [])
        .filter((o: any) => o.data?.['application/vnd.vegalite.v5+json']).length;
      const page = await browser.newPage();
      await page.goto(`file://${join(dir, `${name}.html`)}`);
      // Share of non-white pixels in each PNG image of the exported page.
      const inked: number[] = await page.evaluate(async () => {
        const imgs = [...document.querySelectorAll('img')].filter((i) => i.src.startsWith('data:image/png'));
        return Promise.all(
          imgs.map(async (img) => {
            await img.decode();
            const c = document.createElement('canvas');
            c.width = img.naturalWidth;
            c.height = img.naturalHeight;
            const ctx = c.getContext('2d') as CanvasRenderingContext2D;
            ctx.drawImage(img, 0, 0);
            const d = ctx.getImageData(0, 0, c.width, c.height).data;
            let ink = 0;
            for (let i = 0; i < d.length; i += 4) if (d[i] < 235 || d[i + 1] < 235 || d[i + 2] < 235) ink++;
            return ink / (d.length / 4);
          }),
        );
      });
      await page.close();
      report.push(
        `${name}: ${inked.length} images for ${charts} charts, ink ${inked.map((x) => x.toFixed(3)).join(' ')}`,
      );
      assert.ok(inked.length >= charts, `${name}: ${inked.length} images for ${charts} charts`);
      for (const x of inked) assert.ok(x > 0.005, `${name}: a blank image (${x})`);
    }
  } finally {
    await browser.close();
  }
  console.log(report.join('\n'));
});
