/**
 * vega and vega-lite, as the chart renderer loads them. Every notebook's kernel is a fresh node process, so their
 * loading and first compilation count in every kernel: about 0.12 s of CPU from the packages' 60-odd files. The
 * build (scripts/build.js) bundles the installed packages into one file, dist/vendor/vega.js, and records V8's code
 * cache for it after rendering a few charts (dist/vendor/vega.cache), so a kernel neither parses nor compiles again
 * the functions charts use: about 0.05 s. The cache is used only for the bundle it was made from (its SHA-1 is
 * stored beside it) and V8 refuses it when made by another node version (then the bundle is compiled as usual).
 * Run from src/ (the tests, under tsx), or under Deno, the packages themselves are loaded: the same code.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Script } from 'node:vm';

// biome-ignore lint/suspicious/noExplicitAny: vega's and vega-lite's APIs as the renderer uses them, untyped
export type VegaModules = { vega: any; vegaLite: any };

const VENDOR = join(__dirname, '..', 'vendor');
export const VEGA_BUNDLE = join(VENDOR, 'vega.js');
const CACHE = join(VENDOR, 'vega.cache');
const CACHE_SOURCE = join(VENDOR, 'vega.cache.sha1');

let loaded: VegaModules | undefined;
let script: Script | undefined;
let source = '';

/** Whether the last load used the recorded code cache (false: none, another bundle, or V8 refused it). */
export let vegaCacheUsed = false;

const sha1 = (text: string) =>
  (require('node:crypto') as typeof import('node:crypto')).createHash('sha1').update(text).digest('hex');

function fromBundle(): VegaModules {
  const vm = require('node:vm') as typeof import('node:vm');
  source = readFileSync(VEGA_BUNDLE, 'utf8');
  const ours = existsSync(CACHE) && existsSync(CACHE_SOURCE) && readFileSync(CACHE_SOURCE, 'utf8') === sha1(source);
  const cachedData = ours ? readFileSync(CACHE) : undefined;
  script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: VEGA_BUNDLE,
    cachedData,
  });
  vegaCacheUsed = !!cachedData && !script.cachedDataRejected;
  const mod = { exports: {} as VegaModules };
  script.runInThisContext()(mod.exports, require, mod, VEGA_BUNDLE, dirname(VEGA_BUNDLE));
  return mod.exports;
}

/** vega and vega-lite, loaded once per process. */
export function vegaModules(): VegaModules {
  if (loaded) return loaded;
  const deno = typeof (globalThis as { Deno?: unknown }).Deno !== 'undefined';
  loaded = existsSync(VEGA_BUNDLE) && !deno ? fromBundle() : { vega: require('vega'), vegaLite: require('vega-lite') };
  return loaded;
}

/**
 * Write V8's code cache for the loaded bundle, with the SHA-1 of the bundle it belongs to (the build calls this
 * after rendering some charts, so the functions they needed are in it). Throws when the bundle was not loaded.
 */
export function saveVegaCodeCache(): void {
  if (!script) throw new Error(`vega was not loaded from ${VEGA_BUNDLE}: no code cache to save`);
  writeFileSync(CACHE, script.createCachedData());
  writeFileSync(CACHE_SOURCE, sha1(source));
}
