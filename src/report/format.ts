/** Shared formatting of numbers for every table: one rule for missing values. */
export { escapeHtml } from '../html';

/** A number with d decimals (scientific when tiny or huge); "—" when missing or non-finite. */
export function fmtNum(x: number | null | undefined, d = 4): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  if (x !== 0 && (Math.abs(x) < 10 ** -d || Math.abs(x) >= 1e6)) return x.toExponential(Math.max(d - 1, 2));
  return x.toFixed(d);
}

/**
 * A p-value as papers print it: three decimals, "<0.001" below that, "—" when missing. One format in every table
 * (a p-value column in simpleTable, the claims tables of the notebooks).
 */
export function fmtP(p: number | null | undefined): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return '—';
  return p < 0.001 ? '<0.001' : p.toFixed(3);
}

/** Is a column of this name a p-value column? ("p", "p_value", "SUEST p", "wild_p", "permutation p (one-sided)") */
export function isPColumn(name: string): boolean {
  return /^(.*[_ ])?(p|p[_ -]?value)(, [^()]*)?( \(.*\))?$/i.test(name.trim());
}
