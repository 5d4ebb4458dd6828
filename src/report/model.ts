/**
 * One model on its own: a header (estimator, formula, outcome, N, fixed effects, SE type), the coefficient table
 * with intervals, fit statistics, and every note and warning the fit carries. Text and HTML.
 */
import type { FeolsResult } from '../estimate';
import { escapeHtml, fmtNum } from './format';
import { say, tr } from '../lang';

/** How the standard errors were computed, in words. */
export function seLabel(m: FeolsResult, lab: (name: string) => string = (s) => s): string {
  if (m.vcov.kind === 'cluster') {
    return `clustered by ${(m.vcov.clusters ?? []).map((c) => `${lab(c.name)} (${c.count})`).join(' and ')}`;
  }
  return m.vcov.kind === 'hc1' ? 'heteroskedasticity-robust (HC1)' : 'iid';
}

function header(m: FeolsResult): [string, string] {
  const list = m.fixedEffects.map((f) => `${f.name} (${f.levels})`).join(', ');
  const fes = m.fixedEffects.length ? say(`; fixed effects: ${list}`, `；固定效应：${list}`) : '';
  return [
    `${m.estimator}: ${m.spec.formula}`,
    say(
      `Outcome ${m.spec.depvar}; N = ${m.fit.nObs}${fes}; SE: ${seLabel(m)}`,
      `被解释变量 ${m.spec.depvar}；N = ${m.fit.nObs}${fes}；标准误：${tr(seLabel(m))}`,
    ),
  ];
}

function fitLine(m: FeolsResult, sep: string): string {
  const within = m.fit.r2Within !== null ? `${sep} within R² ${fmtNum(m.fit.r2Within)}` : '';
  return `R² ${fmtNum(m.fit.r2)}${within}${sep} adj. R² ${fmtNum(m.fit.adjR2)}; RMSE ${fmtNum(m.fit.rmse)}`;
}

/**
 * reghdfe's "Absorbed degrees of freedom" table: per fixed effect its categories, the redundant ones and those
 * counted in K (* = nested in a cluster variable). Empty without fixed effects.
 */
export function absorbedDofRows(m: FeolsResult): string[] {
  if (!m.fixedEffects.length) return [];
  const w = Math.max(12, ...m.fixedEffects.map((f) => f.name.length));
  const row = (a: string, b: string, c: string, d: string, e = '') =>
    `${a.padEnd(w)} ${b.padStart(10)} ${c.padStart(9)} ${d.padStart(7)}${e}`;
  const rows = m.fixedEffects.map((f) =>
    row(f.name, String(f.levels), String(f.redundant), String(f.counted), f.nested ? ' *' : ''),
  );
  const foot = m.fixedEffects.some((f) => f.nested) ? ['* nested in a cluster variable'] : [];
  return ['Absorbed degrees of freedom:', row('fixed effect', 'categories', 'redundant', 'counted'), ...rows, ...foot];
}

/** The model as plain text (what `console.log(summary(m))` prints). */
export function summary(m: FeolsResult): string {
  const w = Math.max(18, ...m.coefficients.map((c) => c.term.length + 1));
  const row = (a: string, b: string, c: string, d: string, e: string) =>
    `${a.padEnd(w)} ${b.padStart(11)} ${c.padStart(10)} ${d.padStart(8)} ${e.padStart(8)}`;
  return [
    ...header(m),
    row(say('term', '变量'), say('estimate', '系数'), say('std.error', '标准误'), 't', 'p'),
    ...m.coefficients.map((c) =>
      row(c.term, fmtNum(c.estimate), fmtNum(c.std_error), fmtNum(c.statistic, 3), fmtNum(c.p_value)),
    ),
    fitLine(m, ','),
    ...absorbedDofRows(m),
    ...m.notes,
    ...m.warnings.map((x) => `Warning: ${x}`),
  ].join('\n');
}

const nestedNames = (m: FeolsResult) =>
  m.fixedEffects
    .filter((f) => f.nested)
    .map((f) => f.name)
    .join(', ');

/** The model as an HTML table. */
export function summaryHtml(m: FeolsResult): string {
  const [h1, h2] = header(m);
  const td = (s: string) => `<td>${escapeHtml(s)}</td>`;
  const body = m.coefficients
    .map((c) => {
      const ci = `[${fmtNum(c.conf_low)}, ${fmtNum(c.conf_high)}]`;
      const cells = [c.term, fmtNum(c.estimate), fmtNum(c.std_error), fmtNum(c.statistic, 3), fmtNum(c.p_value), ci];
      return `<tr>${cells.map(td).join('')}</tr>`;
    })
    .join('');
  const heads = ['Term', 'Estimate', 'Std. error', 't', 'p', `${Math.round(m.spec.level * 100)}% CI`];
  const absorbed = m.fixedEffects.length
    ? 'Absorbed degrees of freedom: ' +
      m.fixedEffects
        .map((f) => `${f.name} ${f.levels} categories, ${f.redundant} redundant, ${f.counted} counted`)
        .join('; ') +
      (m.fixedEffects.some((f) => f.nested) ? ` (nested in a cluster: ${nestedNames(m)}).` : '.')
    : '';
  const foot = [fitLine(m, ';'), absorbed, ...m.notes, ...m.warnings.map((x) => `Warning: ${x}`)]
    .filter(Boolean)
    .join(' ');
  return (
    `<table><caption>${escapeHtml(h1)}<br><small>${escapeHtml(h2)}</small></caption>` +
    `<thead><tr>${heads.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${body}</tbody>` +
    `<tfoot><tr><td colspan="6">${escapeHtml(foot)}</td></tr></tfoot></table>`
  );
}

/** Whether a value is a feols result (for `show`). */
export function isFeolsResult(x: unknown): x is FeolsResult {
  const m = x as Partial<FeolsResult> | null;
  return !!m && typeof m === 'object' && Array.isArray(m.coefficients) && !!m.spec && !!m.fit && !!m.vcov;
}
