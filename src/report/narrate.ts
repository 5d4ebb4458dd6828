/**
 * Sentences computed from results, for notebook prose that must stay true on any data: a coefficient with its
 * significance, a comparison of two estimates, a test against a critical value, where the data came from. Every
 * number in a sentence comes from the result passed in; nothing is fixed text.
 */
import { coef, type FeolsResult } from '../estimate';
import { fmtNum, fmtP, fmtPercent } from './format';

/** "significant at 1%" … "not significant at 10%", or "untestable" when p is missing. */
export function significance(p: number): string {
  if (!Number.isFinite(p)) return 'without a test (its p-value is undefined)';
  if (p < 0.01) return 'significant at 1%';
  if (p < 0.05) return 'significant at 5%';
  if (p < 0.1) return 'significant at 10%';
  return 'not significant at 10%';
}

const row = coef;

const f3 = (x: number) => fmtNum(x, 3, { sciAbove: Infinity });
const pText = (p: number) => (Number.isFinite(p) ? (p < 0.001 ? 'p < 0.001' : `p = ${fmtP(p)}`) : 'p undefined');

/** "0.477 (SE 0.028), positive and significant at 1% (p < 0.001)". */
export function describeCoef(m: FeolsResult, term: string): string {
  const r = row(m, term);
  const sign = !Number.isFinite(r.estimate)
    ? 'undefined'
    : r.estimate > 0
      ? 'positive'
      : r.estimate < 0
        ? 'negative'
        : 'zero';
  return `${f3(r.estimate)} (SE ${f3(r.std_error)}), ${sign} and ${significance(r.p_value)} (${pText(r.p_value)})`;
}

/**
 * How an estimate moves from model a to model b: "grows from 0.391 to 0.554 (142% of it)", "shrinks from … to …",
 * "changes sign, from … to …" or "is unchanged at …"; and whether b's 95% interval still contains a's estimate.
 */
export function compareCoef(a: FeolsResult, b: FeolsResult, termA: string, termB = termA): string {
  const x = row(a, termA).estimate;
  const rb = row(b, termB);
  const y = rb.estimate;
  if (!Number.isFinite(x) || !Number.isFinite(y))
    return `cannot be compared: an estimate is undefined (${f3(x)} and ${f3(y)})`;
  const share = `${fmtPercent(y / x, 0)} of it`;
  let move: string;
  if (Math.abs(y - x) <= 5e-4 * Math.max(Math.abs(x), 1e-12)) move = `is unchanged at ${f3(y)}`;
  else if (x === 0 || y === 0 || Math.sign(x) !== Math.sign(y))
    // A ratio across zero is no size comparison: say the sign changed.
    move = `changes sign, from ${f3(x)} to ${f3(y)}`;
  else move = `${Math.abs(y) > Math.abs(x) ? 'grows' : 'shrinks'} from ${f3(x)} to ${f3(y)} (${share})`;
  const inside = x >= rb.conf_low && x <= rb.conf_high;
  return (
    `${move}; its 95% interval [${f3(rb.conf_low)}, ${f3(rb.conf_high)}] ` +
    `${inside ? 'contains' : 'does not contain'} the first estimate`
  );
}

/** "189.3, above the 16.38 critical value" / "below". */
export function againstCritical(value: number, critical: number, what = 'critical value'): string {
  if (!Number.isFinite(value)) return `undefined (no comparison with the ${critical} ${what})`;
  if (!Number.isFinite(critical)) return `${fmtNum(value, 1)} (no ${what} to compare with)`;
  return `${fmtNum(value, 1)}, ${value > critical ? 'above' : 'below'} the ${critical} ${what}`;
}

/** Where the data came from, without absolute paths: "simulated default panel (known truth; data/README.md)" or
 * "my_extract.dta". With counts: "— 230 cities, 2010–2021". */
export function provenance(source: string | undefined, load?: { cities: number; years: number[] }): string {
  const name = source
    ? (source.split(/[\\/]/).pop() ?? source)
    : 'simulated default panel (known truth; data/README.md)';
  const span = load?.years.length ? `, ${load.years[0]}–${load.years[load.years.length - 1]}` : '';
  return `Data: ${name}${load ? ` — ${load.cities} cities${span}` : ''}`;
}
