import { resolve } from 'node:path';
import { dataDir } from '../data/load';
import { writeDefaultPanel } from '../data/write';
import { TRUTH } from '../data/generate';

/** `nqp data [--out DIR] [--seed N]`: regenerate the default panel from the structural model. */
export async function cmdData(flags: Map<string, string | true>): Promise<number> {
  const out = typeof flags.get('out') === 'string' ? resolve(flags.get('out') as string) : dataDir();
  const seed = typeof flags.get('seed') === 'string' ? Number(flags.get('seed')) : TRUTH.seed;
  const w = writeDefaultPanel(out, seed);
  process.stdout.write(`seed ${seed}: ${w.rows} city-years, ${w.missing} missing cells, ${w.outliers} unit slips\n  ${w.panel}\n  ${w.latent}\n  ${w.truth}\n`);
  return 0;
}
