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
  | 'MISSING_KEYS'
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
    super(escapeControls(message));
    this.name = 'NqpError';
    this.code = code;
    this.where = escapeControls(where);
  }
}

/**
 * Control characters written out: C0 (except tab and line feed), DEL and C1 as \x1b / \u009b, and the bidirectional
 * overrides (U+202A–202E, U+2066–2069) as \u202e, so that a header or cell quoted in a message cannot move the
 * cursor, clear a terminal, set its title (OSC) or reorder the text a reader sees.
 */
export function escapeControls(s: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const control =
      (c < 0x20 && c !== 9 && c !== 10) ||
      (c >= 0x7f && c <= 0x9f) ||
      (c >= 0x202a && c <= 0x202e) ||
      (c >= 0x2066 && c <= 0x2069);
    if (!control) continue;
    out +=
      s.slice(from, i) + (c < 0x80 ? `\\x${c.toString(16).padStart(2, '0')}` : `\\u${c.toString(16).padStart(4, '0')}`);
    from = i + 1;
  }
  return from === 0 ? s : out + s.slice(from);
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
