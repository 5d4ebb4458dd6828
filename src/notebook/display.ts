/**
 * `show(x)`: one rich display bundle through the running kernel, tslab's or Deno's.
 *
 * tslab's public `display.*` sends one MIME type per call; a bundle with several (Vega-Lite JSON + PNG fallback +
 * text/plain) goes through the kernel's own display-data hook, `lastWriteDisplayData` in tslab/dist/jupyter. Under
 * `deno jupyter`, `Deno.jupyter.display(bundle, { raw: true })` sends the whole bundle, and with `display_id` and
 * `update` the same display is redrawn (update_display_data), as tslab's hook does.
 */
import { chartProvenance, isVegaLiteSpec, renderPng, renderSvg, stampChart } from '../charts';
import { latestSource, provenanceLine, staleness, type Provenance } from '../data/provenance';
import { escapeHtml } from '../html';
import { NqpError } from '../errors';
import { isFeolsResult, summary, summaryHtml } from '../report';
import { VEGALITE_MIME } from './html';
import { tr, trSpec } from '../lang';

/** Anything with HTML, Markdown and plain-text renderings (regression tables, loading reports, ...). */
export interface Displayable {
  toHtml(): string;
  toMarkdown?(): string;
  toString(): string;
}

export type Bundle = Record<string, unknown>;

function isDisplayable(x: unknown): x is Displayable {
  return !!x && typeof (x as Displayable).toHtml === 'function';
}

interface ArqueroView {
  toHTML(o?: unknown): string;
  toMarkdown(o?: unknown): string;
  numRows(): number;
}

function isArqueroTable(x: unknown): x is ArqueroView {
  const t = x as Partial<ArqueroView> | null;
  return !!t && typeof t.toHTML === 'function' && typeof t.numRows === 'function';
}

/** Build the MIME bundle `show` would send, without sending it (tests and the HTML export use this). */
export async function bundleFor(input: unknown): Promise<Bundle> {
  // Charts built before setLang('zh') (or with English titles) are shown in the language set now, then stamped.
  const x = isVegaLiteSpec(input) ? stampChart(trSpec(input)) : input;
  if (isVegaLiteSpec(x)) {
    const title = typeof x.title === 'string' ? x.title : ((x.title as { text?: string } | undefined)?.text ?? 'chart');
    // The static fallback is a PNG, not SVG: nbconvert's HTML export prefers SVG over PNG and then strips it
    // (blank charts), and GitHub's preview shows no SVG output. JupyterLab still draws the Vega-Lite spec.
    const png = renderPng(await renderSvg(x)).toString('base64');
    return { [VEGALITE_MIME]: x, 'image/png': png, 'text/plain': `<Vega-Lite chart: ${title}>` };
  }
  if (isFeolsResult(x)) return { 'text/html': summaryHtml(x), 'text/plain': summary(x) };
  if (isDisplayable(x)) {
    // Tables that do not stamp themselves (the load report, the weights tables) get the study's line under them.
    const own = Array.isArray((x as { provenance?: unknown }).provenance);
    const line = own ? undefined : sourcesOfShown(x).map((p) => provenanceLine(p))[0];
    const html = line ? `${x.toHtml()}<p class="provenance"><small>${escapeHtml(line)}</small></p>` : x.toHtml();
    const b: Bundle = { 'text/html': html, 'text/plain': line ? `${x.toString()}\n${line}` : x.toString() };
    if (x.toMarkdown) b['text/markdown'] = line ? `${x.toMarkdown()}\n\n_${line}_` : x.toMarkdown();
    return b;
  }
  if (isArqueroTable(x)) {
    return { 'text/html': x.toHTML({ limit: 50 }), 'text/plain': x.toMarkdown({ limit: 50 }) };
  }
  if (typeof x === 'string') return { 'text/markdown': x, 'text/plain': x };
  return { 'text/plain': JSON.stringify(x, null, 2) };
}

export interface DisplayMessage {
  data: Bundle;
  metadata: Record<string, unknown>;
  transient: { display_id?: string };
}
export type Writer = (msg: DisplayMessage, update: boolean) => unknown;

interface DenoJupyter {
  display(bundle: Bundle, options: { raw: boolean; update?: boolean; display_id?: string }): Promise<void>;
}

/** Deno's kernel API under `deno jupyter`; undefined in node, and in Deno outside the kernel (the getter throws). */
function denoJupyter(): DenoJupyter | undefined {
  const deno = (globalThis as { Deno?: { jupyter?: DenoJupyter } }).Deno;
  try {
    return deno?.jupyter;
  } catch {
    return undefined;
  }
}

/** The running kernel's display hook (Deno's or tslab's); undefined outside a kernel. */
export function displayWriter(): Writer | undefined {
  const dj = denoJupyter();
  if (dj) return (m, update) => dj.display(m.data, { raw: true, update, display_id: m.transient.display_id });
  try {
    return require('tslab/dist/jupyter').lastWriteDisplayData;
  } catch {
    return undefined;
  }
}

/**
 * Display a table, a report, a Vega-Lite spec or Markdown text in the notebook. Outside a kernel it prints the
 * plain-text form, so the same code works in a script.
 * @example show(etable([m1, m2]));  show(linesByGroup(panel, 'nqp', 'region'));
 */
export async function show(x: unknown): Promise<void> {
  refuseStale(x);
  const bundle = await bundleFor(x);
  const w = displayWriter();
  if (!w) {
    console.log(bundle['text/plain']);
    return;
  }
  await w({ data: bundle, metadata: {}, transient: {} }, false);
}

/** The data and settings a displayable result records: a table's, a model's, a chart's. */
export function sourcesOfShown(x: unknown): Provenance[] {
  if (isVegaLiteSpec(x)) {
    const p = chartProvenance(stampChart(x));
    return p ? [p] : [];
  }
  if (isFeolsResult(x)) return x.provenance ? [x.provenance] : [];
  const p = (x as { provenance?: Provenance[] } | null)?.provenance;
  if (Array.isArray(p)) return p;
  const l = isDisplayable(x) ? latestSource() : undefined;
  return l ? [l] : [];
}

/**
 * A reviewer edited the settings cell and re-ran it, but not the cells between it and this one: the result was
 * computed under the old settings. Refuse to show it, naming what changed and the cell to re-run.
 */
function refuseStale(x: unknown): void {
  const what = isVegaLiteSpec(x) ? 'This chart' : isFeolsResult(x) ? 'This model' : 'This table';
  for (const p of sourcesOfShown(x)) {
    const why = staleness(p, what);
    if (why) throw new NqpError('STALE_RESULT', p.builtBy, why);
  }
}

/**
 * Send a display without waiting for it (progress bars, answers). Deno's display returns a promise: a failure is
 * reported on stderr, not left as an unhandled rejection (which would end Deno's kernel) or lost.
 */
export function sendNow(w: Writer, msg: DisplayMessage, update: boolean): void {
  const sent = w(msg, update);
  if (sent instanceof Promise)
    sent.catch((e: unknown) => console.error(`display failed: ${e instanceof Error ? e.message : String(e)}`));
}

/** A display that can be updated in place (progress bars). Returns a function taking HTML. */
export function liveHtml(): (html: string) => void {
  let id: string | undefined;
  let first = true;
  return (html: string) => {
    const w = displayWriter();
    if (!w) return;
    id ??= Math.random().toString(16).slice(2);
    sendNow(
      w,
      {
        data: { 'text/html': html, 'text/plain': html.replace(/<[^>]+>/g, '') },
        metadata: {},
        transient: { display_id: id },
      },
      !first,
    );
    first = false;
  };
}

/**
 * A progress bar for long loops (bootstrap, permutations): returns a callback (done, total) that redraws one
 * display in place. The loop must await between updates (mediation and groupDiff do).
 */
export function progressBar(label: string): (done: number, total: number) => void {
  const draw = liveHtml();
  const t0 = Date.now();
  return (done, total) => {
    const pct = Math.round((100 * done) / total);
    draw(
      `<div style="font:13px sans-serif">${escapeHtml(tr(label))}: ${done}/${total} (${pct}%, ` +
        `${((Date.now() - t0) / 1000).toFixed(1)} s)<div style="background:#eee;width:320px;height:8px"><div ` +
        `style="background:#2c7fb8;width:${pct}%;height:8px"></div></div></div>`,
    );
  };
}
