/**
 * The one error class of nqp-resilience. `code` is stable (tests assert it), `where` names the column, formula
 * term, row or city-year at fault, and the message says what is wrong, where, and what to do.
 */
export type ErrorCode =
  | 'FILE_NOT_FOUND'
  | 'UNKNOWN_FORMAT'
  | 'EMPTY_FILE'
  | 'BAD_DELIMITER'
  | 'MISSING_COLUMN'
  | 'NON_NUMERIC'
  | 'NON_FINITE'
  | 'OUTCOME_ON_RHS'
  | 'CONSTANT_OUTCOME'
  | 'DUPLICATE_KEY'
  | 'YEAR_OUT_OF_RANGE'
  | 'UNKNOWN_CITY'
  | 'TRUNCATED_FILE'
  | 'BAD_FILE'
  | 'BAD_CELL'
  | 'BAD_ENCODING'
  | 'NON_POSITIVE_LOG'
  | 'FORMULA_SYNTAX'
  | 'UNKNOWN_VARIABLE'
  | 'SINGLE_LEVEL_FE'
  | 'NO_OBSERVATIONS'
  | 'TOO_FEW_OBSERVATIONS'
  | 'MISSING_CLUSTER'
  | 'NOT_IDENTIFIED'
  | 'BAD_OPTION'
  | 'BAD_VCOV'
  | 'BAD_CLUSTER'
  | 'CONSTANT_INDICATOR'
  | 'EMPTY_GROUP'
  | 'NO_WITHIN_VARIATION'
  | 'NOTEBOOK_FAILED'
  | 'UNSAFE_OUTPUT'
  | 'KERNEL';

export class NqpError extends Error {
  readonly code: ErrorCode;
  readonly where: string;
  constructor(code: ErrorCode, where: string, message: string) {
    super(message);
    this.name = 'NqpError';
    this.code = code;
    this.where = where;
  }
}

/** Closest candidate by edit distance, for "closest is ..." hints; undefined when nothing is near. */
export function closest(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  const a = name.toLowerCase();
  for (const c of candidates) {
    const d = editDistance(a, c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return bestD <= Math.max(2, Math.floor(name.length / 2)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length];
}
