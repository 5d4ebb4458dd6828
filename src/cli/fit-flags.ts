/**
 * `nqp fit`'s flags: the table behind --help and the parsers that turn flag text into options, each refusing bad
 * text with the flag named.
 */
import { NqpError } from '../errors';
import { type FlagSpec, flagHelp, type Parsed, str } from './args';

export const FIT_FLAGS: FlagSpec = {
  data: { type: 'string', help: 'FILE: the panel (.csv, .dta, .xlsx or .parquet); with --study, the raw panel' },
  study: {
    type: 'boolean',
    help: "fit on the study panel (what the notebooks' studyPanel builds: indices, resilience, controls, groups)",
  },
  formula: { type: 'string', help: "'F': fixest formula, e.g. 'y ~ x1 + x2 | id + year' or 'y ~ w | id | x ~ z'" },
  vcov: {
    type: 'string',
    help: 'KIND: iid | hc1 | cluster:V | cluster:V1+V2 (default: cluster by the first fixed effect)',
  },
  panel: { type: 'string', help: 'ID,TIME: panel keys for l() and f() (default city_code,year when both exist)' },
  sheet: { type: 'string', help: 'NAME: the .xlsx worksheet to read (default: the first)' },
  delimiter: {
    type: 'string',
    help: "C: the CSV delimiter: one character, or tab (default ','; with ';' commas are decimal commas, refused)",
  },
  'drop-singletons': {
    type: 'boolean',
    help: 'drop singleton fixed-effect groups iteratively (reghdfe); default keeps them',
  },
  ssc: { type: 'string', help: 'PRESET: fixest (default) | reghdfe: how fixed-effect parameters are counted in K' },
  'fixef-k': { type: 'string', help: 'RULE: nested (default) | full | none: fixed effects in K (fixest fixef.K)' },
  'no-adj': { type: 'boolean', help: 'no (n−1)/(n−K) factor (fixest ssc(adj = FALSE))' },
  'no-cluster-adj': { type: 'boolean', help: 'no G/(G−1) factor (fixest ssc(cluster.adj = FALSE))' },
  tol: { type: 'string', help: 'X: convergence tolerance of the fixed-effect absorption (default 1e-10)' },
  'collin-tol': {
    type: 'string',
    help: 'X: relative norm below which a regressor counts as collinear (default 1e-10)',
  },
  level: { type: 'string', help: 'P: confidence level of the intervals (default 0.95)' },
  'wild-bootstrap': {
    type: 'string',
    help: 'B: restricted wild cluster bootstrap (WCR) p-value and interval for every term, B draws, 99 to 1000000',
  },
  'wild-weights': { type: 'string', help: 'W: rademacher (default) | webb: the wild bootstrap weights' },
  seed: { type: 'string', help: 'S: seed of the wild bootstrap draws, 0 to 4294967295 (default 1)' },
  json: { type: 'boolean', help: "print one JSON object (its fields: the README's 'The command line')" },
  help: { type: 'boolean', help: 'this help' },
};

export const FIT_HELP = `nqp fit: fit a linear or IV model with absorbed fixed effects (equal to fixest::feols)

usage: nqp fit --data FILE --formula 'F' [flags]

Formula (fixest grammar):
  y ~ x1 + x2                  OLS with an intercept
  y ~ x1 + x2 | fe1 + fe2      fixed effects after the bar; fe1^fe2 interacts two (e.g. province^year)
  y ~ w | fe1 | x ~ z1 + z2    IV-2SLS: endogenous x instrumented by z1, z2
  l(x, 1), f(x, 1)             lag and lead by panel keys (--panel)
  log(x), log(x, 10)           natural log, log to a base
  x:z, x*z                     interaction; x*z = x + z + x:z
  I(x^2), I(x * z)             a power, a product
  i(g, x, ref = r), i(g)       slopes of x by level of g (all but r); dummies of g
  \`urban rate\`, 城市代码       a column name with spaces or symbols in backticks; Chinese names as they are
  ～ ＋ ｜ （ ） ，            full-width operators are read as ASCII (with a note)

Flags:
${flagHelp(FIT_FLAGS)}`;

export function numberFlag(p: Parsed, name: string): number | undefined {
  const v = str(p, name);
  if (v === undefined) return undefined;
  const x = Number(v);
  if (!Number.isFinite(x) || x <= 0)
    throw new NqpError('BAD_FLAG', `--${name}`, `--${name} takes a positive number, got "${v}".`);
  return x;
}

export function intFlag(p: Parsed, name: string): number | undefined {
  const v = str(p, name);
  if (v === undefined) return undefined;
  if (!/^-?[0-9]+$/.test(v)) throw new NqpError('BAD_FLAG', `--${name}`, `--${name} takes a whole number, got "${v}".`);
  return Number(v);
}

export function choice<T extends string>(p: Parsed, name: string, allowed: readonly T[]): T | undefined {
  const v = str(p, name);
  if (v === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(v)) {
    throw new NqpError('BAD_FLAG', `--${name}`, `--${name} takes ${allowed.join(' or ')}, got "${v}".`);
  }
  return v as T;
}

/** --delimiter: one character; `tab` (or the two characters \t, as a shell passes '\t') is a tab. */
export function delimiterFlag(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  if (v === 'tab' || v === '\\t') return '\t';
  if ([...v].length !== 1)
    throw new NqpError('BAD_FLAG', '--delimiter', `--delimiter takes one character or tab, got "${v}".`);
  return v;
}
