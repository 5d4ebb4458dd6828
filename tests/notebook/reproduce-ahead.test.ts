import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { reproduce } from '../../src/notebook';
import { kernelCommand, kernelThreads } from '../../src/notebook/kernels';
import { scratch } from '../helpers';

// `nqp reproduce` starts each notebook's kernel one turn ahead, so a notebook whose turn comes finds its kernel
// ready. These tests watch the kernels it starts: the tslab processes whose parent is this process.
const TMP = scratch('reproduce-ahead');
const ROOT = join(__dirname, '..', '..');

/** This process's children that are tslab kernels (Linux: /proc). */
function kernelChildren(): number[] {
  const mine = String(process.pid);
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
        const ppid = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1];
        return ppid === mine && readFileSync(`/proc/${d}/cmdline`, 'utf8').includes('tslab');
      } catch {
        return false; // gone meanwhile
      }
    })
    .map(Number);
}

/** A notebook of one code cell. */
function notebook(name: string, source: string): string {
  const p = join(TMP, `${name}.ipynb`);
  const cell = { cell_type: 'code', metadata: {}, execution_count: null, outputs: [], source: [source] };
  const meta = { kernelspec: { name: 'tslab', display_name: 'TypeScript', language: 'typescript' } };
  writeFileSync(p, JSON.stringify({ cells: [cell], metadata: meta, nbformat: 4, nbformat_minor: 5 }));
  return p;
}

// The cell counts the kernels its runner has alive: tslab processes with the same parent as its own.
const COUNT_KERNELS = `import { readdirSync, readFileSync } from 'fs';
const alive = readdirSync('/proc').filter((d) => {
  if (!/^\\d+$/.test(d)) return false; // not /proc/self
  try {
    const stat = readFileSync('/proc/' + d + '/stat', 'utf8');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    return ppid === process.ppid && readFileSync('/proc/' + d + '/cmdline', 'utf8').includes('tslab');
  } catch {
    return false;
  }
});
console.log('kernels alive: ' + alive.length);`;

const linux = process.platform === 'linux' ? {} : { skip: 'reads /proc' };

test(
  'one at a time (--jobs 1), the next notebook’s kernel is already up while the first runs, and none is left',
  linux,
  async () => {
    const paths = ['first', 'second', 'third'].map((n) => notebook(n, COUNT_KERNELS));
    const out = join(TMP, 'ahead');
    const runs = await reproduce(paths, { outDir: out, parallel: 1, log: () => {} });
    assert.deepEqual(
      runs.map((r) => r.ok),
      [true, true, true],
    );
    const printed = (name: string) =>
      JSON.parse(readFileSync(join(out, `${name}.ipynb`), 'utf8')).cells[0].outputs[0].text as string;
    // The first notebook's kernel and the second's, started together; the third's starts when the second's turn comes.
    assert.equal(printed('first'), 'kernels alive: 2\n');
    assert.deepEqual(kernelChildren(), [], 'every kernel stopped when reproduce resolved');
  },
);

test(
  'a notebook refused after the next one’s kernel started stops both kernels before reproduce rejects',
  linux,
  async () => {
    // --data needs each notebook's settings line; these have none, so the first is refused when its turn comes, after
    // its kernel and the second's were started.
    const paths = ['nosetting1', 'nosetting2'].map((n) => notebook(n, '1 + 1'));
    await assert.rejects(
      reproduce(paths, {
        outDir: join(TMP, 'refused'),
        parallel: 1,
        data: join(ROOT, 'data', 'panel.csv'),
        log: () => {},
      }),
      /has no settings line "const DATA: string \| undefined = \.\.\.;"/,
    );
    assert.deepEqual(kernelChildren(), [], 'no kernel left running');
  },
);

test('a missing notebook anywhere in the list is refused before any kernel starts', linux, async () => {
  const good = notebook('good', '1 + 1');
  const out = join(TMP, 'missing');
  await assert.rejects(
    reproduce([good, join(TMP, 'absent.ipynb')], { outDir: out, log: () => {} }),
    /Notebook \S*absent\.ipynb does not exist/,
  );
  assert.deepEqual(kernelChildren(), []);
  assert.equal(existsSync(join(out, 'good.ipynb')), false, 'the good notebook did not run');
});

// Each kernel gets the cores' share of V8's worker threads (--v8-pool-size), not node's 4 per process.
const PRINT_THREADS = `const pool = process.execArgv.filter((a) => a.startsWith('--v8-pool-size'));
console.log(pool.join(' ') || 'node default');`;

test('V8 worker threads: the cores shared among the kernels that run at once', async () => {
  assert.equal(kernelThreads(2, 2), 1);
  assert.equal(kernelThreads(1, 2), 2);
  assert.equal(kernelThreads(3, 2), 1, 'never fewer than one');
  assert.equal(kernelThreads(3, 8), 2);
  assert.equal(kernelThreads(0, 4), 4, 'no kernel counts as one');
  const withThreads = kernelCommand('tslab', 'conn.json', 3).args;
  assert.equal(withThreads[0], '--v8-pool-size=3', "a node option, before tslab's script");
  assert.equal(
    kernelCommand('tslab', 'conn.json').args.some((a) => a.startsWith('--v8-pool-size')),
    false,
  );
  for (const bad of [0, -1, 1.5, Number.NaN])
    for (const kind of ['tslab', 'deno'] as const)
      assert.throws(() => kernelCommand(kind, 'conn.json', bad), /worker threads are a whole number from 1/);
  const paths = ['threads1', 'threads2'].map((n) => notebook(n, PRINT_THREADS));
  const printed = async (options: { parallel?: number; kernelThreads?: number }, tag: string) => {
    const out = join(TMP, tag);
    const runs = await reproduce(paths, { outDir: out, log: () => {}, ...options });
    assert.deepEqual(
      runs.map((r) => r.ok),
      [true, true],
    );
    return ['threads1', 'threads2'].map(
      (n) => JSON.parse(readFileSync(join(out, `${n}.ipynb`), 'utf8')).cells[0].outputs[0].text as string,
    );
  };
  const both = `--v8-pool-size=${kernelThreads(2)}\n`;
  assert.deepEqual(await printed({ parallel: 2 }, 'threads-two'), [both, both]);
  assert.deepEqual(
    await printed({ parallel: 1, kernelThreads: 5 }, 'threads-given'),
    Array(2).fill('--v8-pool-size=5\n'),
  );
});
