/** The default panel's truth: data/truth.json (parameters) and data/latent.csv (latent NQP*, R*, confounder, …). */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { displayPath, recordSource, truthBeside } from '../data/provenance';
import { NqpError } from '../errors';
import { aq } from '../data/aq';
import { parseCsv } from '../data/csv';
import { cellNumber } from '../data/missing';
import { defaultPanelPath } from '../data/reference';
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

export function loadTruth(data?: string): Truth & { file: string } {
  const file = truthFile(data, 'truth.json');
  return { ...JSON.parse(readFileSync(file, 'utf8')), file: displayPath(file) };
}

/** Whether the known truth exists for this data file: the default panel, or a truth.json beside it (`nqp data`). */
export function hasTruth(data?: string): boolean {
  return truthBeside(data) !== undefined;
}

/** A truth file beside the data file (the default panel's when `data` is undefined), or a named error. */
function truthFile(data: string | undefined, name: string): string {
  const file = join(dirname(resolve(data ?? defaultPanelPath())), name);
  if (!existsSync(file))
    throw new NqpError(
      'FILE_NOT_FOUND',
      file,
      `No ${name} beside ${data ?? 'the default panel'}: the known truth exists only for panels simulated by ` +
        '`nqp data --out DIR` (which writes panel.csv, latent.csv and truth.json together). ' +
        'Check hasTruth(DATA) first.',
    );
  return file;
}

/**
 * Latent variables as an arquero table (numeric columns): the default panel's data/latent.csv, or the latent.csv
 * beside `data` (as `nqp data --out DIR` writes it). Models fitted on it are stamped with that file.
 */
export function loadLatent(data?: string): Table {
  const file = truthFile(data, 'latent.csv');
  const where = displayPath(file);
  const raw = parseCsv(readFileSync(file, 'utf8'), where);
  const cols: Record<string, Float64Array> = {};
  raw.names.forEach((nm, c) => {
    cols[nm] = Float64Array.from(raw.columns[c], (v, i) => cellNumber(v, `${where}, column "${nm}", line ${i + 2}`));
  });
  const t = aq.table(cols) as Table;
  recordSource(t, file, { rows: t.numRows(), builtBy: 'loadLatent', latest: false });
  return t;
}
