// dist/default-panel.cache: the default study panel (studyPanel() on data/panel.csv with default options) as this
// build computes it, for the notebooks' kernels (src/data/panel-cache.ts tells when it is used). Run by
// scripts/build.js after the packs are written, in a process of its own:
//
//   1. compute studyPanel() with the cache off, noting every file the computation opens;
//   2. write the cache, keyed by node and V8, the size and time of the compiled files the computation runs
//      (dist/study/panel.js and what it requires, the arquero bundle), and the SHA-256 of the data files it read;
//   3. check: studyPanel() from the cache must equal a computed one in every value, type, key order, prototype,
//      method text and report text (`sameStudy`), also after the first one is edited. Otherwise no cache is kept.
//
// No cache (no arquero bundle, a file read outside data/, any difference) only means every kernel computes the
// panel, as before.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { requireGraph } = require('./require-graph.js');

const root = path.resolve(__dirname, '..');
const dist = path.join(root, 'dist');
const slash = (p) => p.split(path.sep).join('/');

/**
 * Where `a` and `b` differ, or undefined: values (numbers by Object.is), types, prototypes, own property names in
 * order with their attributes, frozen or not, typed arrays by bytes and buffer layout, functions by their source,
 * and what the reports' and weights tables' toString(), toHtml() and withLabels() give. Objects shared within one
 * must be shared the same way within the other.
 */
function difference(a, b, where = 'study', pairs = new Map(), labels = {}) {
  if (typeof a !== typeof b) return `${where}: ${typeof a} vs ${typeof b}`;
  if (a === null || b === null || typeof a !== 'object') {
    if (typeof a === 'function') {
      if (String(a) !== String(b) || a.name !== b.name || a.length !== b.length) return `${where}: another function`;
    } else if (!Object.is(a, b)) return `${where}: ${String(a)} vs ${String(b)}`;
    if (typeof a !== 'function') return undefined;
  }
  if (pairs.has(a)) return pairs.get(a) === b ? undefined : `${where}: shared differently`;
  pairs.set(a, b);
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return `${where}: another prototype`;
  if (Object.isFrozen(a) !== Object.isFrozen(b) || Object.isExtensible(a) !== Object.isExtensible(b))
    return `${where}: frozen or not`;
  if (ArrayBuffer.isView(a)) {
    const bytes = (v) => Buffer.from(v.buffer, v.byteOffset, v.byteLength);
    if (a.byteOffset !== b.byteOffset || a.buffer.byteLength !== b.buffer.byteLength) return `${where}: buffer layout`;
    if (a.buffer === b.buffer) return `${where}: the same buffer`;
    if (!bytes(a).equals(bytes(b))) return `${where}: other bytes`;
    if (Object.prototype.toString.call(a.buffer) !== Object.prototype.toString.call(b.buffer))
      return `${where}: another buffer type`;
  }
  const ka = Reflect.ownKeys(a);
  const kb = Reflect.ownKeys(b);
  if (ka.length !== kb.length || ka.some((k, i) => k !== kb[i])) return `${where}: other keys`;
  if (ArrayBuffer.isView(a)) return undefined;
  for (const k of ka) {
    const da = Object.getOwnPropertyDescriptor(a, k);
    const db = Object.getOwnPropertyDescriptor(b, k);
    for (const f of ['enumerable', 'writable', 'configurable'])
      if (da[f] !== db[f]) return `${where}.${String(k)}: ${f}`;
    if ('get' in da || 'get' in db) return `${where}.${String(k)}: an accessor`;
    const d = difference(da.value, db.value, `${where}.${String(k)}`, pairs, labels);
    if (d) return d;
  }
  if (typeof a === 'object') {
    for (const m of ['toString', 'toHtml'])
      if (Object.hasOwn(a, m) && a[m]() !== b[m]()) return `${where}.${m}(): other text`;
    if (Object.hasOwn(a, 'withLabels')) {
      const [la, lb] = [a.withLabels(labels), b.withLabels(labels)];
      if (la.toString() !== lb.toString() || la.toHtml() !== lb.toHtml()) return `${where}.withLabels: other text`;
    }
  }
  return undefined;
}

/** Where a cached study differs from a computed one (both languages' texts, with Chinese labels too). */
function sameStudy(pkg, a, b) {
  const lang = pkg.getLang?.() ?? 'en';
  try {
    for (const l of ['en', 'zh']) {
      pkg.setLang?.(l);
      const d = difference(a, b, 'study', new Map(), pkg.labels(b.codebook, l));
      if (d) return d;
    }
  } finally {
    pkg.setLang?.(lang);
  }
  const { sourceOf } = require(path.join(dist, 'data', 'provenance.js'));
  if (sourceOf(a.data) !== a.provenance || sourceOf(b.data) !== b.provenance) return 'provenance not recorded';
  return undefined;
}

function main() {
  const cacheModule = path.join(dist, 'data', 'panel-cache.js');
  const { PANEL_CACHE, encodePanelCache, panelCacheUse, runtimeName, sha256 } = require(cacheModule);
  fs.rmSync(PANEL_CACHE, { force: true });
  const bundle = path.join(dist, 'vendor', 'arquero.js');
  if (!fs.existsSync(bundle)) return 'no arquero bundle (dist/vendor/arquero.js)';
  process.env.NQP_PANEL_CACHE = 'off';
  const pkg = require(path.join(dist, 'index.js'));
  const { dataDir, defaultPanelPath } = pkg;

  // Every file the computation opens: data files go into the key; anything else outside dist/ means no cache.
  const opened = new Set();
  const spied = ['readFileSync', 'openSync', 'existsSync', 'statSync', 'lstatSync', 'readdirSync'];
  const originals = spied.map((f) => fs[f]);
  spied.forEach((f, i) => {
    fs[f] = function (p, ...rest) {
      if (typeof p === 'string') opened.add(path.resolve(p));
      return originals[i].call(this, p, ...rest);
    };
  });
  let study;
  try {
    study = pkg.studyPanel();
  } finally {
    spied.forEach((f, i) => {
      fs[f] = originals[i];
    });
  }
  const data = [];
  for (const f of opened) {
    const rel = path.relative(dataDir(), f);
    if (!rel.startsWith('..') && !path.isAbsolute(rel)) {
      data.push([slash(rel), sha256(fs.readFileSync(f))]);
    } else if (path.relative(dist, f).startsWith('..')) return `the computation read ${f}`;
  }
  if (!data.some(([f]) => f === 'panel.csv')) return 'data/panel.csv was not read';
  // The compiled files the computation runs: dist/study/panel.js and what it requires, and the arquero bundle (which
  // dist/data/aq.js requires by a path it computes).
  const inDist = (f) => !path.relative(dist, f).startsWith('..');
  const panelCode = requireGraph([path.join(dist, 'study', 'panel.js')], inDist);
  const code = [...panelCode.map((m) => m.file), bundle].map((f) => {
    const st = fs.statSync(f);
    return [slash(path.relative(dist, f)), st.size, st.mtimeMs];
  });
  const { toString: _t, toHtml: _h, ...load } = study.load;
  if (load.source !== defaultPanelPath()) return 'the load report names another source';
  load.source = null;
  const value = {
    codebook: study.codebook,
    load,
    steps: study.steps.map(({ step, changed, ...rest }) => {
      if (Object.keys(rest).join() !== 'toString') throw new Error('a clean step has other parts');
      return { step, changed };
    }),
    nqp: indexPart(study.nqp),
    resilience: indexPart(study.resilience),
  };
  const bytes = encodePanelCache(study.data, value, { runtime: runtimeName(), data, code });
  if (bytes.includes(Buffer.from(root))) return 'the cache would hold a path of this checkout';
  const tmp = `${PANEL_CACHE}.${process.pid}`;
  fs.writeFileSync(tmp, bytes);
  fs.renameSync(tmp, PANEL_CACHE);

  // The check: cached equals computed, also when the first cached study is edited before the second call.
  delete process.env.NQP_PANEL_CACHE;
  const used = panelCacheUse.used;
  const cached = pkg.studyPanel();
  if (panelCacheUse.used !== used + 1) return `the cache was not used (${panelCacheUse.why})`;
  process.env.NQP_PANEL_CACHE = 'off';
  const computed = pkg.studyPanel();
  delete process.env.NQP_PANEL_CACHE;
  const d1 = sameStudy(pkg, cached, computed);
  if (d1) return `cached and computed differ: ${d1}`;
  cached.data.column('nqp')[0] = -1;
  cached.data.column('name_en')[0] = '?';
  cached.nqp.weights[0].weight = 2;
  cached.load.missing[0].count = -1;
  cached.steps[0].changed[0].count = -1;
  cached.codebook[0].label = '?';
  const again = pkg.studyPanel();
  const d2 = sameStudy(pkg, again, computed);
  if (d2) return `a second cached study differs after editing the first: ${d2}`;
  return undefined;
}

function indexPart(r) {
  const { data: _d, toString: _t, toHtml: _h, withLabels: _w, ...rest } = r;
  if (Object.keys(rest).join() !== 'name,weights,dimensions,missingRows') throw new Error('an index has other parts');
  return rest;
}

module.exports = { difference, sameStudy };

if (require.main === module) {
  let why;
  try {
    why = main();
  } catch (e) {
    why = String(e?.stack ?? e);
  }
  if (why) {
    try {
      fs.rmSync(require(path.join(dist, 'data', 'panel-cache.js')).PANEL_CACHE, { force: true });
    } catch {
      /* no cache module: nothing written */
    }
    process.stderr.write(`write-panel-cache: no cache of the default panel (${why}); every kernel computes it\n`);
  }
}
