// The size rules biome does not check: no file in src/ over 350 lines, no line in src/ or tests/ over 120 characters.
const { readdirSync, readFileSync, statSync } = require('node:fs');
const { join } = require('node:path');

const MAX_FILE = 350;
const MAX_LINE = 120;
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
    if (checkFileLength && lines.length > MAX_FILE) problems.push(`${p}: ${lines.length} lines (max ${MAX_FILE})`);
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
