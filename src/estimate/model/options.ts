/**
 * Validation of `feols` options: an unknown option, a misspelt value or a number out of range is an error that
 * names it (and the closest valid name), never silently replaced by a default.
 */
import { closest, NqpError } from '../../errors';
import type { FeolsOptions } from './types';

const OPTION_KEYS = ['vcov', 'singletons', 'panel', 'tol', 'collinTol', 'level', 'ssc'];
const SSC_KEYS = ['adj', 'fixefK', 'clusterAdj', 'preset'];

function bad(where: string, msg: string): never {
  throw new NqpError('BAD_OPTION', where, msg);
}

function known(keys: string[], allowed: string[], what: string): void {
  for (const k of keys) {
    if (!allowed.includes(k)) {
      const near = closest(k, allowed);
      bad(
        `${what} "${k}"`,
        `Unknown ${what} "${k}"${near ? `; did you mean "${near}"?` : ''} (${allowed.join(', ')}).`,
      );
    }
  }
}

function oneOf(v: unknown, allowed: readonly unknown[], where: string): void {
  if (v !== undefined && !allowed.includes(v)) {
    bad(where, `${where} must be ${allowed.map((a) => JSON.stringify(a)).join(' or ')}, got ${JSON.stringify(v)}.`);
  }
}

function inRange(v: unknown, lo: number, hi: number, where: string, what: string): void {
  if (v === undefined) return;
  if (typeof v !== 'number' || !(v > lo && v < hi)) bad(where, `${where} must be ${what}, got ${JSON.stringify(v)}.`);
}

export function validateOptions(o: FeolsOptions): void {
  if (o === null || typeof o !== 'object') bad('options', 'feols options must be an object.');
  known(Object.keys(o), OPTION_KEYS, 'option');
  oneOf(o.singletons, ['keep', 'drop'], 'singletons');
  inRange(o.level, 0, 1, 'level', 'a number between 0 and 1 (e.g. 0.95)');
  inRange(o.tol, 0, 1, 'tol', 'a positive number below 1 (e.g. 1e-10)');
  inRange(o.collinTol, 0, 1, 'collinTol', 'a positive number below 1 (e.g. 1e-10)');
  if (o.panel !== undefined && o.panel !== null) {
    const p = o.panel as unknown as Record<string, unknown>;
    if (typeof p !== 'object' || typeof p.id !== 'string' || typeof p.time !== 'string') {
      bad('panel', `panel must be { id: 'column', time: 'column' } or null, got ${JSON.stringify(o.panel)}.`);
    }
  }
  if (o.ssc !== undefined) {
    if (o.ssc === null || typeof o.ssc !== 'object') bad('ssc', 'ssc must be an object such as { adj: false }.');
    known(Object.keys(o.ssc), SSC_KEYS, 'ssc field');
    oneOf(o.ssc.adj, [true, false], 'ssc.adj');
    oneOf(o.ssc.clusterAdj, [true, false], 'ssc.clusterAdj');
    oneOf(o.ssc.fixefK, ['nested', 'full', 'none'], 'ssc.fixefK');
    oneOf(o.ssc.preset, ['fixest', 'reghdfe'], 'ssc.preset');
  }
}
