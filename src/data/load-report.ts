/** The loading report as text and HTML: rows, cities, years, duplicates, missing cells per variable, joins. */
import { escapeControls } from '../errors';
import { fmtPercent } from '../format';
import { escapeHtml as esc } from '../html';
import type { LoadReport } from './load';
import { say, tr } from '../lang';

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
  const none = say('none', '无');
  const list = (xs: string[]) => esc(xs.join(say(', ', '、')) || none);
  const span = `${r.years[0]}–${r.years[r.years.length - 1]}`;
  const head = say(
    `<b>Panel</b> ${esc(r.source)} (${r.format}${r.sheet ? `, sheet "${esc(r.sheet)}"` : ''}, ${esc(r.encoding)}): ` +
      `<b>${r.rows}</b> rows, <b>${r.cities}</b> cities × <b>${r.years.length}</b> years (${span}), ` +
      `${r.balanced ? 'balanced' : `unbalanced (${r.gaps.length} city-years absent)`}; ` +
      `duplicate city-years: ${r.duplicates}; missing cells: ${total}.`,
    `<b>面板数据</b> ${esc(r.source)}（${r.format}${r.sheet ? `，工作表“${esc(r.sheet)}”` : ''}，${esc(r.encoding)}）：` +
      `共 <b>${r.rows}</b> 个观测值，<b>${r.cities}</b> 个城市 × <b>${r.years.length}</b> 年（${span}），` +
      `${r.balanced ? '平衡面板' : `非平衡面板（缺少 ${r.gaps.length} 个城市-年份）`}；` +
      `重复的城市-年份：${r.duplicates} 个；缺失单元格：${total} 个。`,
  );
  return (
    `<div class="load-report"><p>${head}</p>` +
    (miss.length
      ? `<table><caption>${say('Missing cells by variable', '各变量缺失值')}</caption>` +
        `<thead><tr><th>${say('Variable', '变量')}</th><th>${say('Missing', '缺失数')}</th>` +
        `<th>${say('Share', '占比')}</th></tr></thead><tbody>${rows}</tbody></table>`
      : '') +
    `<p>${say('Joined from cities.csv', '由 cities.csv 合并')}: ${list(r.joined)}. ` +
    `${say('Derived', '派生变量')}: ${list(r.derived)}.` +
    (r.extraColumns.length
      ? ` ${say('Columns not in the codebook (kept)', '变量表以外的列（保留）')}: ${list(r.extraColumns)}.`
      : '') +
    '</p>' +
    mappings(r)
      .map((m) => `<p>${esc(tr(m))}</p>`)
      .join('') +
    r.notes.map((n) => `<p class="note"><b>${say('Note', '注')}:</b> ${esc(tr(n))}</p>`).join('') +
    r.warnings.map((w) => `<p class="warning"><b>${say('Warning', '警告')}:</b> ${esc(tr(w))}</p>`).join('') +
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
