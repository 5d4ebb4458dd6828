// Lets notebooks (and anything else inside the project) import the package by its name, 'nqp-resilience',
// exactly as a researcher's own project would after `npm install nqp-resilience`.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const root = path.resolve(__dirname, '..');
const link = path.join(root, 'node_modules', 'nqp-resilience');
function linkSelf() {
  try {
    const st = fs.lstatSync(link);
    if (st.isSymbolicLink() && fs.realpathSync(link) === fs.realpathSync(root)) return; // already linked
    fs.rmSync(link, { recursive: true, force: true });
  } catch {
    /* absent */
  }
  fs.mkdirSync(path.dirname(link), { recursive: true });
  fs.symlinkSync(path.relative(path.dirname(link), root), link, 'dir');
}
linkSelf();
