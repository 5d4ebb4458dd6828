import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as aq from 'arquero';
import { parseCsv } from '../src/data/csv';

export const FIXTURES = join(__dirname, 'fixtures');

/** A fixture CSV as an arquero table: numeric columns as Float64Array, text columns as strings. */
export function fixtureTable(file: string): any {
  const raw = parseCsv(readFileSync(join(FIXTURES, file), 'utf8'), file);
  const cols: Record<string, unknown> = {};
  raw.names.forEach((nm, c) => {
    const vals = raw.columns[c];
    const nums = vals.map((v) => (v === '' || v === 'NA' ? NaN : Number(v)));
    cols[nm] = nums.every((x, i) => !Number.isNaN(x) || vals[i] === '' || vals[i] === 'NA') ? Float64Array.from(nums) : vals;
  });
  return aq.table(cols as any);
}

export function readJson(file: string): any {
  return JSON.parse(readFileSync(join(FIXTURES, file), 'utf8'));
}

/** Relative difference, with an absolute floor for values near zero. */
export function relDiff(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
}
