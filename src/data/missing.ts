/**
 * The one missing-value rule for values already in a table's columns (what the readers made, or what a researcher
 * built in code): null, undefined, '' and NaN are missing. feols, the resampling estimators, the fixed-effect and
 * cluster keys, the simulator's latent table and the tests' fixtures all ask this file. Text cells of a file are
 * read by the cell rule (cells.ts), which decides which tokens (NA, ., …) are missing before a value reaches a column.
 */
import { NqpError } from '../errors';
import { readCell } from './cells';

/** True when a column value is missing. */
export function isMissing(v: unknown): boolean {
  return v === null || v === undefined || v === '' || (typeof v === 'number' && Number.isNaN(v));
}

/** One text cell as a number under the cell rule: NaN when missing; an NqpError naming `where` otherwise. */
export function cellNumber(text: string, where: string): number {
  const c = readCell(text.trim());
  if (c.kind === 'number') return c.value;
  if (c.kind === 'missing') return NaN;
  throw new NqpError(
    'NON_NUMERIC',
    where,
    `${where} holds "${text.slice(0, 30)}", ${c.kind === 'bad' ? c.reason : 'which is not a number'}.`,
  );
}

/**
 * A column's values as numbers under this rule: missing → NaN, numbers as they are, numeric text read as a number;
 * other text is an NqpError (NON_NUMERIC) naming the column, `where` and the row, and so is ±Infinity (NON_FINITE:
 * an overflowed or corrupt value would turn every statistic into NaN or a false zero). A Float64Array is checked and
 * returned as it is.
 */
export function numbersOf(a: ArrayLike<unknown>, name: string, where: string, hint = ''): Float64Array {
  // Numbers already (often a table's own column, which must not be written to): only ±Infinity needs a look.
  if (a instanceof Float64Array) {
    for (let i = 0; i < a.length; i++) if (a[i] === Infinity || a[i] === -Infinity) nonFinite(name, where, a[i], i);
    return a;
  }
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    if (isMissing(v)) {
      out[i] = NaN;
      continue;
    }
    const x = typeof v === 'number' ? v : Number(v);
    if (Number.isNaN(x) && typeof v === 'string') {
      throw new NqpError(
        'NON_NUMERIC',
        `${where}, row ${i + 1}`,
        `Column "${name}" (${where}) holds text ("${String(v).slice(0, 30)}" at row ${i + 1}).` +
          (hint ? ` ${hint}` : ''),
      );
    }
    if (x === Infinity || x === -Infinity) nonFinite(name, where, x, i);
    out[i] = x;
  }
  return out;
}

function nonFinite(name: string, where: string, x: number, i: number): never {
  throw new NqpError(
    'NON_FINITE',
    `${where}, row ${i + 1}`,
    `Column "${name}" (${where}) holds ${x} at row ${i + 1}: an overflowed or corrupt value. ` +
      'Fix the cell or set it to missing.',
  );
}
