/** Shared formatting of numbers for every table: one rule for missing values. */
export { escapeHtml } from '../html';

/** A number with d decimals (scientific when tiny or huge); "—" when missing or non-finite. */
export function fmtNum(x: number | null | undefined, d = 4): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  if (x !== 0 && (Math.abs(x) < 10 ** -d || Math.abs(x) >= 1e6)) return x.toExponential(Math.max(d - 1, 2));
  return x.toFixed(d);
}
