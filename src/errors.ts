/**
 * The one error class of nqp-resilience. `code` is stable (tests assert it), `where` names the column, formula
 * term, row or city-year at fault, and the message says what is wrong, where, and what to do.
 */
/** Each failure's own code (tests assert the code and `where`, never the wording). */
export type ErrorCode =
  /** A file or folder named does not exist. */
  | 'FILE_NOT_FOUND'
  /** A result computed under other settings than the settings cell now registers (a cell between not re-run). */
  | 'STALE_RESULT'
  /** A file extension no reader handles. */
  | 'UNKNOWN_FORMAT'
  /** A file, sheet or stream with no data. */
  | 'EMPTY_FILE'
  /** A CSV delimiter that is wrong for the file or not one character. */
  | 'BAD_DELIMITER'
  /** A column the codebook or the command needs is absent. */
  | 'MISSING_COLUMN'
  /** Text where a number is needed. */
  | 'NON_NUMERIC'
  /** An infinite or overflowed value. */
  | 'NON_FINITE'
  /** The dependent variable also on the right-hand side. */
  | 'OUTCOME_ON_RHS'
  /** A dependent variable without variation. */
  | 'CONSTANT_OUTCOME'
  /** Two rows for one unit and period. */
  | 'DUPLICATE_KEY'
  /** A year outside the study's range. */
  | 'YEAR_OUT_OF_RANGE'
  /** A city code or name not in data/cities.csv. */
  | 'UNKNOWN_CITY'
  /** A file shorter than its header declares. */
  | 'TRUNCATED_FILE'
  /** A file that is corrupt, hostile or not a regular file. */
  | 'BAD_FILE'
  /** One cell that has no safe reading (decimal comma, hexadecimal, …). */
  | 'BAD_CELL'
  /** Bytes that are neither UTF-8 nor GB18030, or both mixed. */
  | 'BAD_ENCODING'
  /** A logarithm of a negative value (log(0) drops the row, counted). */
  | 'NON_POSITIVE_LOG'
  /** A model value so large that its square overflows double precision. */
  | 'VALUE_TOO_LARGE'
  /** A formula that does not parse. */
  | 'FORMULA_SYNTAX'
  /** A formula term, cluster or option naming a column the data lack. */
  | 'UNKNOWN_VARIABLE'
  /** A fixed effect with one level in the sample. */
  | 'SINGLE_LEVEL_FE'
  /** No rows left to fit. */
  | 'NO_OBSERVATIONS'
  /** Fewer rows than parameters. */
  | 'TOO_FEW_OBSERVATIONS'
  /** Missing values where clusters or groups must be complete. */
  | 'MISSING_CLUSTER'
  /** A model that cannot be estimated (too few instruments, …). */
  | 'NOT_IDENTIFIED'
  /** A function option with a value out of its range. */
  | 'BAD_OPTION'
  /** A vcov specification that does not parse. */
  | 'BAD_VCOV'
  /** A clustering that cannot be used (one cluster, a unit in two clusters). */
  | 'BAD_CLUSTER'
  /** Panel keys (unit, time) needed but not given, or missing in a row. */
  | 'MISSING_KEYS'
  /** A command-line flag that is unknown, repeated, missing its value or given a bad one. */
  | 'BAD_FLAG'
  /** A model result copied or read from JSON where the fitted object is needed. */
  | 'NO_FIT_STATE'
  /** A group split that is not 0/1 per city. */
  | 'BAD_GROUP'
  /** A worksheet that does not exist or does not apply. */
  | 'BAD_SHEET'
  /** A series that must be constant or consecutive and is not. */
  | 'INCONSISTENT_SERIES'
  /** An index indicator without variation. */
  | 'CONSTANT_INDICATOR'
  /** A group with too few clusters. */
  | 'EMPTY_GROUP'
  /** A regressor absorbed by the fixed effects. */
  | 'NO_WITHIN_VARIATION'
  /** A notebook that could not be run or changed. */
  | 'NOTEBOOK_FAILED'
  /** An output path that would overwrite the user's files. */
  | 'UNSAFE_OUTPUT'
  /** The Jupyter kernel failed. */
  | 'KERNEL'
  /** A worker thread of a computation failed or did not answer. */
  | 'WORKER_FAILED';

export class NqpError extends Error {
  readonly code: ErrorCode;
  readonly where: string;
  constructor(code: ErrorCode, where: string, message: string) {
    super(escapeControls(message));
    this.name = 'NqpError';
    this.code = code;
    this.where = escapeControls(where);
  }

  /**
   * How a notebook shows it: tslab prints a failed cell's error with util.inspect, which would print a stack of
   * compiled dist/ code. A library error is the reader's to fix, so it prints its code, place, message and fix.
   */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `NqpError [${this.code}] at ${this.where}:\n${this.message}`;
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
