/** The grading report's pages: one feedback page per student and a class summary, self-contained HTML. */
import { escapeHtml } from '../html';
import type { ClassManifest } from './class';
import { type GradeRow, shownValue, type StudentGrade } from './grade';

const STYLE =
  'body{font:14px/1.45 system-ui,sans-serif;max-width:980px;margin:24px auto;padding:0 16px;color:#222}' +
  'table{border-collapse:collapse;width:100%;margin:12px 0}th,td{border-bottom:1px solid #ddd;padding:6px 8px;' +
  'text-align:left;vertical-align:top}th{background:#f4f6f8}.correct{color:#1a7f37}.incorrect,.error,.timeout' +
  '{color:#b42318}.missing{color:#8a6d00}pre{background:#f6f8fa;padding:8px;overflow:auto;font-size:12px}' +
  '.bar{display:inline-block;background:#2c7fb8;height:10px}code{font-size:12px}';

const page = (title: string, body: string) =>
  `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>` +
  `<style>${STYLE}</style></head><body>\n${body}\n</body></html>\n`;

const total = (rows: GradeRow[], k: 'points' | 'max_points') => rows.reduce((s, r) => s + r[k], 0);

/** One student's page: each question's status, their answer, the expected value, the truth, the cell that failed. */
export function feedbackPage(m: ClassManifest, g: StudentGrade): string {
  const rows = g.rows
    .map((r) => {
      const q = m.questions.find((x) => x.question === r.question);
      const truth = r.truth && r.truth.value !== null ? shownValue(r.truth.value) : '—';
      const note = r.truth?.note ? `<br><small>${escapeHtml(r.truth.note)}</small>` : '';
      const cells = [
        `<b>${escapeHtml(r.question)}</b><br><small>${escapeHtml(q?.prompt ?? '')}</small>`,
        r.status,
        `${r.points} / ${r.max_points}`,
        `<code>${escapeHtml(shownValue(r.answer))}</code>`,
        `<code>${escapeHtml(shownValue(r.expected))}</code>`,
        `<code>${escapeHtml(truth)}</code>${note}`,
        // The true value has its own column; the gradebook's feedback repeats it for readers of the CSV.
        escapeHtml(r.feedback.replace(/ True value: .*?\)\.(?= |$)/, '')),
      ];
      const td = (c: string, i: number) => (i === 1 ? `<td class="${r.status}">${c}</td>` : `<td>${c}</td>`);
      return `<tr>${cells.map(td).join('')}</tr>`;
    })
    .join('\n');
  const failed = g.rows
    .filter((r) => r.failedCell)
    .map(
      (r) =>
        `<h3>${escapeHtml(r.question)}: cell ${r.failedCell?.cell} failed</h3><pre>${escapeHtml(
          r.failedCell?.source ?? '',
        )}</pre><p class="error">${escapeHtml(r.failedCell?.error ?? '')}</p>`,
    )
    .join('\n');
  const body =
    `<h1>Feedback: ${escapeHtml(g.student_id)} · ${escapeHtml(m.section)}</h1>` +
    `<p><b>Score ${total(g.rows, 'points')} / ${total(g.rows, 'max_points')}</b>. Your notebook was run on your own ` +
    `data (your panel, seed in your key), so the expected values are yours alone.${
      g.note ? ` ${escapeHtml(g.note)}` : ''
    }</p>\n<table><tr><th>Question</th><th>Status</th><th>Points</th><th>Your answer</th><th>Expected</th>` +
    `<th>True value</th><th>Feedback</th></tr>\n${rows}</table>\n${failed}`;
  return page(`Feedback ${g.student_id}`, body);
}

/** The class summary: the score distribution and the questions most missed. */
export function summaryPage(m: ClassManifest, grades: StudentGrade[]): string {
  const max = grades[0] ? total(grades[0].rows, 'max_points') : 0;
  const counts = new Map<number, number>();
  for (const g of grades) counts.set(total(g.rows, 'points'), (counts.get(total(g.rows, 'points')) ?? 0) + 1);
  const dist = [...counts.entries()]
    .sort((a, b) => b[0] - a[0])
    .map(([s, n]) => `<tr><td>${s} / ${max}</td><td><span class="bar" style="width:${24 * n}px"></span> ${n}</td></tr>`)
    .join('\n');
  const byQ = m.questions.map((q) => {
    const rows = grades.flatMap((g) => g.rows.filter((r) => r.question === q.question));
    const st = (s: string) => rows.filter((r) => r.status === s).length;
    return { q, wrong: rows.length - st('correct'), st };
  });
  byQ.sort((a, b) => b.wrong - a.wrong || a.q.question.localeCompare(b.q.question));
  const missed = byQ
    .map(
      ({ q, wrong, st }) =>
        `<tr><td><b>${escapeHtml(q.question)}</b> <small>${escapeHtml(q.prompt)}</small></td><td>${wrong}</td>` +
        `<td>${st('correct')}</td><td>${st('incorrect')}</td><td>${st('missing')}</td><td>${st('error')}</td>` +
        `<td>${st('timeout')}</td></tr>`,
    )
    .join('\n');
  const students = grades
    .map(
      (g) =>
        `<tr><td><a href="feedback/${encodeURIComponent(g.student_id)}.html">${escapeHtml(g.student_id)}</a></td>` +
        `<td>${total(g.rows, 'points')} / ${max}</td>` +
        `<td>${g.submission ? `${g.seconds.toFixed(1)} s` : 'no submission'}</td></tr>`,
    )
    .join('\n');
  const mean = grades.length ? grades.reduce((s, g) => s + total(g.rows, 'points'), 0) / grades.length : 0;
  const body =
    `<h1>Class summary: ${escapeHtml(m.section)}</h1><p>${grades.length} students, mean score ` +
    `${mean.toFixed(2)} / ${max}; ${grades.filter((g) => !g.submission).length} without a submission.</p>` +
    `<h2>Score distribution</h2><table><tr><th>Score</th><th>Students</th></tr>\n${dist}</table>` +
    '<h2>Questions, most missed first</h2><table><tr><th>Question</th><th>Not correct</th><th>correct</th>' +
    `<th>incorrect</th><th>missing</th><th>error</th><th>timeout</th></tr>\n${missed}</table>` +
    `<h2>Students</h2><table><tr><th>Student</th><th>Score</th><th>Run</th></tr>\n${students}</table>`;
  return page(`Class summary ${m.section}`, body);
}
