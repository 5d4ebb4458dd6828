/** The loading report as text and HTML: rows, cities, years, duplicates, missing cells per variable, joins. */
import { escapeControls } from '../errors';
import { fmtPercent } from '../format';
import { escapeHtml as esc } from '../html';
import type { LoadReport } from './load';

/** The report as plain text; control characters from the file (column names) written out, as in errors. */
export function reportText(r: LoadReport): string {
  return escapeControls(reportLines(r));
}

function reportLines(r: LoadReport): string {
  const miss = r.missing.filter((m) => m.count > 0);
  const total = r.missing.reduce((s, m) => s + m.count, 0);
  return [
    `Panel ${r.source} (${r.format}${r.sheet ? `, sheet "${r.sheet}"` : ''}, ${r.encoding})`,
    `  ${r.rows} rows: ${r.cities} cities × ${r.years.length} years ` +
      `(${r.years[0]}–${r.years[r.years.length - 1]}), ` +
      `${r.balanced ? 'balanced' : `unbalanced: ${r.gaps.length} city-years absent`}`,
    `  duplicates: ${r.duplicates}; missing cells: ${total} in ${miss.length} variables`,
    ...miss.map((m) => `    ${m.variable.padEnd(22)} ${String(m.count).padStart(5)}  (${fmtPercent(m.share)})`),
    `  joined from cities.csv: ${r.joined.join(', ') || 'none'}`,
    `  derived: ${r.derived.join(', ') || 'none'}`,
    r.extraColumns.length ? `  columns not in the codebook (kept): ${r.extraColumns.join(', ')}` : '',
    ...mappings(r).map((m) => `  ${m}`),
    ...r.notes.map((n) => `  Note: ${n}`),
    ...r.warnings.map((w) => `  Warning: ${w}`),
  ]
    .filter(Boolean)
    .join('\n');
}

export function reportHtml(r: LoadReport): string {
  const miss = r.missing.filter((m) => m.count > 0);
  const total = r.missing.reduce((s, m) => s + m.count, 0);
  const rows = miss
    .map((m) => `<tr><td>${esc(m.variable)}</td><td>${m.count}</td><td>${fmtPercent(m.share)}</td></tr>`)
    .join('');
  return (
    `<div class="load-report"><p>` +
    `<b>Panel</b> ${esc(r.source)} (${r.format}${r.sheet ? `, sheet "${esc(r.sheet)}"` : ''}, ${esc(r.encoding)}): ` +
    `<b>${r.rows}</b> rows, <b>${r.cities}</b> cities × ` +
    `<b>${r.years.length}</b> years (${r.years[0]}–${r.years[r.years.length - 1]}), ` +
    `${r.balanced ? 'balanced' : `unbalanced (${r.gaps.length} city-years absent)`}; ` +
    `duplicate city-years: ${r.duplicates}; missing cells: ${total}.</p>` +
    (miss.length
      ? '<table><caption>Missing cells by variable</caption>' +
        '<thead><tr><th>Variable</th><th>Missing</th><th>Share</th>' +
        `</tr></thead><tbody>${rows}</tbody></table>`
      : '') +
    `<p>Joined from cities.csv: ${esc(r.joined.join(', ') || 'none')}. Derived: ` +
    `${esc(r.derived.join(', ') || 'none')}.` +
    (r.extraColumns.length ? ` Columns not in the codebook (kept): ${esc(r.extraColumns.join(', '))}.` : '') +
    '</p>' +
    mappings(r)
      .map((m) => `<p>${esc(m)}</p>`)
      .join('') +
    r.notes.map((n) => `<p class="note"><b>Note:</b> ${esc(n)}</p>`).join('') +
    r.warnings.map((w) => `<p class="warning"><b>Warning:</b> ${esc(w)}</p>`).join('') +
    `</div>`
  );
}

/** What the loader mapped or read specially: renamed columns, city names, thousands separators. */
function mappings(r: LoadReport): string[] {
  const out: string[] = [];
  if (r.renamed.length) {
    out.push(`renamed to the codebook's names: ${r.renamed.map((m) => `${m.from} → ${m.to} (${m.why})`).join(', ')}`);
  }
  if (r.cityNames) out.push(`city codes from the city names in column "${r.cityNames}"`);
  if (r.thousands.length) {
    out.push(`thousands separators removed: ${r.thousands.map((t) => `${t.variable} (${t.count} cells)`).join(', ')}`);
  }
  return out;
}
