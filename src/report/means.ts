/**
 * Means of a column within the cells of two grouping columns (region × year, say), missing values left out — the
 * numbers behind a "by group over time" chart, for sentences that describe it.
 */
import { isMissing } from '../data/missing';
import type { ColumnSource } from '../estimate';

export interface CellMeans {
  /** The mean in cell (a, b); NaN for a cell without a value. */
  mean(a: unknown, b: unknown): number;
  /** The values of each grouping column, in order of first appearance. */
  levels: [unknown[], unknown[]];
}

/** @example const m = cellMeans(panel, 'nqp', 'region', 'year'); m.mean('east', 2021) */
export function cellMeans(data: ColumnSource, value: string, by1: string, by2: string): CellMeans {
  const x = data.array(value),
    g1 = data.array(by1),
    g2 = data.array(by2);
  const acc = new Map<string, { s: number; n: number }>();
  const l1 = new Map<string, unknown>(),
    l2 = new Map<string, unknown>();
  const key = (a: unknown, b: unknown) => `${String(a)}\u0000${String(b)}`;
  for (let r = 0; r < x.length; r++) {
    if (isMissing(g1[r]) || isMissing(g2[r])) continue;
    l1.set(String(g1[r]), g1[r]);
    l2.set(String(g2[r]), g2[r]);
    const v = x[r];
    if (isMissing(v) || typeof v !== 'number') continue;
    const k = key(g1[r], g2[r]);
    const a = acc.get(k) ?? { s: 0, n: 0 };
    a.s += v;
    a.n++;
    acc.set(k, a);
  }
  return {
    mean: (a, b) => {
      const c = acc.get(key(a, b));
      return c ? c.s / c.n : NaN;
    },
    levels: [[...l1.values()], [...l2.values()]],
  };
}
