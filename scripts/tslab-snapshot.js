// A V8 startup snapshot of tslab's TypeScript converter already built for notebooks run in one folder (the
// project's notebooks/). A tslab kernel's first act is tslab's createConverter: loading TypeScript and parsing,
// binding and type-checking TypeScript's lib and @types/node, 1.2–1.5 s of CPU in every kernel. A kernel started
// from this snapshot begins with that work done, then runs tslab's own bin (its main.js, unchanged), which gets
// the converter the snapshot holds.
//
//   NQP_SNAPSHOT_CWD=FOLDER NQP_SNAPSHOT_TSLAB=TSLAB_PACKAGE_DIR \
//     node --snapshot-blob BLOB --build-snapshot scripts/tslab-snapshot.js        make it (src/notebook/snapshot.ts)
//   node --snapshot-blob BLOB TSLAB_BIN kernel --config-path CONNECTION           a kernel (src/notebook/kernels.ts)
//   node --snapshot-blob BLOB SCRIPT ARGS...                                      any script, the converter ready
//
// The converter is handed out once, to the first createConverter for TypeScript in Node (tslab's kernel asks for
// that one first) made in FOLDER; any other gets a new one, as without the snapshot. While a snapshot is built,
// node offers only its built-in modules to require, so the converter and its dependencies (CommonJS JavaScript)
// are loaded here by a small loader; when the snapshot starts they are entered in node's module cache, so
// tslab's files loaded then by node itself get the same modules.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const v8 = require('node:v8');

const CWD = process.env.NQP_SNAPSHOT_CWD;
const TSLAB = process.env.NQP_SNAPSHOT_TSLAB; // tslab's package folder
if (!CWD || !TSLAB) throw new Error('tslab-snapshot: NQP_SNAPSHOT_CWD and NQP_SNAPSHOT_TSLAB must be set');

const BUILTIN = new Set([
  'assert',
  'buffer',
  'child_process',
  'constants',
  'crypto',
  'events',
  'fs',
  'inspector',
  'os',
  'path',
  'perf_hooks',
  'readline',
  'stream',
  'string_decoder',
  'timers',
  'tty',
  'url',
  'util',
  'v8',
  'vm',
  'zlib',
]);

/** node's resolution for the files the converter needs: relative paths, packages' "main", index.js. */
function resolveFile(from, id) {
  if (id.startsWith('.') || id.startsWith('/')) {
    const p = path.resolve(path.dirname(from), id);
    for (const f of [p, `${p}.js`, `${p}.json`, path.join(p, 'index.js')]) {
      if (fs.existsSync(f) && fs.statSync(f).isFile()) return f;
    }
    if (fs.existsSync(path.join(p, 'package.json'))) return packageMain(p);
    throw new Error(`tslab-snapshot: cannot find ${id} from ${from}`);
  }
  const parts = id.split('/');
  const n = id.startsWith('@') ? 2 : 1;
  const name = parts.slice(0, n).join('/');
  const rest = parts.slice(n).join('/');
  for (let dir = path.dirname(from); ; dir = path.dirname(dir)) {
    const base = path.join(dir, 'node_modules', name);
    if (fs.existsSync(base)) return rest ? resolveFile(path.join(base, 'x'), `./${rest}`) : packageMain(base);
    if (path.dirname(dir) === dir) throw new Error(`tslab-snapshot: cannot find ${id} from ${from}`);
  }
}

function packageMain(dir) {
  const main = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).main || 'index.js';
  return resolveFile(path.join(dir, 'x'), `./${main}`);
}

/** file → module ({ exports }), every file this loader ran. */
const loaded = new Map();
/** Once the snapshot has started: node's own require, which has every module above in its cache. */
let nodeRequire;

function load(from, id) {
  if (nodeRequire) return nodeRequire(from)(id);
  const bare = id.startsWith('node:') ? id.slice(5) : id;
  if (BUILTIN.has(bare)) return require(`node:${bare}`);
  const file = fs.realpathSync(resolveFile(from, id));
  const had = loaded.get(file);
  if (had) return had.exports;
  const mod = { exports: {} };
  loaded.set(file, mod);
  if (file.endsWith('.json')) {
    mod.exports = JSON.parse(fs.readFileSync(file, 'utf8'));
    return mod.exports;
  }
  // new Function, not node:vm (which node's snapshot builder does not vouch for); sourceURL names the file in stacks.
  const fn = new Function(
    'exports',
    'require',
    'module',
    '__filename',
    '__dirname',
    `${fs.readFileSync(file, 'utf8')}\n//# sourceURL=${file}`,
  );
  const req = (x) => load(file, x);
  req.resolve = (x) => resolveFile(file, x);
  fn.call(mod.exports, mod.exports, req, mod, file, path.dirname(file));
  return mod.exports;
}

const home = process.cwd();
process.chdir(CWD);
const ts = load(path.join(TSLAB, 'dist', 'x.js'), '@tslab/typescript-for-tslab');
// File and folder watchers are handles a snapshot cannot hold: record them now, start them when the kernel starts.
const watchers = [];
const real = { watchFile: ts.sys.watchFile, watchDirectory: ts.sys.watchDirectory };
for (const kind of Object.keys(real)) {
  ts.sys[kind] = (...args) => {
    const w = { kind, args, real: undefined, closed: false };
    w.close = () => {
      w.closed = true;
      if (w.real) w.real.close();
    };
    watchers.push(w);
    return w;
  };
}
// The files the converter reads (TypeScript's lib, @types/node, package.json files): the snapshot holds them as read
// now, so src/notebook/snapshot.ts keeps a snapshot only while none of them has changed.
const readFile = ts.sys.readFile;
const read = new Set();
ts.sys.readFile = (file, encoding) => {
  const text = readFile(file, encoding);
  if (text !== undefined) read.add(file);
  return text;
};
const converterModule = load(path.join(TSLAB, 'dist', 'x.js'), './converter');
const createConverter = converterModule.createConverter;
let ready = createConverter({ isJS: false, isBrowser: false }); // what tslab's kernel builds first (main.js)
// Where the package resolves (the project's notebooks/), one cell importing it, converted now: its declarations
// are then read, parsed and bound, and TypeScript's checker has run once, before the kernel starts. The first cell
// of every notebook imports it, and then takes 0.15 s of CPU instead of 0.8 s. The converter takes each cell's
// declarations from the caller, so a later convert('', cell) gives what a fresh converter gives: the same
// JavaScript, declarations and diagnostics, checked on every cell of the five notebooks.
const WARM = "import * as nqp from 'nqp-resilience';";
let warm = false;
try {
  resolveFile(path.join(CWD, 'x'), 'nqp-resilience/package.json');
  warm = true;
} catch {
  // not installed where the kernel runs: nothing to read ahead
}
if (warm) {
  const r = ready.convert('', WARM);
  if (r.diagnostics.length) throw new Error(`tslab-snapshot: ${WARM} gives ${r.diagnostics[0].messageText}`);
}
Object.assign(ts.sys, real, { readFile });
if (process.env.NQP_SNAPSHOT_READ) fs.writeFileSync(process.env.NQP_SNAPSHOT_READ, JSON.stringify([...read].sort()));
process.chdir(home);

/**
 * The stack trace limit node gives a process: the last --stack-trace-limit=N among node's options (its command line,
 * then NODE_OPTIONS), else V8's 10. Node 20 leaves Error.stackTraceLimit undefined in a process started from a
 * snapshot, so errors there would have no stack at all: a cell's error would show only its message.
 */
function stackTraceLimit() {
  let limit = 10;
  const options = [...(process.env.NODE_OPTIONS ?? '').split(/\s+/), ...process.execArgv];
  for (const o of options) {
    const m = /^--stack[-_]trace[-_]limit=(\d+)$/.exec(o);
    if (m) limit = Number(m[1]);
  }
  return limit;
}

v8.startupSnapshot.setDeserializeMainFunction(() => {
  if (typeof Error.stackTraceLimit !== 'number') Error.stackTraceLimit = stackTraceLimit();
  for (const w of watchers) if (!w.closed) w.real = real[w.kind](...w.args);
  // Hand the built converter to the first kernel that asks for this one, in the folder it was built for. What
  // happened is on `process` under Symbol.for('nqp.kernelSnapshot'), for a cell (or a test) to read.
  const state = { folder: CWD, first: undefined }; // first: how the first converter asked for came
  process[Symbol.for('nqp.kernelSnapshot')] = state;
  converterModule.createConverter = (options) => {
    const same = options && !options.isJS && !options.isBrowser && process.cwd() === CWD;
    const conv = same && ready ? ready : createConverter(options);
    if (!state.first) state.first = conv === ready ? 'from the snapshot' : 'built at start';
    ready = undefined;
    return conv;
  };
  const Module = require('node:module');
  for (const [file, mod] of loaded) {
    if (Module._cache[file]) continue;
    const m = new Module(file, null);
    m.filename = file;
    m.paths = Module._nodeModulePaths(path.dirname(file));
    m.exports = mod.exports;
    m.loaded = true;
    Module._cache[file] = m;
  }
  nodeRequire = Module.createRequire; // what these modules require from now on (TypeScript does so lazily)
  // Then run the script named after the snapshot as node runs a main script (process.argv is [node, SCRIPT, ...]),
  // so that require.main and process.mainModule are that script's module, as in a kernel started as usual: for a
  // kernel, tslab's own bin, which calls its main.js.
  Module.runMain(path.resolve(process.argv[1]));
});
