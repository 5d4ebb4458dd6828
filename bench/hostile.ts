// Hostile files (tests/data/bad-inputs.test.ts asserts what each one gives; here, how long each takes): a header of
// 100,000 columns, a .dta declaring 10^15 observations, an .xlsx zip bomb (120 MB of zeros, about 120 KB packed).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFrame } from '../src/data';
import { writeDta118 } from '../tests/helpers';

export function benchHostile(): Record<string, number> {
  const dir = mkdtempSync(join(tmpdir(), 'nqp-hostile-'));
  const cases: Record<string, () => Buffer | string> = {
    wide_header_100k_columns: () => {
      const names = Array.from({ length: 100_000 }, (_, i) => `c${i}`);
      return `${names.join(',')}\n${names.map((_, i) => i).join(',')}\n`;
    },
    dta_declaring_1e15_rows: () => {
      const b = writeDta118(['x'], [Float64Array.from([1])]);
      b.writeBigUInt64LE(10n ** 15n, b.indexOf('<N>') + 3);
      return b;
    },
    xlsx_zip_bomb_120mb: () => {
      const { zipSync } = require('fflate');
      const zeros = new Uint8Array(120 << 20);
      return Buffer.from(zipSync({ 'xl/workbook.xml': new Uint8Array(10), 'xl/worksheets/sheet1.xml': zeros }));
    },
  };
  const ext: Record<string, string> = { wide_header_100k_columns: 'csv', dta_declaring_1e15_rows: 'dta' };
  const out: Record<string, number> = {};
  for (const [name, make] of Object.entries(cases)) {
    const p = join(dir, `${name}.${ext[name] ?? 'xlsx'}`);
    writeFileSync(p, make());
    const t0 = performance.now();
    try {
      readFrame(p);
    } catch {
      /* refused, as the test asserts */
    }
    out[`${name}_ms`] = performance.now() - t0;
  }
  rmSync(dir, { recursive: true, force: true });
  return out;
}
