import { resolve } from 'node:path';
import { dataDir } from '../data/reference';
import { NqpError } from '../errors';
import { TRUTH, writeDefaultPanel } from '../simulate';

/** `nqp data [--out DIR]`: regenerate the default panel from the structural model (seed in truth.json). */
export async function cmdData(out?: string, seedText?: string): Promise<number> {
  const dir = out ? resolve(out) : dataDir();
  const seed = seedText === undefined ? TRUTH.seed : Number(seedText);
  if (!Number.isSafeInteger(seed))
    throw new NqpError('BAD_OPTION', '--seed', `--seed takes a whole number, got "${seedText}".`);
  const w = writeDefaultPanel(dir, seed);
  process.stdout.write(
    `seed ${seed}: ${w.rows} city-years, ${w.missing} missing cells, ${w.outliers} unit slips\n` +
      `  ${w.panel}\n  ${w.latent}\n  ${w.truth}\n`,
  );
  return 0;
}
