/**
 * Terms of a formula, with fixest's (and R's) meaning and names:
 *
 *   x                       a column
 *   l(x, k), f(x, k)        lag / lead by k periods over the panel keys (k = 1 when omitted)
 *   log(x), log(x, b)       natural log; log to base b                      → "log(x)", "log(x, 10)"
 *   I(x^p), I(x * z)        arithmetic inside I(): a power, a product       → "I(x^2)", "I(x * z)"
 *   x:z                     the product of x and z (any of the above)        → "x:z"
 *   x*z                     x + z + x:z (x*z*w: every interaction)           → "x", "z", "x:z"
 *   i(g), i(g, ref = r)     one dummy per level of g (all but r)             → "g::level"
 *   i(g, x, ref = r)        x times each level's dummy: group-specific slopes → "g::level:x"
 *
 * `x^2` outside I() is refused: in an R formula it means x itself (fixest keeps x and drops the square), which is
 * never what a researcher writing it wants. Terms are ordered as R orders them: main effects first, then
 * two-way interactions, and so on.
 */
import { NqpError } from '../../errors';

export type Factor =
  | { kind: 'var'; name: string; label: string }
  | { kind: 'lag'; name: string; k: number; label: string }
  | { kind: 'log'; name: string; base?: number; label: string }
  | { kind: 'pow'; name: string; power: number; label: string }
  | { kind: 'product'; names: [string, string]; label: string };

export type Term =
  | Factor
  | { kind: 'interact'; parts: Factor[]; label: string }
  | { kind: 'i'; group: string; x?: Factor; ref?: string; label: string };

export interface Tok {
  t: 'name' | 'num' | 'op' | 'str';
  v: string;
  pos: number;
  /** A name written in backticks: a column, never a function. */
  quoted?: boolean;
}

export function syntax(s: string, pos: number, what: string): NqpError {
  return new NqpError(
    'FORMULA_SYNTAX',
    `formula position ${pos + 1}`,
    `Formula error at position ${pos + 1} ("${s.slice(0, pos)}⟨here⟩${s.slice(pos)}"): ${what}. Formulas look like ` +
      `"y ~ x1 + x2 | fe1 + fe2 | endog ~ z".`,
  );
}

/**
 * Operators as a Chinese input method types them (full-width forms), read as their ASCII forms; parseFormula
 * notes which it met. Inside quotes and backticks they stay as typed (a column may be named 产值（亿元）).
 */
export const FULL_WIDTH_OPS: Readonly<Record<string, string>> = {
  '～': '~',
  '＋': '+',
  '｜': '|',
  '（': '(',
  '）': ')',
  '，': ',',
  '＾': '^',
  '：': ':',
  '＊': '*',
  '＝': '=',
  '－': '-',
};

/**
 * The tokens of a formula. Names are letters of any script (城市代码, as R allows), digits, _ and .; any other
 * column name is written in backticks (`urban rate`, as in R and fixest). Full-width operators met are added
 * to `fullWidth` (as typed → ASCII).
 */
export function tokenize(s: string, fullWidth?: Map<string, string>): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < s.length) {
    let ch = s[i];
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const ascii = FULL_WIDTH_OPS[ch];
    if (ascii !== undefined) {
      fullWidth?.set(ch, ascii);
      ch = ascii;
    }
    if (/[\p{L}_.]/u.test(ch)) {
      let j = i + 1;
      while (j < s.length && /[\p{L}\p{N}\p{M}_.]/u.test(s[j])) j++;
      out.push({ t: 'name', v: s.slice(i, j), pos: i });
      i = j;
    } else if (ch === '`') {
      const j = s.indexOf('`', i + 1);
      if (j < 0) throw syntax(s, i, 'a name in backticks never closes (write `urban rate`)');
      if (j === i + 1) throw syntax(s, i, 'empty backticks: write the column name between them');
      out.push({ t: 'name', v: s.slice(i + 1, j), pos: i, quoted: true });
      i = j + 1;
    } else if (/[0-9]/.test(ch)) {
      let j = i + 1;
      while (j < s.length && /[0-9.]/.test(s[j])) j++;
      out.push({ t: 'num', v: s.slice(i, j), pos: i });
      i = j;
    } else if (ch === '"' || ch === "'") {
      const j = s.indexOf(ch, i + 1);
      if (j < 0) throw syntax(s, i, 'a quoted value never closes');
      out.push({ t: 'str', v: s.slice(i + 1, j), pos: i });
      i = j + 1;
    } else if ('~+|^(),-:*='.includes(ch)) {
      out.push({ t: 'op', v: ch, pos: i });
      i++;
    } else {
      const hint = ch.charCodeAt(0) > 0x7f ? ' (a column name with it goes in backticks: `name`)' : '';
      throw syntax(s, i, `unexpected character "${ch}"${hint}`);
    }
  }
  return out;
}

/** The data columns a term reads. */
export function termVariables(t: Term): string[] {
  if (t.kind === 'interact') return t.parts.flatMap((p) => termVariables(p));
  if (t.kind === 'i') return [t.group, ...(t.x ? termVariables(t.x) : [])];
  if (t.kind === 'product') return [...t.names];
  return [t.name];
}

/** How many variables a term interacts (R's term order). */
export function termOrder(t: Term): number {
  return t.kind === 'interact' ? t.parts.length : 1;
}

const FUNCTIONS = ['l', 'f', 'lag', 'lead', 'log', 'I', 'i'];

/** The term reader over a token stream; `at` is the shared position. */
export class TermReader {
  i = 0;
  constructor(
    readonly s: string,
    readonly toks: Tok[],
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
  number(what: string): number {
    let neg = false;
    if (this.isOp('-')) {
      this.next();
      neg = true;
    }
    const t = this.next();
    if (t?.t !== 'num' || !Number.isFinite(Number(t.v)))
      throw syntax(this.s, t?.pos ?? this.s.length, `expected a number ${what}`);
    return Number(t.v) * (neg ? -1 : 1);
  }

  /** One factor: a column or a function of columns (not i(), not an interaction). */
  factor(what: string): Factor {
    const t = this.peek();
    if (!(t && t.t === 'name' && !t.quoted && this.toks[this.i + 1]?.t === 'op' && this.toks[this.i + 1]?.v === '(')) {
      const name = this.name(what);
      if (this.isOp('^')) {
        throw syntax(
          this.s,
          this.at(),
          `"${name}^…" in a formula means ${name} itself (R and fixest drop the power); write I(${name}^2) for ` +
            'the square',
        );
      }
      return { kind: 'var', name, label: name };
    }
    const fn = t.v;
    if (!FUNCTIONS.includes(fn) || fn === 'i') {
      throw syntax(
        this.s,
        t.pos,
        fn === 'i'
          ? 'i() cannot be interacted with ":" here; use i(group, x) for group-specific slopes'
          : `unknown function "${fn}()"; the functions are l(x, k), f(x, k), log(x[, base]), I(x^p), I(x*z), ` +
              'i(group[, x][, ref = r])',
      );
    }
    this.i += 2;
    if (fn === 'I') return this.arithmetic();
    const name = this.name(`inside ${fn}()`);
    if (fn === 'log') {
      let base: number | undefined;
      if (this.isOp(',')) {
        this.next();
        base = this.number('(the base of the log)');
        if (!(base > 0 && base !== 1)) throw syntax(this.s, this.at(), 'the base of a log must be positive and not 1');
      }
      this.expectOp(')', 'to close log(');
      return { kind: 'log', name, base, label: base === undefined ? `log(${name})` : `log(${name}, ${base})` };
    }
    let k = 1;
    if (this.isOp(',')) {
      this.next();
      k = this.number(`of periods in ${fn}(${name}, k)`);
      if (!Number.isInteger(k)) throw syntax(this.s, this.at(), `the periods of ${fn}(${name}, k) must be whole`);
    }
    this.expectOp(')', `to close ${fn}(`);
    const lagK = fn === 'f' || fn === 'lead' ? -k : k;
    return { kind: 'lag', name, k: lagK, label: lagK >= 0 ? `l(${name}, ${lagK})` : `f(${name}, ${-lagK})` };
  }

  /** Inside I(…): `x^p` or `x * z`. */
  private arithmetic(): Factor {
    const a = this.name('inside I()');
    if (this.isOp('^')) {
      this.next();
      const p = this.number('(the power in I(x^p))');
      this.expectOp(')', 'to close I(');
      return { kind: 'pow', name: a, power: p, label: `I(${a}^${p})` };
    }
    if (this.isOp('*')) {
      this.next();
      const b = this.name('after "*" inside I()');
      this.expectOp(')', 'to close I(');
      return { kind: 'product', names: [a, b], label: `I(${a} * ${b})` };
    }
    throw syntax(this.s, this.at(), 'I() holds a power I(x^2) or a product I(x * z)');
  }

  /** i(group[, x][, ref = value]). */
  private iTerm(): Term {
    this.i += 2;
    const group = this.name('inside i()');
    let x: Factor | undefined;
    let ref: string | undefined;
    while (this.isOp(',')) {
      this.next();
      const t = this.peek();
      if (t?.t === 'name' && t.v === 'ref' && this.toks[this.i + 1]?.v === '=') {
        this.i += 2;
        const v = this.next();
        if (!v || (v.t !== 'num' && v.t !== 'str')) throw syntax(this.s, this.at(), 'expected the reference level');
        ref = v.v;
      } else if (!x) x = this.factor('(the slope variable of i())');
      else throw syntax(this.s, this.at(), 'i() takes a group, an optional variable and ref = level');
    }
    this.expectOp(')', 'to close i(');
    const label = `i(${group}${x ? `, ${x.label}` : ''}${ref !== undefined ? `, ref = ${ref}` : ''})`;
    return { kind: 'i', group, x, ref, label };
  }

  /** A term: i(…) or factors joined by ":"; `*` joins terms into all their interactions. */
  product(what: string): Term[] {
    const t = this.peek();
    if (t?.t === 'name' && !t.quoted && t.v === 'i' && this.toks[this.i + 1]?.v === '(') {
      const term = this.iTerm();
      if (this.isOp(':') || this.isOp('*')) throw syntax(this.s, this.at(), 'i() cannot be interacted further');
      return [term];
    }
    const groups: Factor[][] = [];
    for (;;) {
      const parts = [this.factor(groups.length ? 'after "*"' : what)];
      while (this.isOp(':')) {
        this.next();
        parts.push(this.factor('after ":"'));
      }
      groups.push(parts);
      if (!this.isOp('*')) break;
      this.next();
    }
    // a*b*c: every non-empty subset of the groups, in R's order (by size, then left to right).
    const out: Factor[][] = [];
    const n = groups.length;
    for (let size = 1; size <= n; size++) {
      const pick = (start: number, acc: Factor[][]): void => {
        if (acc.length === size) {
          out.push(acc.flat());
          return;
        }
        for (let g = start; g < n; g++) pick(g + 1, [...acc, groups[g]]);
      };
      pick(0, []);
    }
    return out.map((parts) =>
      parts.length === 1 ? parts[0] : { kind: 'interact', parts, label: parts.map((p) => p.label).join(':') },
    );
  }
}
