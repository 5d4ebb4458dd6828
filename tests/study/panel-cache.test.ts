/**
 * The default study panel from the build's cache (dist/default-panel.cache, src/data/panel-cache.ts) is the one
 * studyPanel() computes: the same fingerprint (every column bit for bit, reports, weights, provenance), the same
 * objects (scripts/write-panel-cache.js `sameStudy`: types, key order, prototypes, methods), also after a notebook
 * edits the first one. A cache with one value changed is caught by both comparisons; a cache whose key no longer
 * holds (data, codebook, code, runtime) is not used; other files, options and codebooks never use it.
 * Runs on the build (npm test builds first).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fingerprint } from './study-fingerprint';

const root = join(__dirname, '..', '..');
const dist = join(root, 'dist');
const pkg = require(join(dist, 'index.js'));
const cache = require(join(dist, 'data', 'panel-cache.js'));
const { resetSession, sourceOf, staleness } = require(join(dist, 'data', 'provenance.js'));
const { sameStudy } = require(join(root, 'scripts', 'write-panel-cache.js'));
const MAGIC = 'nqp-panel-cache 1\n';

/** studyPanel(...args) with NQP_PANEL_CACHE set to `mode` (undefined: the build's cache); whether it was used. */
function study(mode: string | undefined, ...args: unknown[]): { s: any; used: boolean } {
  const before = cache.panelCacheUse.used;
  const saved = process.env.NQP_PANEL_CACHE;
  if (mode === undefined) delete process.env.NQP_PANEL_CACHE;
  else process.env.NQP_PANEL_CACHE = mode;
  try {
    return { s: pkg.studyPanel(...args), used: cache.panelCacheUse.used === before + 1 };
  } finally {
    if (saved === undefined) delete process.env.NQP_PANEL_CACHE;
    else process.env.NQP_PANEL_CACHE = saved;
  }
}

/** The fingerprint's SHA-256 (an assertion prints two of them, not megabytes of text). */
const fp = (s: unknown) => createHash('sha256').update(fingerprint(s, root)).digest('hex');
const computed = () => study('off').s;

/** The cache file split into its header (parsed) and payload, and written back after `edit`. */
function alteredCache(dir: string, name: string, edit: (h: any, payload: Buffer) => void): string {
  const buf = readFileSync(cache.PANEL_CACHE);
  const nl = buf.indexOf(10, MAGIC.length);
  const header = JSON.parse(buf.toString('utf8', MAGIC.length, nl));
  const payload = Buffer.from(buf.subarray(nl + 1));
  edit(header, payload);
  const file = join(dir, name);
  writeFileSync(file, Buffer.concat([Buffer.from(MAGIC + JSON.stringify(header) + '\n'), payload]));
  return file;
}

test('the cached default panel equals the computed one, objects and texts included, also after edits', () => {
  pkg.settings({ DATA: undefined, CLUSTER: 'city_code' });
  try {
    const off = computed();
    const cached = study(undefined);
    assert.ok(cached.used, `the build's cache was not used (${cache.panelCacheUse.why})`);
    assert.equal(fp(cached.s), fp(off));
    assert.equal(sameStudy(pkg, cached.s, off), undefined);
    assert.equal(sourceOf(cached.s.data), cached.s.provenance);
    assert.deepEqual(cached.s.provenance.settings, { DATA: null, CLUSTER: 'city_code' });
    // A notebook edits what it got: the next study is as computed.
    cached.s.data.column('nqp')[0] = -1;
    cached.s.data.column('province')[0] = '?';
    cached.s.nqp.weights[0].weight = 2;
    cached.s.resilience.dimensions.pop();
    cached.s.load.years.push(2099);
    cached.s.steps[1].changed[0].count = -1;
    cached.s.codebook[0].label = '?';
    assert.notEqual(fp(cached.s), fp(off));
    const again = study(undefined);
    assert.ok(again.used);
    assert.equal(fp(again.s), fp(off));
    assert.equal(sameStudy(pkg, again.s, off), undefined);
    // show()'s staleness check names the same change for both.
    pkg.settings({ DATA: undefined, CLUSTER: 'province' });
    const why = staleness(sourceOf(again.s.data));
    assert.match(why, /CLUSTER = city_code → province/);
    assert.equal(why, staleness(sourceOf(off.data)));
  } finally {
    resetSession();
  }
});

test('a cache with one value changed is caught by the comparisons; a stale key is not used', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nqp-panel-cache-'));
  try {
    const want = fp(computed());
    const column = alteredCache(dir, 'column', (h, payload) => {
      // The last city-year's index (the first ones may be missing), one unit in the last place more.
      const spec = h.columns[h.names.indexOf('nqp')];
      const at = spec.at + 8 * (spec.n - 1);
      const x = payload.readDoubleLE(at);
      assert.ok(Number.isFinite(x) && x > 0);
      payload.writeDoubleLE(x * (1 + 2 ** -52), at);
      assert.notEqual(payload.readDoubleLE(at), x);
    });
    const wrong = study(column);
    assert.ok(wrong.used);
    assert.notEqual(fp(wrong.s), want);
    assert.match(sameStudy(pkg, wrong.s, computed()), /_data\.nqp: other bytes/);
    const weight = alteredCache(dir, 'weight', (h) => {
      const w = h.value.o[h.value.o.indexOf('nqp') + 1].o;
      const row = w[w.indexOf('weights') + 1][0].o;
      row[row.indexOf('weight') + 1] += 1e-12;
    });
    assert.notEqual(fp(study(weight).s), want);
    const stale: [string, (h: any) => void, RegExp][] = [
      ['panel', (h) => (h.key.data.find((d: string[]) => d[0] === 'panel.csv')[1] = '0'.repeat(64)), /panel\.csv/],
      ['codebook', (h) => (h.key.data.find((d: string[]) => d[0] === 'codebook.csv')[1] = 'f'.repeat(64)), /codebook/],
      ['cities', (h) => (h.key.data.find((d: string[]) => d[0] === 'cities.csv')[1] = 'e'.repeat(64)), /cities/],
      ['code', (h) => (h.key.code.find((c: unknown[]) => c[0] === 'measure/core.js')[2] += 1), /measure\/core\.js/],
      ['size', (h) => (h.key.code.find((c: unknown[]) => c[0] === 'data/load.js')[1] += 1), /data\/load\.js/],
      ['runtime', (h) => (h.key.runtime = 'node v0.0.0'), /built with/],
      ['nodata', (h) => (h.key.data = []), /panel\.csv/],
    ];
    for (const [name, edit, why] of stale) {
      // Each stale cache also holds a wrong value, which would show if it were used.
      const file = alteredCache(dir, name, (h, payload) => {
        edit(h);
        const spec = h.columns[h.names.indexOf('nqp')];
        payload.writeDoubleLE(0.5, spec.at + 8 * (spec.n - 1));
      });
      const r = study(file);
      assert.ok(!r.used, name);
      assert.match(cache.panelCacheUse.why, why, name);
      assert.equal(fp(r.s), want, name);
    }
    writeFileSync(join(dir, 'garbage'), 'not a cache');
    assert.ok(!study(join(dir, 'garbage')).used);
    assert.ok(!study(join(dir, 'absent')).used);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('other files, options and codebooks never use the cache', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nqp-panel-cache-'));
  try {
    const copy = join(dir, 'panel.csv');
    cpSync(join(root, 'data', 'panel.csv'), copy);
    const codebook = pkg.loadCodebook();
    const others: [string, unknown[]][] = [
      ['a copy of the default panel', [copy]],
      ['the default panel by its path', [pkg.defaultPanelPath()]],
      ['pooling by year', [undefined, { pooling: 'year' }]],
      ['winsorising given', [undefined, { winsorizeIndicators: [0.01, 0.99] }]],
      ['no winsorising', [undefined, { winsorizeIndicators: null }]],
      ['interpolation given', [undefined, { interpolate: true }]],
      ['years given', [undefined, { years: [2010, 2021] }]],
      ['a codebook given', [undefined, { codebook }]],
      ['cities given', [undefined, { cities: pkg.loadCities() }]],
      ['an option through a prototype', [undefined, Object.create({ winsorizeWithin: 'year' })]],
      ['an unknown option', [undefined, { pooled: true }]],
    ];
    for (const [name, args] of others) assert.ok(!study(undefined, ...args).used, name);
    assert.equal(
      fp(study(undefined, undefined, Object.create({ winsorizeWithin: 'year' })).s),
      fp(study(undefined, undefined, { winsorizeWithin: 'year' }).s),
    );
    assert.ok(study(undefined, undefined, { pooling: undefined }).used);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a package whose data files were edited after the build computes its panel', () => {
  // A copy of the package (dist with its times, data, node_modules linked): the unedited copy uses its cache,
  // the copies with an edited panel, codebook or city list do not, and give the edited data's panel.
  const dir = mkdtempSync(join(tmpdir(), 'nqp-panel-cache-'));
  try {
    cpSync(dist, join(dir, 'dist'), { recursive: true, preserveTimestamps: true });
    cpSync(join(root, 'data'), join(dir, 'data'), { recursive: true });
    cpSync(join(root, 'package.json'), join(dir, 'package.json'));
    symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
    const run = () => {
      const code =
        `const m = require(${JSON.stringify(join(dir, 'dist', 'index.js'))}); const s = m.studyPanel();` +
        `const u = require(${JSON.stringify(join(dir, 'dist', 'data', 'panel-cache.js'))}).panelCacheUse;` +
        'console.log(JSON.stringify({ used: u.used, why: u.why, wage: s.data.array("wage")[0], ' +
        'label: s.codebook[0].label }));';
      const r = spawnSync(process.execPath, ['-e', code], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      return JSON.parse(r.stdout);
    };
    const base = run();
    assert.equal(base.used, 1, base.why);
    const edit = (file: string, f: (text: string) => string) =>
      writeFileSync(join(dir, 'data', file), f(readFileSync(join(root, 'data', file), 'utf8')));
    edit('panel.csv', (t) => t.replace('\n110000,2010,33708,', '\n110000,2010,33709,'));
    const panel = run();
    assert.deepEqual([panel.used, panel.why, base.wage, panel.wage], [0, 'data/panel.csv changed', 33708, 33709]);
    edit('panel.csv', (t) => t);
    edit('codebook.csv', (t) => t.replace('City administrative code', 'City code (GB/T 2260)'));
    const codebook = run();
    assert.deepEqual(
      [codebook.used, codebook.why, codebook.label],
      [0, 'data/codebook.csv changed', 'City code (GB/T 2260)'],
    );
    edit('codebook.csv', (t) => t);
    edit('cities.csv', (t) => `${t}\n`);
    assert.deepEqual(run().why, 'data/cities.csv changed');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
