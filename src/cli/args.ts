/**
 * Strict flag parsing for every `nqp` command, on node's own `util.parseArgs`: an unknown or misspelt flag is an
 * error naming the closest known flag, a repeated flag is an error, a string flag needs a value.
 */
import { parseArgs } from 'node:util';
import { closest, NqpError } from '../errors';

export interface FlagDef {
  type: 'string' | 'boolean';
  /** Shown in --help: the value's shape and what the flag does. */
  help: string;
}

export type FlagSpec = Record<string, FlagDef>;

export interface Parsed {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/** Flags people bring from Stata, R or other tools, and what nqp calls them (commands with --vcov only). */
const FAMILIAR: Record<string, string> = {
  cluster: 'cluster with --vcov cluster:V (two-way: --vcov cluster:V1+V2)',
  robust: 'heteroskedasticity-robust SEs are --vcov hc1',
  absorb: "fixed effects go after the bar in --formula, e.g. 'y ~ x | city_code + year'",
  fe: "fixed effects go after the bar in --formula, e.g. 'y ~ x | city_code + year'",
  se: 'the standard errors are chosen with --vcov iid|hc1|cluster:V',
};

export function parseFlags(command: string, argv: string[], spec: FlagSpec): Parsed {
  const options = Object.fromEntries(Object.entries(spec).map(([k, d]) => [k, { type: d.type }]));
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: argv, options, strict: true, allowPositionals: true, tokens: true });
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const m = /'(-{1,2}[^' ]+)/.exec(msg);
    const bad = m ? m[1].replace(/^-+/, '').split('=')[0] : '';
    if (bad && !(bad in spec)) {
      if ('vcov' in spec && FAMILIAR[bad])
        throw new NqpError('BAD_FLAG', `--${bad}`, `nqp ${command} has no --${bad}: ${FAMILIAR[bad]}.`);
      const near = closest(bad, Object.keys(spec));
      throw new NqpError(
        'BAD_FLAG',
        `--${bad}`,
        `Unknown flag --${bad} for nqp ${command}${near ? `; did you mean --${near}?` : '.'} ` +
          `See nqp ${command} --help.`,
      );
    }
    if (bad && spec[bad]?.type === 'string') {
      throw new NqpError('BAD_FLAG', `--${bad}`, `--${bad} needs a value (${spec[bad].help.split(':')[0]}).`);
    }
    throw new NqpError('BAD_FLAG', command, `nqp ${command}: ${msg}. See nqp ${command} --help.`);
  }
  const seen = new Map<string, number>();
  for (const t of parsed.tokens ?? []) if (t.kind === 'option') seen.set(t.name, (seen.get(t.name) ?? 0) + 1);
  for (const [name, count] of seen) {
    if (count > 1) {
      throw new NqpError('BAD_FLAG', `--${name}`, `--${name} is given ${count} times; give it once.`);
    }
  }
  return { values: parsed.values as Parsed['values'], positionals: parsed.positionals };
}

/** The flag table for --help. */
export function flagHelp(spec: FlagSpec): string {
  const rows = Object.entries(spec).map(([k, d]) => [
    `--${k}${d.type === 'string' ? ' ' + d.help.split(':')[0] : ''}`,
    d,
  ]);
  const w = Math.max(...rows.map(([a]) => (a as string).length));
  return rows
    .map(([a, d]) => {
      const def = d as FlagDef;
      const text = def.type === 'string' ? def.help.slice(def.help.indexOf(':') + 1).trim() : def.help;
      return `  ${(a as string).padEnd(w)}  ${text}`;
    })
    .join('\n');
}

export function str(p: Parsed, name: string): string | undefined {
  const v = p.values[name];
  return typeof v === 'string' ? v : undefined;
}

/**
 * `--jobs N`: how many `what` (notebooks, students' notebooks) run at once, each in its own kernel; a whole number
 * from 1, else a BAD_FLAG error. Undefined when the flag is not given (the callers' default: one per core).
 */
export function jobsFlag(p: Parsed, what: string): number | undefined {
  const jobs = str(p, 'jobs');
  if (jobs === undefined) return undefined;
  if (!/^[1-9][0-9]{0,5}$/.test(jobs))
    throw new NqpError('BAD_FLAG', '--jobs', `--jobs takes a whole number of ${what} from 1, got "${jobs}".`);
  return Number(jobs);
}
