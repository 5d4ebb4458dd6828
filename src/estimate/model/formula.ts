/**
 * Formula parsing, fixest grammar:
 *
 *   y ~ x1 + x2                              OLS with an intercept (`+ 0` or `- 1` removes it)
 *   y ~ x1 + x2 | fe1 + fe2                  fixed effects after the first bar (no intercept: absorbed)
 *   y ~ x | fe1 + province^year               `a^b` is one fixed effect for each (a, b) combination
 *   y ~ exog | fe1 + fe2 | endog ~ z1 + z2     IV-2SLS: endogenous ~ excluded instruments
 *   y ~ exog | endog ~ z                       IV without fixed effects
 *   l(x, k), f(x, k), log(x[, base])          panel lag / lead by k periods (k = 1 when omitted), log
 *   `urban rate`, 城市代码                     any column name in backticks; names in any script unquoted
 *   ～ ＋ ｜ （ ） ，                          full-width operators read as ASCII, with a note
 *   x:z, x*z, I(x^2), I(x*z), i(g, x, ref = r)  interactions, arithmetic, group dummies and slopes
 *                                             (formula-terms.ts has the grammar and fixest's names)
 *
 * Errors point at the position in the formula and say what was expected.
 */
import { NqpError } from '../../errors';
import { syntax, TermReader, termOrder, termVariables, tokenize, type Term } from './formula-terms';

export type { Factor, Term } from './formula-terms';
export { termVariables } from './formula-terms';

export interface ParsedFormula {
  text: string;
  lhs: Term;
  rhs: Term[];
  intercept: boolean;
  /** Each fixed effect is a list of variables interacted with ^. */
  fixedEffects: string[][];
  iv?: { endog: Term[]; instruments: Term[] };
  /** What reading the text did (full-width operators read as ASCII), for the result's notes. */
  notes?: string[];
}

class Parser extends TermReader {
  /** A sum of terms; returns terms and whether an intercept was requested/removed. */
  terms(what: string, allowIntercept: boolean): { terms: Term[]; intercept: boolean | undefined } {
    const terms: Term[] = [];
    let intercept: boolean | undefined;
    let first = true;
    for (;;) {
      let sign = '+';
      if (!first) {
        if (this.isOp('+')) {
          this.next();
        } else if (this.isOp('-')) {
          this.next();
          sign = '-';
        } else break;
      }
      const t = this.peek();
      if (t && t.t === 'num' && allowIntercept) {
        this.next();
        if (t.v === '1') intercept = sign === '+';
        else if (t.v === '0') intercept = false;
        else throw syntax(this.s, t.pos, `a number here can only be 1 or 0 (intercept), found ${t.v}`);
      } else {
        if (sign === '-') throw syntax(this.s, this.at(), 'only "- 1" (drop the intercept) may follow a minus sign');
        for (const term of this.product(first ? what : 'after "+"')) {
          if (!terms.some((u) => u.label === term.label)) terms.push(term);
        }
      }
      first = false;
    }
    // R's order: main effects, then two-way interactions, and so on (stable within an order).
    return {
      terms: terms
        .map((t, i) => ({ t, i }))
        .sort((a, b) => termOrder(a.t) - termOrder(b.t) || a.i - b.i)
        .map((x) => x.t),
      intercept,
    };
  }
}

/** Parse a formula string. */
export function parseFormula(text: string): ParsedFormula {
  if (typeof text !== 'string' || !text.trim())
    throw new NqpError(
      'FORMULA_SYNTAX',
      'formula',
      'The formula is empty. Write e.g. "resilience ~ nqp + lnpgdp | city_code + year".',
    );
  const fullWidth = new Map<string, string>();
  const toks = tokenize(text, fullWidth);
  const p = new Parser(text, toks);
  const lhs = p.factor('on the left of "~"');
  p.expectOp('~', 'after the dependent variable');
  const rhs = p.terms('after "~"', true);
  if (!rhs.terms.length && rhs.intercept === undefined)
    throw syntax(text, p.at(), 'expected at least one regressor (or 1) after "~"');
  let fixedEffects: string[][] = [];
  let iv: ParsedFormula['iv'];
  const parts: number[] = [];
  while (p.isOp('|')) {
    p.next();
    parts.push(p.at());
    // An IV part contains "~"; find whether one follows before the next bar.
    const next = p.peek();
    let j = next ? toks.indexOf(next) : -1;
    let hasTilde = false;
    while (j >= 0 && j < toks.length && !(toks[j].t === 'op' && toks[j].v === '|')) {
      if (toks[j].v === '~' && toks[j].t === 'op') hasTilde = true;
      j++;
    }
    if (hasTilde) {
      if (iv) throw syntax(text, p.at(), 'only one IV part "endog ~ instruments" is allowed');
      const endog = p.terms('(endogenous variable)', false).terms;
      p.expectOp('~', 'between the endogenous variables and their instruments');
      const inst = p.terms('(instrument)', false).terms;
      if (!inst.length) throw syntax(text, p.at(), 'expected at least one instrument after "~"');
      iv = { endog, instruments: inst };
    } else {
      if (iv || fixedEffects.length)
        throw syntax(text, p.at(), 'fixed effects come right after the regressors, before the IV part');
      const t = p.peek();
      if (t && t.t === 'num' && t.v === '0') {
        p.next();
        continue;
      }
      for (;;) {
        const fe = [p.name('(fixed effect)')];
        while (p.isOp('^')) {
          p.next();
          fe.push(p.name('after "^"'));
        }
        fixedEffects.push(fe);
        if (p.isOp('+')) p.next();
        else break;
      }
    }
  }
  const rest = p.peek();
  if (rest) throw syntax(text, rest.pos, `unexpected "${rest.v}"`);
  fixedEffects = fixedEffects.filter((f, i) => fixedEffects.findIndex((g) => g.join('^') === f.join('^')) === i);
  return {
    text,
    lhs,
    rhs: rhs.terms,
    intercept: fixedEffects.length ? false : (rhs.intercept ?? true),
    fixedEffects,
    iv,
    notes: fullWidth.size
      ? [
          `Formula: full-width ${[...fullWidth.keys()].join(' ')} (a Chinese input method's forms) read as ` +
            `${[...fullWidth.values()].join(' ')}.`,
        ]
      : [],
  };
}

/** Every data column a formula reads. */
export function formulaVariables(f: ParsedFormula): string[] {
  const names = [f.lhs, ...f.rhs, ...(f.iv?.endog ?? []), ...(f.iv?.instruments ?? [])].flatMap(termVariables);
  for (const fe of f.fixedEffects) names.push(...fe);
  return [...new Set(names)];
}

/** A formula from term lists: `y ~ a + b | fe1 + fe2` (an empty right-hand side is written `1`). */
export function buildFormula(y: string, rhs: readonly string[], fixedEffects: readonly string[] = []): string {
  const right = rhs.length ? rhs.join(' + ') : '1';
  return `${y} ~ ${right}${fixedEffects.length ? ` | ${fixedEffects.join(' + ')}` : ''}`;
}
