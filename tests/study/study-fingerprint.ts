/**
 * The full output of studyPanel() in a stable text form, for comparing two builds bit for bit (issue #29: every
 * speed-up of the study pipeline must leave the panel, reports, weights and provenance as they were).
 *
 *   node --import tsx tests/study/study-fingerprint.ts ROOT OUT [INPUT_DIR]
 *
 * ROOT is a folder with a built dist/ (this worktree, or a copy of an older build beside data/ and node_modules/).
 * Writes OUT.<case>.txt per case and prints one SHA-256 per case; run it on two builds and diff the printouts
 * (and the .txt files where they differ). Every column of every table is written value by value in table order
 * (numbers as their shortest round-trip text, which is exact, with -0 and NaN named; typed arrays elsewhere as the
 * hex of their Float64 bits), every report with its toString() and toHtml(), the weights tables with labels too.
 * Paths are written relative to ROOT. INPUT_DIR (made by fingerprint-inputs.ts) may hold null.csv,
 * researcher-gbk.csv, units.csv and shuffled.csv; cases whose file is absent are skipped. `fingerprint` gives one
 * study's text (tests/study/panel-cache.test.ts compares the cached default panel with a computed one by it).
 */
import { existsSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';

const num = (v: number) => (Object.is(v, -0) ? '-0' : Number.isNaN(v) ? 'NaN' : String(v));

function column(a: any): string {
  if (!ArrayBuffer.isView(a))
    return `${a.constructor.name}[${Array.from(a as ArrayLike<unknown>, (x) => ser(x)).join(',')}]`;
  const t = a as unknown as ArrayLike<number>;
  const f = Float64Array.from(t, Number);
  return `${a.constructor.name}[${t.length}]:${Buffer.from(f.buffer).toString('hex')}`;
}

function ser(v: any, seen = new Set<unknown>()): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undef';
  if (typeof v === 'number') return num(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (typeof v === 'function') return 'fn';
  if (ArrayBuffer.isView(v)) return column(v);
  if (typeof v.columnNames === 'function' && typeof v.array === 'function') {
    const cols = (v.columnNames() as string[]).map((n) => `${JSON.stringify(n)}:${column(v.array(n))}`);
    return `table(${v.numRows()}){${cols.join(';')}}`;
  }
  if (seen.has(v)) return 'cycle';
  seen.add(v);
  let s: string;
  if (Array.isArray(v)) s = `[${v.map((x) => ser(x, seen)).join(',')}]`;
  else {
    const parts = Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${ser(v[k], seen)}`);
    for (const f of ['toString', 'toHtml'])
      if (Object.hasOwn(v, f) && typeof v[f] === 'function') parts.push(`${f}()=${JSON.stringify(v[f]())}`);
    if (typeof v.withLabels === 'function') {
      const w = v.withLabels({ wage: 'WAGE', Labourers: 'LAB' });
      parts.push(`withLabels=${JSON.stringify(w.toHtml())}${JSON.stringify(w.toString())}`);
    }
    s = `{${parts.join(',')}}`;
  }
  seen.delete(v);
  return s;
}

/** The fingerprint text of one study (or any value), with paths under `root` written as ROOT. */
export function fingerprint(study: unknown, root: string): string {
  return ser(study).split(resolve(root)).join('ROOT');
}

const cases: [string, string | undefined, object][] = [
  ['default', undefined, {}],
  ['default-year', undefined, { winsorizeWithin: 'year', pooling: 'year' }],
  ['default-nowins', undefined, { winsorizeIndicators: null, interpolate: false }],
  ['default-wins5', undefined, { winsorizeIndicators: [0.05, 0.9] }],
  ['null', 'null.csv', {}],
  ['null-year', 'null.csv', { pooling: 'year', winsorizeWithin: 'year' }],
  ['gbk', 'researcher-gbk.csv', {}],
  ['gbk-year', 'researcher-gbk.csv', { pooling: 'year', winsorizeWithin: 'year' }],
  ['gbk-noint', 'researcher-gbk.csv', { interpolate: false }],
  ['units', 'units.csv', {}],
  ['shuffled', 'shuffled.csv', { winsorizeWithin: 'year' }],
];
function main(): void {
  const [root, out, inputs] = process.argv.slice(2);
  if (!root || !out) {
    console.error('usage: node --import tsx tests/study/study-fingerprint.ts ROOT OUT [INPUT_DIR]');
    process.exit(2);
  }
  // The build under test, not this worktree's sources.
  const m = require(join(resolve(root), 'dist', 'index.js'));
  for (const [name, file, options] of cases) {
    const path = file && inputs ? join(inputs, file) : undefined;
    if (file && !(path && existsSync(path))) continue;
    const text = fingerprint(m.studyPanel(path, options), root);
    writeFileSync(`${out}.${name}.txt`, text);
    console.log(`${name} ${createHash('sha256').update(text).digest('hex')}`);
  }
}

if (require.main === module) main();
