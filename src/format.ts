/**
 * The one number formatter of the package, used by every table, sentence, report and the command line (like
 * html.ts and errors.ts, it sits beside the layers so each can use it): one rule for missing values ("—"), for
 * tiny numbers (scientific), for p-values and for percentages.
 */

export interface NumberFormat {
  /** Magnitudes at or above this print in scientific notation. Default 1e6; Infinity keeps fixed decimals. */
  sciAbove?: number;
}

/** A number with d decimals (scientific when tiny, or huge unless sciAbove says otherwise); "—" when missing. */
export function fmtNum(x: number | null | undefined, d = 4, o: NumberFormat = {}): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  if (x !== 0 && (Math.abs(x) < 10 ** -d || Math.abs(x) >= (o.sciAbove ?? 1e6)))
    return x.toExponential(Math.max(d - 1, 2));
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

/** A share as a percentage with d decimals: 0.125 → "12.5%"; "—" when missing. */
export function fmtPercent(share: number | null | undefined, d = 1): string {
  return share === null || share === undefined || !Number.isFinite(share) ? '—' : `${(100 * share).toFixed(d)}%`;
}

/** A confidence level as a label: 0.95 → "95%", 0.9 → "90%", 0.975 → "97.5%". */
export function fmtLevel(level: number): string {
  return `${Number((100 * level).toPrecision(6))}%`;
}
