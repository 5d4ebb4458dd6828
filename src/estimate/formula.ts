/**
 * Formula parsing, fixest grammar:
 *
 *   y ~ x1 + x2                              OLS with an intercept (`+ 0` or `- 1` removes it)
 *   y ~ x1 + x2 | fe1 + fe2                  fixed effects after the first bar (no intercept: absorbed)
 *   y ~ x | fe1 + province^year               `a^b` is one fixed effect for each (a, b) combination
 *   y ~ exog | fe1 + fe2 | endog ~ z1 + z2     IV-2SLS: endogenous ~ excluded instruments
 *   y ~ exog | endog ~ z                       IV without fixed effects
 *   l(x, k), f(x, k), log(x)                  panel lag / lead by k periods (k = 1 when omitted), natural log
 *
 * Errors point at the position in the formula and say what was expected.
 */
import { NqpError } from '../errors';

export type Term =
  | { kind: 'var'; name: string; label: string }
  | { kind: 'lag'; name: string; k: number; label: string }
  | { kind: 'log'; name: string; label: string };

export interface ParsedFormula {
  text: string;
  lhs: Term;
  rhs: Term[];
  intercept: boolean;
  /** Each fixed effect is a list of variables interacted with ^. */
  fixedEffects: string[][];
  iv?: { endog: Term[]; instruments: Term[] };
}

interface Tok {
  t: 'name' | 'num' | 'op';
  v: string;
  pos: number;
}

function tokenize(s: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < s.length) {
    const ch = s[i];
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (/[A-Za-z_.]/.test(ch)) {
      let j = i + 1;
      while (j < s.length && /[A-Za-z0-9_.]/.test(s[j])) j++;
      out.push({ t: 'name', v: s.slice(i, j), pos: i });
      i = j;
    } else if (/[0-9]/.test(ch)) {
      let j = i + 1;
      while (j < s.length && /[0-9]/.test(s[j])) j++;
      out.push({ t: 'num', v: s.slice(i, j), pos: i });
      i = j;
    } else if ('~+|^(),-'.includes(ch)) {
      out.push({ t: 'op', v: ch, pos: i });
      i++;
    } else {
      throw syntax(s, i, `unexpected character "${ch}"`);
    }
  }
  return out;
}

function syntax(s: string, pos: number, what: string): NqpError {
  return new NqpError(
    'FORMULA_SYNTAX',
    `formula position ${pos + 1}`,
    `Formula error at position ${pos + 1} ("${s.slice(0, pos)}⟨here⟩${s.slice(pos)}"): ${what}. Formulas look like ` +
      `"y ~ x1 + x2 | fe1 + fe2 | endog ~ z".`,
  );
}

class Parser {
  private i = 0;
  constructor(
    private s: string,
    private toks: Tok[],
  ) {}
  peek(): Tok | undefined {
    return this.toks[this.i];
  }
  at(): number {
    return this.peek()?.pos ?? this.s.length;
  }
  next(): Tok | undefined {
    return this.toks[this.i++];
  }
  isOp(v: string): boolean {
    const t = this.peek();
    return !!t && t.t === 'op' && t.v === v;
  }
  expectOp(v: string, what: string): void {
    const t = this.next();
    if (t?.t !== 'op' || t.v !== v)
      throw syntax(this.s, t?.pos ?? this.s.length, `expected "${v}" ${what}, found ${t ? `"${t.v}"` : 'the end'}`);
  }
  name(what: string): string {
    const t = this.next();
    if (t?.t !== 'name')
      throw syntax(
        this.s,
        t?.pos ?? this.s.length,
        `expected a variable name ${what}, found ${t ? `"${t.v}"` : 'the end'}`,
      );
    return t.v;
  }
  term(what: string): Term {
    const t = this.peek();
    if (t && t.t === 'name' && this.toks[this.i + 1]?.v === '(' && this.toks[this.i + 1]?.t === 'op') {
      const fn = t.v;
      if (!['l', 'f', 'log', 'lag', 'lead'].includes(fn))
        throw syntax(this.s, t.pos, `unknown function "${fn}()"; use l(x, k) for a lag, f(x, k) for a lead, log(x)`);
      this.i += 2;
      const name = this.name(`inside ${fn}()`);
      let k = 1;
      if (this.isOp(',')) {
        this.next();
        let neg = false;
        if (this.isOp('-')) {
          this.next();
          neg = true;
        }
        const num = this.next();
        if (num?.t !== 'num')
          throw syntax(this.s, num?.pos ?? this.s.length, `expected a whole number of periods in ${fn}(${name}, k)`);
        k = Number(num.v) * (neg ? -1 : 1);
      }
      this.expectOp(')', `to close ${fn}(`);
      if (fn === 'log') return { kind: 'log', name, label: `log(${name})` };
      const lagK = fn === 'f' || fn === 'lead' ? -k : k;
      return { kind: 'lag', name, k: lagK, label: lagK >= 0 ? `l(${name}, ${lagK})` : `f(${name}, ${-lagK})` };
    }
    const name = this.name(what);
    return { kind: 'var', name, label: name };
  }
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
        terms.push(this.term(first ? what : 'after "+"'));
      }
      first = false;
    }
    return { terms, intercept };
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
  const toks = tokenize(text);
  const p = new Parser(text, toks);
  const lhs = p.term('on the left of "~"');
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
  };
}

/** Every data column a formula reads. */
export function formulaVariables(f: ParsedFormula): string[] {
  const names = [f.lhs, ...f.rhs, ...(f.iv?.endog ?? []), ...(f.iv?.instruments ?? [])].map((t) => t.name);
  for (const fe of f.fixedEffects) names.push(...fe);
  return [...new Set(names)];
}

/** A formula from term lists: `y ~ a + b | fe1 + fe2` (an empty right-hand side is written `1`). */
export function buildFormula(y: string, rhs: readonly string[], fixedEffects: readonly string[] = []): string {
  const right = rhs.length ? rhs.join(' + ') : '1';
  return `${y} ~ ${right}${fixedEffects.length ? ` | ${fixedEffects.join(' + ')}` : ''}`;
}
