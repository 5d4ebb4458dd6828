/**
 * A reviewer's journey through the real tslab kernel (the package as built to dist/, imported by name): run the
 * baseline notebook's cells, edit the settings cell (CONTROLS = [], then DATA = another file), re-run it and then
 * only the table cell. The answer must be a named refusal (STALE_RESULT, naming what changed and the cell to
 * re-run, no stack of compiled code), never the old table; after re-running the named cell the table is the new one,
 * its Controls row read from the models and its provenance line naming the file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { TslabKernel, type ExecuteResult } from '../../src/notebook/kernel';

// After a failed cell tslab aborts what reaches it within 200 ms (as a reviewer's next click would not).
const settle = () => new Promise((r) => setTimeout(r, 400));
const ROOT = resolve(__dirname, '..', '..');
const NB = join(ROOT, 'notebooks');

interface Cell {
  id: string;
  cell_type: string;
  source: string | string[];
}

const cells: Cell[] = JSON.parse(readFileSync(join(NB, 'baseline.ipynb'), 'utf8')).cells;
const src = (id: string) => {
  const c = cells.find((x) => x.id === id);
  assert.ok(c, `cell ${id} is in baseline.ipynb`);
  return Array.isArray(c.source) ? c.source.join('') : c.source;
};
const text = (r: ExecuteResult) =>
  r.outputs
    .map((o) =>
      o.output_type === 'stream'
        ? o.text
        : o.output_type === 'error'
          ? `${o.evalue}\n${o.traceback.join('\n')}`
          : String((o.data as Record<string, unknown>)['text/html'] ?? ''),
    )
    .join('\n');
const tables = (r: ExecuteResult) =>
  r.outputs.filter((o) => o.output_type === 'display_data' && 'text/html' in o.data).length;
/** The cells of a row of an HTML etable, by its first cell. */
const row = (html: string, name: string) => {
  const m = html.match(new RegExp(`<tr[^>]*><td>${name}</td>(.*?)</tr>`));
  return m ? [...m[1].matchAll(/<td>(.*?)<\/td>/g)].map((x) => x[1]) : undefined;
};

test('re-running the table cell after editing the settings cell refuses the old table, naming the cell', async () => {
  const out = mkdtempSync(join(tmpdir(), 'nqp-stale-'));
  const made = spawnSync(process.execPath, [join(ROOT, 'bin/nqp.js'), 'data', '--out', out, '--seed', '7']);
  assert.equal(made.status, 0, String(made.stderr));
  const k = await TslabKernel.start(NB);
  try {
    // Run all cells up to the table (the journey's cells; later cells do not change what is tested).
    const code = cells.filter((c) => c.cell_type === 'code').map((c) => c.id);
    for (const id of code.slice(0, code.indexOf('baseline-7') + 1)) {
      const r = await k.execute(src(id));
      assert.equal(r.status, 'ok', `${id}: ${text(r)}`);
    }
    const first = text(await k.execute(src('baseline-7')));
    assert.deepEqual(row(first, 'Controls'), ['No', 'Yes', 'Yes', 'Yes']);
    assert.match(first, /Simulated data — data\/panel\.csv \(sha256 [0-9a-f]{8}\)/);

    // CONTROLS = []: settings cell, then only the table cell.
    const noControls = src('baseline-1').replace(/const CONTROLS = \[.*\];/, 'const CONTROLS: string[] = [];');
    assert.notEqual(noControls, src('baseline-1'));
    assert.equal((await k.execute(noControls)).status, 'ok');
    const stale = await k.execute(src('baseline-7'));
    assert.equal(stale.status, 'error');
    assert.equal(tables(stale), 0, 'no table is shown');
    const msg = text(stale);
    assert.match(msg, /STALE_RESULT/);
    assert.match(msg, /CONTROLS = lnpgdp, open, fin, infra, lnpopden, urban_rate → none/);
    assert.match(msg, /Re-run the cell that calls studyPanel/);
    assert.doesNotMatch(msg, /dist[\\/]|at \w+ \(/, 'no stack trace of compiled code');
    await settle();
    // The named cell, then the table cell: the new table, its Controls row from the models.
    assert.equal((await k.execute(src('baseline-3'))).status, 'ok');
    const fresh = await k.execute(src('baseline-7'));
    assert.equal(fresh.status, 'ok', text(fresh));
    assert.deepEqual(row(text(fresh), 'Controls'), ['No', 'No', 'No', 'No']);
    assert.match(text(fresh), /CONTROLS = none/);

    // DATA = another file: the same refusal, then its own table stamped with its name.
    const other = noControls.replace(
      'const DATA: string | undefined = undefined;',
      `const DATA: string | undefined = ${JSON.stringify(join(out, 'panel.csv'))};`,
    );
    assert.equal((await k.execute(other)).status, 'ok');
    const staleData = await k.execute(src('baseline-7'));
    assert.equal(staleData.status, 'error');
    assert.equal(tables(staleData), 0);
    assert.match(text(staleData), /STALE_RESULT[\s\S]*DATA = default → .*panel\.csv/);
    await settle();
    assert.equal((await k.execute(src('baseline-3'))).status, 'ok');
    const own = await k.execute(src('baseline-7'));
    assert.equal(own.status, 'ok', text(own));
    assert.match(text(own), /DATA = [^;]*rev|DATA = [^;]*nqp-stale-/);
    assert.notEqual(text(own).match(/sha256 ([0-9a-f]{8})/)?.[1], first.match(/sha256 ([0-9a-f]{8})/)?.[1]);
  } finally {
    await k.shutdown();
    rmSync(out, { recursive: true, force: true });
  }
});
