/**
 * The package's own modules loaded from one file. Every notebook's kernel is a fresh node process whose first cell
 * imports the package: about a hundred files under dist/, each resolved, read and compiled by node's loader (about
 * 0.05 s of CPU for the loader alone). The build (scripts/pack-dist.js) writes the modules reachable from
 * dist/index.js into dist/index.pack (their sources, and for each `require` of a relative path the file node
 * resolved it to) and V8's code cache for them into dist/index.pack.cache, and makes dist/index.js call `runPacked`.
 *
 * Each packed module is still a module of node's own: a `Module` registered in `require.cache` under its real
 * filename before it runs, compiled with that filename (stack traces name it), with node's `require`, `__dirname`
 * and `module`. So it exists once: a module already in `require.cache` is used as it is, and requiring a dist/ path
 * later (a test, a worker) finds the packed one. A file whose size or time differs from the packed one (dist/ edited
 * after the build), or one not packed, is loaded by node as usual; under Deno, or without the pack, runPacked
 * returns false and dist/index.js runs as compiled.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import type { Script } from 'node:vm';

/** One packed module: its source's place in the pack, its file's size and time, and where its requires lead. */
export interface PackedModule {
  /** Path under dist/, with '/' separators. */
  name: string;
  start: number;
  end: number;
  size: number;
  mtimeMs: number;
  /** Relative require specifier → packed module name, as node resolved it at build time. */
  deps: Record<string, string>;
  /** This module's code cache: bytes [cacheStart, cacheEnd) of index.pack.cache (absent: none). */
  cacheStart?: number;
  cacheEnd?: number;
}

/** The pack's first line. */
export interface PackHeader {
  /** Changed by every build: the code cache is used only with the pack it was made from. */
  token: string;
  node: string;
  modules: PackedModule[];
}

const DIST = join(__dirname, '..');
export const PACK = join(DIST, 'index.pack');
export const PACK_CACHE = join(DIST, 'index.pack.cache');

// biome-ignore lint/suspicious/noExplicitAny: node's Module class (its internals are not in @types/node's typings)
type ModuleClass = any;
type Mod = NodeJS.Module & { paths: string[]; loaded: boolean; filename: string };

/** The scripts compiled from the pack in this process, for savePackCache. */
const compiled: { name: string; script: Script }[] = [];
/** How the last runPacked went: modules run from the pack, and how many of them used the code cache. */
export const packStats = { packed: 0, cached: 0, native: 0 };

/**
 * Run dist/index.js (`entry`, node's own module object for it) and the modules it requires from the pack. False
 * when there is no usable pack (then the caller runs its compiled code).
 */
export function runPacked(entry: NodeJS.Module): boolean {
  if (typeof (globalThis as { Deno?: unknown }).Deno !== 'undefined') return false;
  let text: string;
  try {
    text = readFileSync(PACK, 'utf8');
  } catch {
    return false;
  }
  const nl = text.indexOf('\n');
  const header: PackHeader = JSON.parse(text.slice(0, nl));
  const body = nl + 1;
  const byName = new Map(header.modules.map((m) => [m.name, m]));
  const packedPath = (file: string) => {
    const name = relative(DIST, file).split(sep).join('/');
    return byName.has(name) ? name : undefined;
  };
  const index = byName.get('index.js');
  if (!index) return false;
  const cache = header.node === process.version ? codeCache(header.token) : undefined;
  const vm = require('node:vm') as typeof import('node:vm');
  const Module: ModuleClass = require('node:module');

  const makeRequire = (mod: Mod, deps: Record<string, string>) => {
    const req = ((id: string) => {
      const target = deps[id] ?? (isAbsolute(id) && id.startsWith(DIST) ? packedPath(id) : undefined);
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

  const run = (p: PackedModule, mod: Mod) => {
    const filename = join(DIST, p.name);
    const cachedData = cache && p.cacheStart !== undefined ? cache.subarray(p.cacheStart, p.cacheEnd) : undefined;
    const script = new vm.Script(
      `(function (exports, require, module, __filename, __dirname) { ${text.slice(body + p.start, body + p.end)}\n})`,
      { filename, cachedData },
    );
    packStats.packed++;
    if (cachedData && !script.cachedDataRejected) packStats.cached++;
    compiled.push({ name: p.name, script });
    script
      .runInThisContext()
      .call(mod.exports, mod.exports, makeRequire(mod, p.deps), mod, filename, dirname(filename));
  };

  // Node's Module._load for a file, with the source taken from the pack: cached first, registered before it runs,
  // removed again if it throws.
  const load = (name: string, parent: Mod): unknown => {
    const filename = join(DIST, name);
    const cached: Mod | undefined = Module._cache[filename];
    if (cached) {
      if (!parent.children.includes(cached)) parent.children.push(cached);
      return cached.exports;
    }
    const p = byName.get(name);
    if (!p || !fresh(p, filename)) {
      packStats.native++;
      return parent.require(filename);
    }
    const mod: Mod = new Module(filename, parent);
    mod.filename = filename;
    mod.paths = Module._nodeModulePaths(dirname(filename));
    Module._cache[filename] = mod;
    try {
      run(p, mod);
    } catch (e) {
      delete Module._cache[filename];
      throw e;
    }
    mod.loaded = true;
    return mod.exports;
  };

  run(index, entry as Mod);
  return true;
}

/** Whether dist/'s file is still the one packed (same size and modification time). */
function fresh(p: PackedModule, filename: string): boolean {
  try {
    const s = statSync(filename);
    return s.size === p.size && s.mtimeMs === p.mtimeMs;
  } catch {
    return false;
  }
}

/** The code cache, if it was made with this pack (its first line is the pack's token). */
function codeCache(token: string): Buffer | undefined {
  try {
    const buf = readFileSync(PACK_CACHE);
    const nl = buf.indexOf(10);
    return buf.toString('latin1', 0, nl) === token ? buf.subarray(nl + 1) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Write V8's code cache for the modules this process ran from the pack (the build calls it after importing the
 * package), with their places in the cache added to the pack's header. Throws when nothing ran from the pack.
 */
export function savePackCache(): void {
  if (!compiled.length) throw new Error(`nothing was loaded from ${PACK}: no code cache to save`);
  const text = readFileSync(PACK, 'utf8');
  const nl = text.indexOf('\n');
  const header: PackHeader = JSON.parse(text.slice(0, nl));
  const parts: Buffer[] = [Buffer.from(`${header.token}\n`, 'latin1')];
  let at = 0;
  const byName = new Map(header.modules.map((m) => [m.name, m]));
  for (const { name, script } of compiled) {
    const data = script.createCachedData();
    const m = byName.get(name);
    if (!m) continue;
    m.cacheStart = at;
    m.cacheEnd = at + data.length;
    at += data.length;
    parts.push(data);
  }
  writeFileSync(PACK_CACHE, Buffer.concat(parts));
  writeFileSync(PACK, `${JSON.stringify(header)}\n${text.slice(nl + 1)}`);
}
