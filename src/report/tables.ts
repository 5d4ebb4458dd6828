/**
 * Tables as papers print them: regression tables (etable) and descriptive statistics (Table 1), each rendered
 * to HTML (notebooks, pages), Markdown and LaTeX.
 */
import { numbersOf } from '../data/missing';
import { aq } from '../data/aq';
import type { FeolsResult } from '../estimate';
import { escapeMarkdown } from '../html';
import { gridToDocx } from './docx';
import { escapeHtml as esc, fmtNum, fmtP, isPColumn } from './format';
import { seLabel } from './model';
import { say, tr } from '../lang';
import { controlsRow, modelStamp, sessionStamp, sourcesOf } from './stamp';
import type { Provenance } from '../data/provenance';

export interface EtableOptions {
  /** Variable labels by name (e.g. labels(codebook)). */
  labels?: Record<string, string>;
  /** Column headers; default (1), (2), … */
  headers?: string[];
  /** Terms to show, in order; default all, first-seen order. */
  keep?: string[];
  /** Show 'se' (default) or 't' statistics in parentheses. */
  below?: 'se' | 't';
  /** Significance thresholds for *, **, ***. Default [0.1, 0.05, 0.01]. */
  stars?: [number, number, number];
  title?: string;
  /** Extra rows, e.g. { 'Sample': ['All', 'East'] }. Rows the models determine are derived, never typed. */
  extraRows?: Record<string, string[]>;
  /** The control variables: adds a "Controls" row read from each model's terms (Yes / No / Some (k/n)). */
  controls?: string[];
  /** Decimals. Default 4. */
  digits?: number;
  notes?: string[];
}

export interface Rendered {
  toHtml(): string;
  toMarkdown(): string;
  toLatex(): string;
  /** A Word document (.docx bytes): `writeFileSync('table2.docx', etable([m]).toDocx())`. */
  toDocx(): Uint8Array;
  toString(): string;
  /** The data and settings behind the table (show refuses it when they are not the current settings). */
  provenance?: Provenance[];
}

interface Grid {
  title: string;
  /** Columns holding text: left-aligned in HTML (the first column always is). */
  textCols?: boolean[];
  header: string[];
  body: string[][];
  footer: string[][];
  notes: string[];
}

// One pass, so the braces a replacement writes are not escaped again: \ becomes \textbackslash{}, never \{\}.
const TEX: Record<string, string> = {
  '\\': '\\textbackslash{}',
  '^': '\\^{}',
  '~': '\\~{}',
  '×': '$\\times$',
  '²': '$^2$',
};
const texEsc = (s: string) => s.replace(/[\\^~×²&%$#_{}]/g, (c) => TEX[c] ?? `\\${c}`);

/** The grid's fixed texts (title, headers, row labels, notes) in the language set by setLang; numbers unchanged. */
function translated(g: Grid): Grid {
  const cell = (s: string) => (/^[-−+\d.,\s()[\]*%<>=eE]*$/.test(s) ? s : tr(s));
  return {
    ...g,
    title: tr(g.title),
    header: g.header.map((h) => tr(h)),
    body: g.body.map((r) => r.map(cell)),
    footer: g.footer.map((r) => r.map(cell)),
    notes: g.notes.map((n) => tr(n)),
  };
}

function renderGrid(grid: Grid): Rendered {
  const g = translated(grid);
  return {
    toHtml() {
      const left = (i: number) => (i > 0 && g.textCols?.[i] ? ' style="text-align:left"' : '');
      const head = `<tr>${g.header.map((h, i) => `<th${left(i)}>${esc(h)}</th>`).join('')}</tr>`;
      const body = g.body.map((r) => `<tr>${r.map((c, i) => `<td${left(i)}>${esc(c)}</td>`).join('')}</tr>`).join('');
      const foot = g.footer
        .map(
          (r, i) =>
            `<tr${i === 0 ? ' style="border-top:1px solid #333"' : ''}>` +
            `${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`,
        )
        .join('');
      const notes = g.notes.length
        ? `<tfoot><tr><td colspan="${g.header.length}">${g.notes.map(esc).join('<br>')}</td></tr></tfoot>`
        : '';
      return (
        `<table class="etable"><caption>${esc(g.title)}</caption><thead>${head}</thead>` +
        `<tbody>${body}${foot}</tbody>${notes}</table>`
      );
    },
    toMarkdown() {
      const row = (r: string[]) => `| ${r.map(escapeMarkdown).join(' | ')} |`;
      return [
        g.title ? `**${escapeMarkdown(g.title)}**\n` : '',
        row(g.header),
        `|${g.header.map((_, i) => (i ? '---:' : ':---')).join('|')}|`,
        ...g.body.map(row),
        ...g.footer.map(row),
        '',
        ...g.notes.map((n) => `_${escapeMarkdown(n)}_`),
      ].join('\n');
    },
    toDocx() {
      return gridToDocx(g);
    },
    toLatex() {
      const cols = 'l' + 'c'.repeat(g.header.length - 1);
      const line = (r: string[]) => r.map(texEsc).join(' & ') + ' \\\\';
      return [
        '\\begin{table}[htbp]\\centering',
        `\\caption{${texEsc(g.title)}}`,
        `\\begin{tabular}{${cols}}`,
        '\\hline\\hline',
        line(g.header),
        '\\hline',
        ...g.body.map(line),
        '\\hline',
        ...g.footer.map(line),
        '\\hline\\hline',
        '\\end{tabular}',
        ...g.notes.map((n) => `\\par\\footnotesize ${texEsc(n)}`),
        '\\end{table}',
      ].join('\n');
    },
    toString() {
      const all = [g.header, ...g.body, ...g.footer];
      const w = g.header.map((_, c) => Math.max(...all.map((r) => (r[c] ?? '').length)));
      const fmtRow = (r: string[]) => r.map((c, i) => (i ? c.padStart(w[i]) : c.padEnd(w[i]))).join('  ');
      const rule = '─'.repeat(
        Math.max(
          0,
          w.reduce((a, b) => a + b + 2, -2),
        ),
      );
      return [
        g.title,
        rule,
        fmtRow(g.header),
        rule,
        ...g.body.map(fmtRow),
        rule,
        ...g.footer.map(fmtRow),
        rule,
        ...g.notes,
      ]
        .filter((l) => l !== undefined)
        .join('\n');
    },
  };
}

/** Table cells keep fixed decimals however large a number is (a GDP mean in yuan stays readable). */
const num = (x: number | null, d: number) => fmtNum(x, d, { sciAbove: Infinity });

function starsFor(p: number, s: [number, number, number]): string {
  return p < s[2] ? '***' : p < s[1] ? '**' : p < s[0] ? '*' : '';
}

/**
 * A regression table: coefficients with stars, SE (or t) in parentheses, fixed-effect rows, N, R².
 * @example show(etable([m1, m2, m3], { labels: labels(codebook), title: 'Table 2. Baseline regressions' }))
 */
export function etable(models: FeolsResult[], options: EtableOptions = {}): Rendered {
  const d = options.digits ?? 4;
  const stars = options.stars ?? [0.1, 0.05, 0.01];
  const lab = (t: string) => options.labels?.[t] ?? t;
  const terms = options.keep ?? [...new Set(models.flatMap((m) => m.coefficients.map((c) => c.term)))];
  const header = ['', ...(options.headers ?? models.map((_, i) => `(${i + 1})`))];
  const body: string[][] = [];
  for (const t of terms) {
    const est = models.map((m) => {
      const c = m.coefficients.find((x) => x.term === t);
      return c ? num(c.estimate, d) + starsFor(c.p_value, stars) : '';
    });
    const se = models.map((m) => {
      const c = m.coefficients.find((x) => x.term === t);
      return c ? `(${num(options.below === 't' ? c.statistic : c.std_error, d)})` : '';
    });
    if (est.every((e) => e === '')) continue;
    body.push([lab(t), ...est], ['', ...se]);
  }
  const fes = [...new Set(models.flatMap((m) => m.spec.fixedEffects))];
  const footer: string[][] = [];
  if (options.controls) footer.push(['Controls', ...controlsRow(models, options.controls)]);
  for (const [k, v] of Object.entries(options.extraRows ?? {})) footer.push([k, ...v]);
  for (const fe of fes)
    footer.push([`${lab(fe)} fixed effects`, ...models.map((m) => (m.spec.fixedEffects.includes(fe) ? 'Yes' : 'No'))]);
  footer.push(['Observations', ...models.map((m) => String(m.fit.nObs))]);
  footer.push(['R²', ...models.map((m) => num(m.fit.r2, 3))]);
  if (models.some((m) => m.fit.r2Within !== null))
    footer.push(['Within R²', ...models.map((m) => (m.fit.r2Within === null ? '' : num(m.fit.r2Within, 3)))]);
  if (models.some((m) => m.vcov.kind === 'cluster')) {
    const count = (m: FeolsResult) => (m.vcov.clusters ?? []).map((c) => String(c.count)).join(' × ');
    footer.push(['Clusters', ...models.map(count)]);
  }
  if (models.some((m) => m.firstStage))
    footer.push(['KP rk Wald F', ...models.map((m) => (m.firstStage ? num(m.firstStage.kleibergenPaapWaldF, 2) : ''))]);
  const seKinds = [...new Set(models.map((m) => seLabel(m, lab).replace(/ \(\d+\)/g, '')))];
  const notes = [
    ...modelStamp(models),
    `${options.below === 't' ? 't statistics' : 'Standard errors'} in parentheses, ${seKinds.join('; ')}. * p < ` +
      `${stars[0]}, ** p < ${stars[1]}, *** p < ${stars[2]}.`,
    ...(models.some((m) => m.vcov.kind === 'cluster')
      ? [
          'Clustered: small-sample factor (n−1)/(n−K)·G/(G−1), fixed effects nested in the cluster not counted in ' +
            'K, t with G−1 df (as fixest and reghdfe).',
        ]
      : []),
    ...(options.notes ?? []),
    ...[...new Set(models.flatMap((m) => m.warnings))].map((w) => `Warning: ${w}`),
  ];
  return { ...renderGrid({ title: options.title ?? '', header, body, footer, notes }), provenance: sourcesOf(models) };
}

/** Descriptive statistics, as a paper's Table 1: N, mean, standard deviation, min, max per variable. */
export function describe(
  data: { array(name: string): ArrayLike<unknown>; columnNames(): string[] },
  vars: string[],
  options: { labels?: Record<string, string>; title?: string; digits?: number } = {},
): Rendered & { rows: { variable: string; n: number; mean: number; sd: number; min: number; max: number }[] } {
  const d = options.digits ?? 3;
  const rows = vars.map((v) => {
    const a = numbersOf(data.array(v), v, 'describe');
    let n = 0,
      s = 0,
      lo = Infinity,
      hi = -Infinity;
    for (let i = 0; i < a.length; i++) {
      const x = a[i];
      if (Number.isNaN(x)) continue;
      n++;
      s += x;
      lo = Math.min(lo, x);
      hi = Math.max(hi, x);
    }
    const mean = s / n;
    let ss = 0;
    for (let i = 0; i < a.length; i++) {
      const x = a[i];
      if (!Number.isNaN(x)) ss += (x - mean) ** 2;
    }
    return { variable: v, n, mean, sd: Math.sqrt(ss / (n - 1)), min: lo, max: hi };
  });
  const g = renderGrid({
    title: options.title ?? 'Descriptive statistics',
    header: ['Variable', 'N', 'Mean', 'SD', 'Min', 'Max'],
    body: rows.map((r) => [
      options.labels?.[r.variable] ?? r.variable,
      String(r.n),
      num(r.mean, d),
      num(r.sd, d),
      num(r.min, d),
      num(r.max, d),
    ]),
    footer: [],
    notes: sessionStamp(),
  });
  return Object.assign(g, { rows, provenance: sourcesOf([]) });
}

/** The truth file a comparison table reads (loadTruth(DATA).file), named in its provenance line. */
const truthPart = (t: { file: string } | undefined) => (t ? [`${say('known truth: ', '已知真值：')}${t.file}`] : []);

/** A small table from rows of objects (column order from the first row). */
export function simpleTable(
  rows: Record<string, unknown>[],
  options: { title?: string; digits?: number; notes?: string[]; truth?: { file: string } } = {},
): Rendered {
  const d = options.digits ?? 4;
  if (!rows.length) {
    // Nothing to list (e.g. no controls): one line that says so, never an error.
    const empty = renderGrid({
      title: options.title ?? '',
      header: ['(no rows)'],
      body: [],
      footer: [],
      notes: [...sessionStamp(truthPart(options.truth)), ...(options.notes ?? [])],
    });
    return { ...empty, provenance: sourcesOf([]) };
  }
  const header = Object.keys(rows[0]);
  const cell = (v: unknown, h: string) =>
    typeof v === 'number'
      ? isPColumn(h)
        ? fmtP(v)
        : Number.isInteger(v)
          ? String(v)
          : num(v, d)
      : v === null || v === undefined
        ? ''
        : String(v);
  // Text columns (every non-empty value a string) are left-aligned, numbers right-aligned.
  const textCols = header.map(
    (h) => rows.some((r) => typeof r[h] === 'string') && rows.every((r) => typeof r[h] !== 'number'),
  );
  const g = renderGrid({
    title: options.title ?? '',
    header,
    textCols,
    body: rows.map((r) => header.map((h) => cell(r[h], h))),
    footer: [],
    notes: [...sessionStamp(truthPart(options.truth)), ...(options.notes ?? [])],
  });
  return { ...g, provenance: sourcesOf([]) };
}

/**
 * Coefficients as an arquero table with broom's column names: term, estimate, std_error, statistic, p_value, conf_low,
 * conf_high.
 */
export function tidy(m: FeolsResult): ReturnType<typeof aq.from> {
  return aq.from(m.coefficients);
}
