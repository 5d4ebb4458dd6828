import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  appendFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The built package loads its own modules from dist/index.pack (src/notebook/pack.ts, scripts/pack-dist.js). What
// must hold: each module exists once, under its own dist/ path, whichever way it is reached first; the package's
// exports are the same as without the pack; a dist/ file changed after the build is loaded from the file.
const ROOT = join(__dirname, '..', '..');
const DIST = join(ROOT, 'dist');
const PACK = join(DIST, 'index.pack');
const skip = existsSync(PACK) ? false : 'no dist/index.pack (the build did not pack): nothing to check';

/** Run `script` in a fresh node process (D is the dist folder); its stdout parsed as JSON. */
function fresh(script: string, dist = DIST): Json {
  const r = spawnSync(process.execPath, ['-e', `const D = ${JSON.stringify(dist)}; ${script}`], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}
type Json = any;

const out = 'process.stdout.write(JSON.stringify(';
const header = (file = PACK) => JSON.parse(readFileSync(file, 'utf8').split('\n', 1)[0]);

test('the package runs its modules from the pack, with its code cache, each once, under its own path', { skip }, () => {
  const names: string[] = header().modules.map((m: { name: string }) => m.name);
  assert.ok(names.includes('index.js') && names.includes('vendor/arquero.js') && names.length > 90, names.join());
  const r = fresh(
    "const m = require(D); const p = require(D + '/notebook/pack.js'); const lang = require(D + '/lang.js');" +
      "const same = m.setLang === lang.setLang && m.settings === require(D + '/data/index.js').settings &&" +
      " m.feols === m.feols && m.feols === require(D + '/estimate/model/feols.js').feols;" +
      "m.setLang('zh'); const state = lang.getLang();" +
      `${out}{ stats: p.packStats(), same, state, files: Object.keys(require.cache) }))`,
  );
  // Every packed module the import ran is in require.cache under its path (the loader itself was loaded by node).
  const ran = names.filter((n) => r.files.includes(join(DIST, n)) && n !== 'notebook/pack.js');
  assert.ok(ran.length > 90 && ran.includes('vendor/arquero.js'), ran.join());
  assert.deepEqual(r.stats, { packed: ran.length, cached: ran.length, native: 0 });
  assert.equal(r.same, true);
  assert.equal(r.state, 'zh');
});

test("the page writer's libraries come from dist/pages.pack: the same modules node would load, once", { skip }, () => {
  const r = fresh(
    "const h = require(D + '/notebook/html.js'); const p = require(D + '/notebook/pack.js');" +
      'const page = h.markdownToHtml(\'$x^2$ <b onclick="x()">hi</b>\');' +
      "const same = require(require.resolve('sanitize-html', { paths: [D] })) === require('sanitize-html');" +
      `${out}{ stats: p.packStats(p.PAGES_PACK), page, same,` +
      " katex: require.resolve('katex', { paths: [D] }) in require.cache }))",
  );
  assert.ok(r.stats.packed > 10 && r.stats.cached === r.stats.packed && r.stats.native === 0, JSON.stringify(r.stats));
  assert.match(r.page, /^<p><span class="katex">.*<b>hi<\/b><\/p>\n$/s);
  assert.equal(r.katex, true);
  assert.equal(r.same, true);
});

test('a packed node_modules file whose text changed is loaded from the file (a pack checked by text)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nqp-pack-'));
  try {
    const lib = join(dir, 'node_modules', 'lib');
    mkdirSync(lib, { recursive: true });
    const src = "exports.n = require('./two').n + 1;\n";
    writeFileSync(join(lib, 'index.js'), src);
    writeFileSync(join(lib, 'two.js'), 'exports.n = 1;\n');
    const mod = (name: string, start: number, end: number, deps = {}) => ({
      name,
      start,
      end,
      size: 0,
      mtimeMs: 0,
      deps,
    });
    const h = {
      token: 't',
      node: process.version,
      base: '.',
      check: 'text',
      entries: { lib: 'node_modules/lib/index.js' },
      modules: [
        mod('node_modules/lib/index.js', 0, src.length, { './two': 'node_modules/lib/two.js' }),
        mod('node_modules/lib/two.js', src.length, src.length + 15),
      ],
    };
    writeFileSync(join(dir, 'x.pack'), `${JSON.stringify(h)}\n${src}exports.n = 1;\n`);
    const loader = join(DIST, 'notebook', 'pack.js');
    const load = () =>
      fresh(
        `const p = require(${JSON.stringify(loader)}); const f = ${JSON.stringify(join(dir, 'x.pack'))};` +
          `const lib = p.fromPack('lib', module, f);` +
          `${out}{ n: lib.n, stats: p.packStats(f), same: lib === require(${JSON.stringify(lib)}) }))`,
      );
    assert.deepEqual(load(), { n: 2, stats: { packed: 2, cached: 0, native: 0 }, same: true });
    writeFileSync(join(lib, 'two.js'), 'exports.n = 10;\n');
    assert.deepEqual(load(), { n: 11, stats: { packed: 1, cached: 0, native: 1 }, same: true });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a module required by its path before the package is the one the package uses (its state kept)', { skip }, () => {
  const r = fresh(
    "const lang = require(D + '/lang.js'); lang.setLang('zh'); const m = require(D);" +
      "const p = require(D + '/notebook/pack.js');" +
      `${out}{ lang: m.getLang(), same: m.setLang === lang.setLang, packed: p.packStats().packed }))`,
  );
  assert.equal(r.lang, 'zh');
  assert.equal(r.same, true);
  // lang.js and what it requires were loaded by node; the rest from the pack.
  assert.ok(r.packed > 90 && r.packed < header().modules.length - 1, String(r.packed));
});

test('without the pack (as under Deno) dist/index.js runs as compiled, with the same exports', { skip }, () => {
  const shape =
    "Object.keys(m).sort().map((k) => k + ':' + typeof m[k] + ':' + (typeof m[k] === 'function' ? m[k].name : ''))";
  const packed = fresh(`const m = require(D); ${out}${shape}))`);
  const plain = fresh(
    `globalThis.Deno = {}; const m = require(D); const p = require(D + '/notebook/pack.js'); delete globalThis.Deno;` +
      `${out}{ shape: ${shape}, stats: p.packStats() }))`,
  );
  assert.deepEqual(plain.stats, { packed: 0, cached: 0, native: 0 });
  assert.ok(packed.length > 90);
  assert.deepEqual(plain.shape, packed);
});

test('a dist/ file changed after the build is loaded from the file; the rest still from the pack', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'nqp-pack-'));
  try {
    cpSync(DIST, join(dir, 'dist'), { recursive: true });
    cpSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
    // The copy's files have new times: the header is made to describe them, then one of them is changed.
    const pack = join(dir, 'dist', 'index.pack');
    const text = readFileSync(pack, 'utf8');
    const h = header(pack);
    for (const m of h.modules) {
      const s = statSync(join(dir, 'dist', m.name));
      m.mtimeMs = s.mtimeMs;
      m.size = s.size;
    }
    writeFileSync(pack, `${JSON.stringify(h)}\n${text.slice(text.indexOf('\n') + 1)}`);
    appendFileSync(join(dir, 'dist', 'lang.js'), '\nexports.changedAfterBuild = true;\n');
    const r = fresh(
      "const m = require(D); const p = require(D + '/notebook/pack.js'); const lang = require(D + '/lang.js');" +
        `${out}{ stats: p.packStats(), changed: lang.changedAfterBuild, same: m.setLang === lang.setLang }))`,
      join(dir, 'dist'),
    );
    assert.equal(r.changed, true);
    assert.equal(r.same, true);
    assert.equal(r.stats.native, 1);
    assert.ok(r.stats.packed > 90 && r.stats.cached === r.stats.packed, JSON.stringify(r.stats));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
