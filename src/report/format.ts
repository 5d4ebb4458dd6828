/** The report layer's formatting: the package's one number formatter (src/format.ts) and the p-column rule. */
export { escapeHtml } from '../html';
export { fmtLevel, fmtNum, fmtP, fmtPercent } from '../format';

/** Is a column of this name a p-value column? ("p", "p_value", "SUEST p", "wild_p", "permutation p (one-sided)") */
export function isPColumn(name: string): boolean {
  return /^(.*[_ ])?(p|p[_ -]?value)(, [^()]*)?( \(.*\))?$/i.test(name.trim());
}
