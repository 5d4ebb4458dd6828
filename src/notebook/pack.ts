/**
 * Modules loaded from one file, with V8's code cache. Every notebook's kernel is a fresh node process whose first
 * cell imports the package: about a hundred files under dist/, each resolved, read and compiled by node's loader
 * (about 0.05 s of CPU for the loader alone). And `nqp reproduce` loads the page writer's libraries (sanitize-html
 * with postcss and htmlparser2, KaTeX, marked: about 0.1 s). The build (scripts/pack-dist.js) writes two packs:
 *
 *   dist/index.pack   the modules reachable from dist/index.js (and the arquero bundle), which dist/index.js runs
 *                     through `runPacked`;
 *   dist/pages.pack   sanitize-html, katex and marked with the files they require, for `fromPack` (notebook/html.ts).
 *
 * Each holds a JSON header line (per module: its path, its file's size and time, and the file node resolved each
 * `require("…")` in it to) and the sources; `<pack>.cache` holds V8's code cache recorded at build time.
 *
 * Each packed module is still a module of node's own: a `Module` registered in `require.cache` under its real
 * filename before it runs, compiled with that filename (stack traces name it), with node's `require`, `__dirname`
 * and `module`. So it exists once: a module already in `require.cache` is used as it is, and requiring its path
 * later (a test, a worker, another package) finds the packed one. A file that differs from the packed one (dist/
 * edited after the build: its size or time; node_modules: its text), or one not packed, is loaded by node as usual;
 * under Deno, or without the pack, `runPacked` returns false and `fromPack` undefined.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import type { Script } from 'node:vm';

/** One packed module: its source's place in the pack, its file's size and time, and where its requires lead. */
export interface PackedModule {
  /** Path under the pack's base folder, with '/' separators. */
  name: string;
  start: number;
  end: number;
  size: number;
  mtimeMs: number;
  /** require specifier → packed module name, as node resolved it at build time. */
  deps: Record<string, string>;
  /** This module's code cache: bytes [cacheStart, cacheEnd) of the cache file after its first line. */
  cacheStart?: number;
  cacheEnd?: number;
}

/** A pack's first line. */
export interface PackHeader {
  /** Changed by every build: the code cache is used only with the pack it was made from. */
  token: string;
  node: string;
  /** The folder module names are relative to, from the pack's folder. */
  base: string;
  /** 'time': a file is the packed one if its size and time are (dist/); 'text': if its text is (node_modules). */
  check: 'time' | 'text';
  /** Package name → packed module name (what `fromPack` serves). */
  entries: Record<string, string>;
  modules: PackedModule[];
}

const DIST = join(__dirname, '..');
export const PACK = join(DIST, 'index.pack');
export const PAGES_PACK = join(DIST, 'pages.pack');

// biome-ignore lint/suspicious/noExplicitAny: node's Module class (its internals are not in @types/node's typings)
type ModuleClass = any;
type Mod = NodeJS.Module & { paths: string[]; loaded: boolean; filename: string };

interface Pack {
  file: string;
  header: PackHeader;
  load(name: string, parent: Mod): unknown;
  run(name: string, mod: Mod): void;
  /** Modules run from this pack, how many of them with the code cache, and files node loaded instead. */
  stats: { packed: number; cached: number; native: number };
  compiled: { name: string; script: Script }[];
}

const opened = new Map<string, Pack | null>();

/** How the packs went in this process (by pack file): modules run from them, with the code cache, and not. */
export function packStats(file = PACK): Pack['stats'] {
  return opened.get(file)?.stats ?? { packed: 0, cached: 0, native: 0 };
}

function openPack(file: string): Pack | null {
  const known = opened.get(file);
  if (known !== undefined) return known;
  let pack: Pack | null = null;
  if (typeof (globalThis as { Deno?: unknown }).Deno === 'undefined') {
    try {
      pack = makePack(file, readFileSync(file, 'utf8'));
    } catch {
      pack = null;
    }
  }
  opened.set(file, pack);
  return pack;
}

function makePack(file: string, text: string): Pack {
  const nl = text.indexOf('\n');
  const header: PackHeader = JSON.parse(text.slice(0, nl));
  const body = nl + 1;
  const base = join(dirname(file), header.base);
  const byName = new Map(header.modules.map((m) => [m.name, m]));
  const cache = header.node === process.version ? codeCache(`${file}.cache`, header.token) : undefined;
  const vm = require('node:vm') as typeof import('node:vm');
  const Module: ModuleClass = require('node:module');
  const stats = { packed: 0, cached: 0, native: 0 };
  const compiled: Pack['compiled'] = [];
  const source = (p: PackedModule) => text.slice(body + p.start, body + p.end);
  const packedPath = (path: string) => {
    const name = relative(base, path).split(sep).join('/');
    return byName.has(name) ? name : undefined;
  };

  const fresh = (p: PackedModule, filename: string): boolean => {
    try {
      if (header.check === 'text') return readFileSync(filename, 'utf8') === source(p);
      const s = statSync(filename);
      return s.size === p.size && s.mtimeMs === p.mtimeMs;
    } catch {
      return false;
    }
  };

  const makeRequire = (mod: Mod, deps: Record<string, string>) => {
    const req = ((id: string) => {
      const target = deps[id] ?? (isAbsolute(id) ? packedPath(id) : undefined);
      return target === undefined ? mod.require(id) : load(target, mod);
    }) as NodeJS.Require;
    req.resolve = ((request: string, options?: { paths?: string[] }) =>
      Module._resolveFilename(request, mod, false, options)) as NodeJS.RequireResolve;
    req.resolve.paths = (request: string) => Module._resolveLookupPaths(request, mod);
    req.main = require.main;
    req.cache = Module._cache;
    req.extensions = Module._extensions;
    return req;
  };

  const run = (name: string, mod: Mod) => {
    const p = byName.get(name) as PackedModule;
    const filename = join(base, p.name);
    const cachedData = cache && p.cacheStart !== undefined ? cache.subarray(p.cacheStart, p.cacheEnd) : undefined;
    const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) { ${source(p)}\n})`, {
      filename,
      cachedData,
    });
    stats.packed++;
    if (cachedData && !script.cachedDataRejected) stats.cached++;
    compiled.push({ name: p.name, script });
    script
      .runInThisContext()
      .call(mod.exports, mod.exports, makeRequire(mod, p.deps), mod, filename, dirname(filename));
  };

  // Node's Module._load for a file, with the source taken from the pack: cached first, registered before it runs,
  // removed again if it throws.
  const load = (name: string, parent: Mod): unknown => {
    const filename = join(base, name);
    const cached: Mod | undefined = Module._cache[filename];
    if (cached) {
      if (!parent.children.includes(cached)) parent.children.push(cached);
      return cached.exports;
    }
    const p = byName.get(name);
    if (!p || !fresh(p, filename)) {
      stats.native++;
      return parent.require(filename);
    }
    const mod: Mod = new Module(filename, parent);
    mod.filename = filename;
    mod.paths = Module._nodeModulePaths(dirname(filename));
    Module._cache[filename] = mod;
    try {
      run(name, mod);
    } catch (e) {
      delete Module._cache[filename];
      throw e;
    }
    mod.loaded = true;
    return mod.exports;
  };

  return { file, header, load, run, stats, compiled };
}

/**
 * Run dist/index.js (`entry`, node's own module object for it) and the modules it requires from dist/index.pack.
 * False when there is no usable pack (then the caller runs its compiled code).
 */
export function runPacked(entry: NodeJS.Module): boolean {
  const pack = openPack(PACK);
  if (!pack?.header.modules.some((m) => m.name === 'index.js')) return false;
  pack.run('index.js', entry as Mod);
  return true;
}

/** Package `id` (sanitize-html, katex, marked) from dist/pages.pack, as `parent` would require it; else undefined. */
export function fromPack<T>(id: string, parent: NodeJS.Module, file = PAGES_PACK): T | undefined {
  const pack = openPack(file);
  const name = pack?.header.entries[id];
  return name === undefined ? undefined : (pack?.load(name, parent as Mod) as T);
}

/** The code cache, if it was made with this pack (its first line is the pack's token). */
function codeCache(file: string, token: string): Buffer | undefined {
  try {
    const buf = readFileSync(file);
    const nl = buf.indexOf(10);
    return buf.toString('latin1', 0, nl) === token ? buf.subarray(nl + 1) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Write V8's code cache for the modules this process ran from pack `file` (the build calls it after using them),
 * with their places in the cache added to the pack's header. Throws when nothing ran from the pack.
 */
export function savePackCache(file = PACK): void {
  const pack = opened.get(file);
  if (!pack?.compiled.length) throw new Error(`nothing was loaded from ${file}: no code cache to save`);
  const text = readFileSync(file, 'utf8');
  const nl = text.indexOf('\n');
  const header: PackHeader = JSON.parse(text.slice(0, nl));
  const parts: Buffer[] = [Buffer.from(`${header.token}\n`, 'latin1')];
  let at = 0;
  const byName = new Map(header.modules.map((m) => [m.name, m]));
  for (const { name, script } of pack.compiled) {
    const data = script.createCachedData();
    const m = byName.get(name);
    if (!m) continue;
    m.cacheStart = at;
    m.cacheEnd = at + data.length;
    at += data.length;
    parts.push(data);
  }
  writeFileSync(`${file}.cache`, Buffer.concat(parts));
  writeFileSync(file, `${JSON.stringify(header)}\n${text.slice(nl + 1)}`);
}
