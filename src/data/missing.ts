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
