import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { latestSource, resetSession, sourceOf } from '../../src/data';
import { hasTruth, loadLatent, loadTruth } from '../../src/simulate';
import { simpleTable } from '../../src/report';
import { studyPanel } from '../../src/study';

const ROOT = resolve(__dirname, '..', '..');

// A panel written by `nqp data --out DIR --seed N` carries its truth (truth.json, latent.csv) beside it: the truth
// comparisons read those, and every table says which files it came from; a copy without them has no truth.
test('truth.json beside a data file: hasTruth, loadTruth and loadLatent read it; stamps name it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nqp-truth-'));
  try {
    const out = join(dir, 'sim9');
    const r = spawnSync(process.execPath, [join(ROOT, 'bin/nqp.js'), 'data', '--out', out, '--seed', '9']);
    assert.equal(r.status, 0, String(r.stderr));
    const data = join(out, 'panel.csv');
    assert.equal(hasTruth(data), true);
    assert.equal(hasTruth(undefined), true, 'the default panel');
    const truth = loadTruth(data);
    assert.equal(truth.seed, 9);
    assert.match(truth.file, /^[^/].*sim9\/truth\.json$/);
    const latent = loadLatent(data);
    assert.match(sourceOf(latent)?.file ?? '', /sim9\/latent\.csv$/);
    resetSession();
    studyPanel(data);
    assert.equal(latestSource()?.simulated, true);
    const t = simpleTable([{ a: 1 }], { truth }).toString();
    assert.match(
      t,
      /^Simulated data — \S*sim9\/panel\.csv \(sha256 [0-9a-f]{8}\).*known truth: \S*sim9\/truth\.json$/m,
    );

    const own = join(dir, 'own');
    spawnSync('mkdir', [own]);
    copyFileSync(data, join(own, 'panel.csv'));
    assert.equal(hasTruth(join(own, 'panel.csv')), false);
    assert.throws(() => loadTruth(join(own, 'panel.csv')), { code: 'FILE_NOT_FOUND' });
    resetSession();
    studyPanel(join(own, 'panel.csv'));
    assert.match(simpleTable([{ a: 1 }]).toString(), /^Data: \S*own\/panel\.csv/m);
  } finally {
    resetSession();
    rmSync(dir, { recursive: true, force: true });
  }
});
