/** The default panel's truth: data/truth.json (parameters) and data/latent.csv (latent NQP*, R*, confounder, …). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as aq from 'arquero';
import { parseCsv } from '../data/csv';
import { cellNumber } from '../data/missing';
import { dataDir } from '../data/reference';
import type { Table } from '../data/table';

/** data/truth.json: the structural model's parameters and the effects they imply (data/README.md explains each). */
export interface Truth {
  description: string;
  seed: number;
  beta_direct: number;
  total_effect: number;
  indirect_effects: Record<string, number>;
  indirect_shares: Record<string, number>;
  /** Mean direct effect β_i of the cities in each group and of the others. */
  group_direct_effects: Record<string, { in_group: number; others: number }>;
  year_effects: Record<string, number>;
  [key: string]: unknown;
}

export function loadTruth(): Truth {
  return JSON.parse(readFileSync(join(dataDir(), 'truth.json'), 'utf8'));
}

/** Latent variables of the default panel as an arquero table (numeric columns). */
export function loadLatent(): Table {
  const raw = parseCsv(readFileSync(join(dataDir(), 'latent.csv'), 'utf8'), 'data/latent.csv');
  const cols: Record<string, Float64Array> = {};
  raw.names.forEach((nm, c) => {
    cols[nm] = Float64Array.from(raw.columns[c], (v, i) =>
      cellNumber(v, `data/latent.csv, column "${nm}", line ${i + 2}`),
    );
  });
  return aq.table(cols) as Table;
}
