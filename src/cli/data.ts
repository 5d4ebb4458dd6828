import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { dataDir } from '../data/reference';
import { NqpError } from '../errors';
import { TRUTH, writeDefaultPanel } from '../simulate';
import { studyPanel, writeStudyPanel } from '../study';

export interface DataFlags {
  seed?: string;
  nullEffect?: boolean;
  cities?: string;
  years?: string;
  /** Write the study panel (every derived column) instead of a simulated panel. */
  derived?: boolean;
  /** With derived: the raw panel to build it from. */
  data?: string;
}

function whole(flag: string, text: string): number {
  const v = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(v))
    throw new NqpError('BAD_FLAG', `--${flag}`, `--${flag} takes a whole number, got "${text}".`);
  return v;
}

/**
 * `nqp data [--out DIR] [--seed N] [--null-effect] [--cities N] [--years A-B]`: regenerate the default panel from
 * the structural model (seed in truth.json), or write a simulated extract beside it for checking the notebooks.
 */
export async function cmdData(out: string | undefined, f: DataFlags = {}): Promise<number> {
  if (f.derived) return derivedPanel(out, f);
  if (f.data !== undefined)
    throw new NqpError(
      'BAD_FLAG',
      '--data',
      '--data goes with --derived (the raw panel to build the study panel from).',
    );
  const extract = f.nullEffect || f.cities !== undefined || f.years !== undefined;
  if (extract && !out)
    throw new NqpError(
      'BAD_FLAG',
      '--out',
      'An extract (--null-effect, --cities, --years) needs --out DIR: data/ holds the default panel.',
    );
  const dir = out ? resolve(out) : dataDir();
  const seed = f.seed === undefined ? TRUTH.seed : whole('seed', f.seed);
  let years: [number, number] | undefined;
  if (f.years !== undefined) {
    const m = /^\s*(\d{4})\s*[-–:]\s*(\d{4})\s*$/.exec(f.years);
    if (!m) throw new NqpError('BAD_FLAG', '--years', `--years takes FROM-TO, e.g. 2011-2019; got "${f.years}".`);
    years = [Number(m[1]), Number(m[2])];
  }
  const cities = f.cities === undefined ? undefined : whole('cities', f.cities);
  const w = writeDefaultPanel(dir, { seed, nullEffect: f.nullEffect, cities, years });
  process.stdout.write(
    `seed ${seed}${f.nullEffect ? ', true effect zero' : ''}: ${w.rows} city-years, ${w.missing} missing cells, ` +
      `${w.outliers} unit slips\n  ${w.panel}\n  ${w.latent}\n  ${w.truth}\n`,
  );
  return 0;
}

function derivedPanel(out: string | undefined, f: DataFlags): number {
  const other = f.seed ?? (f.nullEffect ? 'x' : undefined) ?? f.cities ?? f.years;
  if (other !== undefined)
    throw new NqpError(
      'BAD_FLAG',
      '--derived',
      '--derived writes the study panel of a data file; --seed, --null-effect, --cities and --years make a simulated ' +
        'panel. Write that first (nqp data --out DIR ...), then nqp data --derived --data DIR/panel.csv --out DIR2.',
    );
  if (!out)
    throw new NqpError('BAD_FLAG', '--out', 'nqp data --derived needs --out DIR (data/ holds the raw default panel).');
  const study = studyPanel(f.data);
  const dir = resolve(out);
  mkdirSync(dir, { recursive: true });
  const w = writeStudyPanel(study, dir);
  process.stdout.write(
    `study panel of ${f.data ?? 'the simulated default panel (data/panel.csv)'}: ${study.data.numRows()} city-years, ` +
      `${study.data.numCols()} columns\n  ${w.panel}\n  ${w.codebook}\n`,
  );
  return 0;
}
