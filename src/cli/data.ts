import { resolve } from 'node:path';
import { dataDir } from '../data/reference';
import { NqpError } from '../errors';
import { TRUTH, writeDefaultPanel } from '../simulate';

export interface DataFlags {
  seed?: string;
  nullEffect?: boolean;
  cities?: string;
  years?: string;
}

function whole(flag: string, text: string): number {
  const v = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(v))
    throw new NqpError('BAD_OPTION', `--${flag}`, `--${flag} takes a whole number, got "${text}".`);
  return v;
}

/**
 * `nqp data [--out DIR] [--seed N] [--null-effect] [--cities N] [--years A-B]`: regenerate the default panel from
 * the structural model (seed in truth.json), or write a simulated extract beside it for checking the notebooks.
 */
export async function cmdData(out: string | undefined, f: DataFlags = {}): Promise<number> {
  const extract = f.nullEffect || f.cities !== undefined || f.years !== undefined;
  if (extract && !out)
    throw new NqpError(
      'BAD_OPTION',
      '--out',
      'An extract (--null-effect, --cities, --years) needs --out DIR: data/ holds the default panel.',
    );
  const dir = out ? resolve(out) : dataDir();
  const seed = f.seed === undefined ? TRUTH.seed : whole('seed', f.seed);
  let years: [number, number] | undefined;
  if (f.years !== undefined) {
    const m = /^\s*(\d{4})\s*[-–:]\s*(\d{4})\s*$/.exec(f.years);
    if (!m) throw new NqpError('BAD_OPTION', '--years', `--years takes FROM-TO, e.g. 2011-2019; got "${f.years}".`);
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
