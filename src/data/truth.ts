/** The default panel's truth: data/truth.json (parameters) and data/latent.csv (latent NQP*, R*, confounder, …). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as aq from 'arquero';
import { parseCsv } from './csv';
import { dataDir, type Table } from './load';

export function loadTruth(): any {
  return JSON.parse(readFileSync(join(dataDir(), 'truth.json'), 'utf8'));
}

/** Latent variables of the default panel as an arquero table (numeric columns). */
export function loadLatent(): Table {
  const raw = parseCsv(readFileSync(join(dataDir(), 'latent.csv'), 'utf8'), 'data/latent.csv');
  const cols: Record<string, Float64Array> = {};
  raw.names.forEach((nm, c) => { cols[nm] = Float64Array.from(raw.columns[c], Number); });
  return aq.table(cols) as Table;
}
