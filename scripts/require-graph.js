// The compiled files a module needs, found as node would resolve its requires. Used by pack-dist.js (which modules
// a pack holds) and write-panel-cache.js (which files the cached study panel was computed by).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { createRequire } = require('node:module');

/**
 * The files reachable from `starts` through string-literal requires that node resolves to a .js or .cjs file for
 * which `keep(file)` holds, in the order met: each with its text (`sources` overrides a file's) and the file each of
 * its requires leads to.
 */
function requireGraph(starts, keep, sources = {}) {
  const out = [];
  const seen = new Set();
  const queue = [...starts];
  while (queue.length) {
    const file = queue.shift();
    if (seen.has(file)) continue;
    seen.add(file);
    const source = sources[file] ?? fs.readFileSync(file, 'utf8');
    const resolve = createRequire(file).resolve;
    const deps = {};
    for (const [, , spec] of source.matchAll(/\brequire\(\s*(["'])([^"'\n]+)\1\s*\)/g)) {
      let target;
      try {
        target = resolve(spec);
      } catch {
        continue; // not installed (an optional dependency), or not a literal require after all
      }
      if (!path.isAbsolute(target) || !/\.c?js$/.test(target) || !keep(target)) continue;
      deps[spec] = target;
      queue.push(target);
    }
    out.push({ file, source, deps });
  }
  return out;
}

module.exports = { requireGraph };
