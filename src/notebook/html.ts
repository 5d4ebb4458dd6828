/**
 * Self-contained HTML pages from executed notebooks: readable offline, with math rendered by KaTeX on the server,
 * tables styled for reading, and charts interactive through the vega runtime inlined once per page. Each chart
 * keeps its server-rendered SVG inside the page, so with scripts off the reader still sees it.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type sanitizeHtml from 'sanitize-html';
import { escapeHtml } from '../html';
import type { CellOutput } from './kernel';
import { fromPack } from './pack';

export interface NotebookCell {
  cell_type: 'code' | 'markdown' | 'raw';
  source: string | string[];
  outputs?: CellOutput[];
  execution_count?: number | null;
  metadata?: Record<string, unknown>;
}
export interface Notebook {
  cells: NotebookCell[];
  metadata: Record<string, unknown>;
  nbformat: number;
  nbformat_minor: number;
}

/** The folder of an installed package (its main entry sits in `build/` for the vega family). */
function packageDir(pkg: string): string {
  const main = require.resolve(pkg);
  const marker = join('node_modules', pkg);
  return main.slice(0, main.lastIndexOf(marker) + marker.length);
}

export const VEGALITE_MIME = 'application/vnd.vegalite.v5+json';

export function cellSource(cell: NotebookCell): string {
  return Array.isArray(cell.source) ? cell.source.join('') : cell.source;
}

/** Strip ANSI colour codes that kernels put in tracebacks. */
function stripAnsi(s: string): string {
  // eslint-disable-next-line no-control-regex
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI colour codes in kernel tracebacks start with ESC.
  return s.replace(/\u001b\[[0-9;]*m/g, '');
}

let katexCss: string | undefined;
function inlineKatexCss(): string {
  if (katexCss !== undefined) return katexCss;
  const dist = dirname(require.resolve('katex/dist/katex.min.css'));
  let css = readFileSync(join(dist, 'katex.min.css'), 'utf8');
  const fonts = new Set(readdirSync(join(dist, 'fonts')).filter((f) => f.endsWith('.woff2')));
  // Keep only the woff2 sources, inlined, so math renders offline with KaTeX's own fonts.
  css = css.replace(/src:([^;}]*)/g, (_m, srcs: string) => {
    const first = /url\(fonts\/([^)]+\.woff2)\)/.exec(srcs);
    if (!first || !fonts.has(first[1])) return `src:${srcs}`;
    const b64 = readFileSync(join(dist, 'fonts', first[1])).toString('base64');
    return `src:url(data:font/woff2;base64,${b64}) format("woff2")`;
  });
  katexCss = css;
  return css;
}

/**
 * What an exported page may contain from a notebook's outputs and Markdown (sanitize-html allowlist): text
 * markup, tables, images, KaTeX's spans and SVG. No scripts, no event handlers, no iframes, no javascript: links:
 * a city name, label or column name carrying `<script>` or `<img onerror>` shows as text or is dropped.
 */
const safeOptions = (defaultTags: string[]): sanitizeHtml.IOptions => ({
  allowedTags: [
    ...defaultTags,
    'img',
    'span',
    'svg',
    'path',
    'line',
    'g',
    'rect',
    'text',
    'math',
    'semantics',
    'mrow',
    'mi',
    'mo',
    'mn',
    'msup',
    'msub',
    'mfrac',
    'msqrt',
    'mtext',
    'annotation',
  ],
  allowedAttributes: {
    '*': ['class', 'style', 'title', 'aria-hidden', 'colspan', 'rowspan', 'id'],
    a: ['href', 'name', 'target'],
    img: ['src', 'alt', 'width', 'height'],
    svg: ['width', 'height', 'viewbox', 'viewBox', 'preserveaspectratio', 'preserveAspectRatio', 'xmlns'],
    path: ['d', 'fill', 'stroke'],
    line: ['x1', 'x2', 'y1', 'y2', 'stroke', 'stroke-width'],
    annotation: ['encoding'],
  },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['data', 'http', 'https'] },
  parser: { lowerCaseAttributeNames: false },
});

let safe: sanitizeHtml.IOptions | undefined;

/** A library of the page writer: from dist/pages.pack when the build made one (src/notebook/pack.ts), else node's. */
function pageLib<T>(id: 'sanitize-html' | 'katex' | 'marked'): T {
  return fromPack<T>(id, module) ?? (require(id) as T);
}

/** Sanitise HTML from a notebook before it enters a page. */
export function safeHtml(html: string): string {
  // Loaded on first use (about 60 ms of CPU): a kernel that never writes a page need not load it.
  const sanitize = pageLib<typeof sanitizeHtml>('sanitize-html');
  safe ??= safeOptions(sanitize.defaults.allowedTags);
  return sanitize(html, safe);
}

/** Markdown with `$...$` and `$$...$$` math to HTML. Math is cut out before Markdown parsing so `_` and `*` survive. */
export function markdownToHtml(md: string): string {
  const katex = pageLib<typeof import('katex')>('katex');
  const { marked } = pageLib<typeof import('marked')>('marked');
  const math: string[] = [];
  const protect = (tex: string, display: boolean) => {
    math.push(katex.renderToString(tex, { displayMode: display, throwOnError: false, output: 'html' }));
    return `@@MATH${math.length - 1}@@`;
  };
  let text = md.replace(/\$\$([\s\S]+?)\$\$/g, (_m, tex: string) => protect(tex, true));
  text = text.replace(/(^|[^\\$])\$([^$\n]+?)\$/g, (_m, pre: string, tex: string) => pre + protect(tex, false));
  const html: string = marked.parse(text, { async: false, gfm: true });
  return safeHtml(html.replace(/@@MATH(\d+)@@/g, (_m, i: string) => math[Number(i)]));
}

function asText(v: unknown): string {
  return Array.isArray(v) ? v.join('') : String(v ?? '');
}

function renderOutput(o: CellOutput, chartIds: { n: number }, specs: string[]): string {
  if (o.output_type === 'stream') {
    return `<pre class="stream ${o.name}">${escapeHtml(asText(o.text))}</pre>`;
  }
  if (o.output_type === 'error') {
    const text = o.traceback.length ? o.traceback.join('\n') : `${o.ename}: ${o.evalue}`;
    return `<pre class="error">${escapeHtml(stripAnsi(text))}</pre>`;
  }
  const d = o.data;
  if (d[VEGALITE_MIME]) {
    const id = `chart-${chartIds.n++}`;
    specs.push(`[${JSON.stringify(id)}, ${JSON.stringify(d[VEGALITE_MIME]).replace(/</g, '\\u003c')}]`);
    // Until vega-embed draws it (or with scripts off), the chart's static picture.
    const fallback = d['image/png']
      ? `<img alt="chart" src="data:image/png;base64,${asText(d['image/png'])}">`
      : d['image/svg+xml']
        ? safeHtml(asText(d['image/svg+xml']))
        : '';
    return `<div class="chart" id="${id}">${fallback}</div>`;
  }
  if (d['text/html']) return `<div class="html-output">${safeHtml(asText(d['text/html']))}</div>`;
  if (d['image/svg+xml']) return `<div class="svg-output">${safeHtml(asText(d['image/svg+xml']))}</div>`;
  if (d['image/png']) return `<img alt="figure" src="data:image/png;base64,${asText(d['image/png'])}">`;
  if (d['text/markdown']) return `<div class="md-output">${markdownToHtml(asText(d['text/markdown']))}</div>`;
  if (d['text/plain']) return `<pre class="result">${escapeHtml(asText(d['text/plain']))}</pre>`;
  return '';
}

const PAGE_CSS = `
body{font:16px/1.55 -apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans CJK SC","WenQuanYi Micro Hei",sans-serif;
max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1f24}
h1,h2,h3{line-height:1.25}h1{border-bottom:2px solid #ccc;padding-bottom:.3rem}
.cell{margin:1rem 0}
.code pre.source{background:#f6f8fa;border-left:3px solid #6a8caf;padding:.6rem .8rem;overflow-x:auto;font-size:13.5px;
white-space:pre-wrap;overflow-wrap:anywhere}
.prompt{color:#888;font:12px monospace}
pre.stream,pre.result{background:#fff;border-left:3px solid #ddd;padding:.4rem .8rem;overflow-x:auto;font-size:13px;
white-space:pre-wrap}
pre.stderr{border-left-color:#d9a400}
pre.error{background:#fff0f0;border-left:3px solid #c00;padding:.6rem;white-space:pre-wrap}
table{border-collapse:collapse;margin:.6rem 0;font-size:14px;font-variant-numeric:tabular-nums}
th,td{padding:.2rem .6rem;text-align:right}th:first-child,td:first-child{text-align:left}
thead th{border-bottom:1px solid #333}table{border-top:2px solid #333;border-bottom:2px solid #333}
caption{caption-side:top;text-align:left;font-weight:600;padding:.3rem 0}
tfoot td{font-size:12px;text-align:left;color:#444;border-top:1px solid #333}
.chart svg{max-width:100%;height:auto}
`;

let runtime: string | undefined;
/** The vega, vega-lite and vega-embed builds as three inline scripts: read once per process, the same on every page. */
function vegaRuntime(): string {
  const read = (pkg: string, file: string) =>
    readFileSync(join(packageDir(pkg), 'build', file), 'utf8').replace(/<\/script/gi, '<\\/script');
  runtime ??= [
    `<script>${read('vega', 'vega.min.js')}</script>`,
    `<script>${read('vega-lite', 'vega-lite.min.js')}</script>`,
    `<script>${read('vega-embed', 'vega-embed.min.js')}</script>`,
  ].join('\n');
  return runtime;
}

/** Render an executed notebook to one self-contained HTML page. */
export function notebookToHtml(nb: Notebook, title: string, lang: 'en' | 'zh' = 'en'): string {
  const parts: string[] = [];
  const specs: string[] = [];
  const ids = { n: 0 };
  for (const cell of nb.cells) {
    const src = cellSource(cell);
    if (cell.cell_type === 'markdown') {
      parts.push(`<div class="cell markdown">${markdownToHtml(src)}</div>`);
    } else if (cell.cell_type === 'code') {
      const n = cell.execution_count ?? ' ';
      const outs = (cell.outputs ?? []).map((o) => renderOutput(o, ids, specs)).join('\n');
      parts.push(
        `<div class="cell code"><div class="prompt">In [${n}]:</div><pre ` +
          `class="source"><code>${escapeHtml(src)}</code></pre>${outs}</div>`,
      );
    }
  }
  let scripts = '';
  if (specs.length) {
    scripts = [
      vegaRuntime(),
      `<script>
const NQP_SPECS = [${specs.join(',\n')}];
for (const [id, spec] of NQP_SPECS) {
  const el = document.getElementById(id);
  const fallback = el.innerHTML;
  el.innerHTML = '';
  vegaEmbed(el, spec, { actions: { export: true, source: true, compiled: false, editor: false }, renderer: 'svg' })
    .catch((e) => { el.innerHTML = fallback; console.error('chart ' + id + ': ' + e); });
}
</script>`,
    ].join('\n');
  }
  return `<!doctype html>
<html lang="${lang === 'zh' ? 'zh-CN' : 'en'}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${inlineKatexCss()}</style><style>${PAGE_CSS}</style></head>
<body>
${parts.join('\n')}
${scripts}
</body></html>
`;
}
