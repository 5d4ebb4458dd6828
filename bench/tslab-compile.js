// The TypeScript work tslab does for one notebook, without running any cell: the converter the kernel builds
// (tslab's own createConverter) is fed every code cell in order, as the kernel does before it executes a cell.
// Prints the process's CPU seconds (all threads) as JSON. Used by bench/run.ts.
//   node bench/tslab-compile.js NOTEBOOK.ipynb   (run with the notebook's folder as the working folder)
const { readFileSync } = require('node:fs');
const start = process.cpuUsage();
const { createConverter } = require('tslab/dist/converter');
const nb = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const conv = createConverter({ isJS: false, isBrowser: false });
let decls = '';
let cells = 0;
let diagnostics = 0;
for (const cell of nb.cells) {
  if (cell.cell_type !== 'code') continue;
  const r = conv.convert(decls, [].concat(cell.source).join(''));
  cells++;
  diagnostics += r.diagnostics.length;
  if (r.declOutput !== undefined) decls = r.declOutput;
}
const used = process.cpuUsage(start);
process.stdout.write(JSON.stringify({ cells, diagnostics, cpu_s: (used.user + used.system) / 1e6 }) + '\n');
process.exit(0); // the converter's file watchers would keep the process alive
