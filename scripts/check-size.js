// The size rules biome does not check: no file in src/ over 350 lines, no line in src/ or tests/ over 120 characters.
const { readdirSync, readFileSync, statSync } = require('node:fs');
const { join } = require('node:path');

const MAX_FILE = 350;
const MAX_LINE = 120;
// Files still over MAX_FILE, each with the ceiling it may not grow past; splitting them is open work (issue 12).
const OVER = {
  'src/simulate/generate.ts': 450,
  'src/data/load.ts': 430,
  'src/estimate/iv-diagnostics.ts': 400,
  'src/math/linalg.ts': 390,
  'src/charts/specs.ts': 365,
};
const problems = [];
function walk(dir, checkFileLength) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name !== 'fixtures' && name !== '.tmp') walk(p, checkFileLength);
      continue;
    }
    if (!/\.(ts|js)$/.test(name)) continue;
    const lines = readFileSync(p, 'utf8').split('\n');
    const max = OVER[p] ?? MAX_FILE;
    if (checkFileLength && lines.length > max) problems.push(`${p}: ${lines.length} lines (max ${max})`);
    lines.forEach((l, i) => {
      if ([...l].length > MAX_LINE) problems.push(`${p}:${i + 1}: ${[...l].length} characters (max ${MAX_LINE})`);
    });
  }
}
walk('src', true);
walk('tests', false);
walk('bench', false);
walk('scripts', false);
for (const p of problems) console.error(p);
if (problems.length) {
  console.error(`${problems.length} size problem(s)`);
  process.exit(1);
}
