/**
 * The vcov specification: the library's typed form (`'iid' | 'hc1' | { cluster }`) and the command line's text
 * form (`iid`, `hc1`, `cluster:V`, `cluster:V1+V2`), both resolved to a kind, cluster variables and a label.
 */
import { NqpError } from '../../errors';
import type { VcovKind } from './sandwich';
import type { VcovSpec } from '../model/types';

export interface ResolvedVcov {
  kind: VcovKind;
  /** Cluster variables; an interacted cluster is written a^b. */
  cluster: string[];
  /** 'iid', 'hc1', 'cluster:V', 'cluster:V1+V2'. */
  label: string;
}

/** Resolve a vcov spec; without one, cluster by the first fixed effect (fixest's default), else iid. */
export function resolveVcov(spec: VcovSpec | undefined, fes: string[][]): ResolvedVcov {
  if (spec === undefined) {
    if (fes.length) return clustered([fes[0].join('^')]);
    return { kind: 'iid', cluster: [], label: 'iid' };
  }
  if (spec === 'iid' || spec === 'hc1') return { kind: spec, cluster: [], label: spec };
  if (spec && typeof spec === 'object' && 'cluster' in spec) {
    const vars = typeof spec.cluster === 'string' ? [spec.cluster] : [...spec.cluster];
    if (!vars.length || vars.some((v) => typeof v !== 'string' || !v.trim())) {
      throw new NqpError('BAD_VCOV', 'vcov', 'vcov: { cluster } names no variable. Give one or two cluster variables.');
    }
    return clustered(vars.map((v) => v.trim()));
  }
  throw new NqpError(
    'BAD_VCOV',
    'vcov',
    `Unknown vcov ${JSON.stringify(spec)}. Use 'iid', 'hc1' or { cluster: 'city_code' } ` +
      '(on the command line: iid, hc1, cluster:VAR or cluster:VAR1+VAR2; parseVcovText reads those).',
  );
}

function clustered(vars: string[]): ResolvedVcov {
  return { kind: 'cluster', cluster: vars, label: `cluster:${vars.join('+')}` };
}

/** The command line's vcov text (`iid`, `hc1`, `cluster:V`, `cluster:V1+V2`) as a typed spec. */
export function parseVcovText(text: string): VcovSpec {
  const s = text.trim();
  if (s === 'iid' || s === 'hc1') return s;
  const m = /^cluster:\s*(.+)$/.exec(s);
  const vars = m ? m[1].split('+').map((v) => v.trim()) : [];
  if (vars.length && vars.every(Boolean)) return { cluster: vars.length === 1 ? vars[0] : vars };
  throw new NqpError(
    'BAD_VCOV',
    `vcov "${text}"`,
    `Unknown vcov "${text}". Use iid, hc1, cluster:VAR or cluster:VAR1+VAR2.`,
  );
}
