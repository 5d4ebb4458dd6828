/**
 * Writes the benchmark panels as CSV: `units × periods` rows, 10 regressors, unit and period effects, seeded.
 * Used by bench/run.ts (the command line end to end) and bench/fixest.R (fixest on the same file).
 *   node --import tsx bench/panel-csv.ts OUT.csv UNITS PERIODS [SEED]
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { Rng } from '../src/math/rng';

export const BENCH_REGRESSORS = 10;

export function writeBenchCsv(path: string, units: number, periods: number, seed = 1): void {
  const rng = new Rng(seed);
  const fd = openSync(path, 'w');
  const k = BENCH_REGRESSORS;
  let buf = `id,t,y,${Array.from({ length: k }, (_, j) => `x${j}`).join(',')}\n`;
  const x = new Float64Array(k);
  for (let u = 0; u < units; u++) {
    const ua = rng.normal();
    for (let t = 0; t < periods; t++) {
      let y = ua + 0.1 * t;
      for (let j = 0; j < k; j++) {
        x[j] = rng.normal() + 0.5 * ua;
        y += 0.1 * (j + 1) * x[j];
      }
      y += rng.normal();
      buf += `${u},${t},${y.toPrecision(10)}`;
      for (let j = 0; j < k; j++) buf += `,${x[j].toPrecision(10)}`;
      buf += '\n';
      if (buf.length > 1 << 20) {
        writeSync(fd, buf);
        buf = '';
      }
    }
  }
  writeSync(fd, buf);
  closeSync(fd);
}

if (require.main === module) {
  const [out, units, periods, seed] = process.argv.slice(2);
  writeBenchCsv(out, Number(units), Number(periods), seed ? Number(seed) : 1);
}
