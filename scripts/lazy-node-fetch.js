// Put in place of node-fetch in dist/vendor/vega.js (scripts/build.js): vega-loader hands node-fetch to its HTTP
// loader as it loads, but charts with inline data never fetch, and loading node-fetch (whatwg-url, tr46's mapping
// table) costs about 0.03 s of CPU in every kernel. This requires the installed node-fetch on the first fetch
// (the name held in a variable, so the bundler leaves the require to run time), or node's own fetch without it.
'use strict';
const name = 'node-fetch';
let real;
module.exports = function fetch(url, options) {
  if (!real) {
    try {
      real = require(name);
    } catch {
      real = globalThis.fetch;
    }
  }
  return real(url, options);
};
