/**
 * Compare two executed copies of a notebook (the tslab run and the Deno run): the same outputs in the same cells,
 * of the same types and MIME types, with the same text. Two things may differ, and only these: a progress bar's
 * elapsed seconds, and the last bits of raw floating-point numbers in JSON outputs (chart data, recorded answers),
 * because Node's V8 and Deno's compute Math.exp, Math.log, Math.pow... to within an ulp, not bit for bit: those
 * must agree to 1e-9 relative (a permutation draw is a difference of two estimates, so an ulp in each is ~1e-12 of
 * it). Every number a reader sees (tables, printed lines, the text of charts) must be equal, and chart images
 * must have the same size.
 */
type Json = any;

export interface Comparison {
  differences: string[];
  outputs: number;
  charts: number;
  tables: number;
  bars: number;
  maxRelDiff: number;
}

const VEGALITE = 'application/vnd.vegalite.v5+json';
const ELAPSED = /\((\d+)%, [\d.]+ s\)/g;

function text(x: Json): string {
  return (Array.isArray(x) ? x.join('') : String(x)).replace(ELAPSED, '($1%, … s)');
}

function isProgressBar(o: Json): boolean {
  return o.output_type === 'display_data' && /background:#2c7fb8;width:\d+%/.test(text(o.data?.['text/html'] ?? ''));
}

/** Largest relative difference between two JSON values alike in shape, or Infinity where they differ otherwise. */
function jsonDiff(a: Json, b: Json, path: string, out: string[]): number {
  if (typeof a === 'number' && typeof b === 'number') {
    if (a === b) return 0;
    const rel = Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));
    if (!(rel <= 1e-9)) out.push(`${path}: ${a} against ${b}`);
    return rel;
  }
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') {
    if (a !== b) out.push(`${path}: ${JSON.stringify(a)?.slice(0, 80)} against ${JSON.stringify(b)?.slice(0, 80)}`);
    return 0;
  }
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  if (Array.isArray(a) !== Array.isArray(b) || (Array.isArray(a) && a.length !== b.length))
    out.push(`${path}: shapes differ`);
  let m = 0;
  for (const k of keys) m = Math.max(m, jsonDiff(a[k], b[k], `${path}.${k}`, out));
  return m;
}

function pngSize(b64: string): string {
  const png = Buffer.from(b64, 'base64');
  if (png.subarray(1, 4).toString('latin1') !== 'PNG') return 'not a PNG';
  return `${png.readUInt32BE(16)}×${png.readUInt32BE(20)}`;
}

export function compareRuns(tslab: Json, deno: Json, name: string): Comparison {
  const c: Comparison = { differences: [], outputs: 0, charts: 0, tables: 0, bars: 0, maxRelDiff: 0 };
  const diff = (s: string) => c.differences.push(`${name} ${s}`);
  if (tslab.cells.length !== deno.cells.length) diff(`has ${tslab.cells.length} cells against ${deno.cells.length}`);
  tslab.cells.forEach((ct: Json, i: number) => {
    const cd = deno.cells[i];
    if (ct.cell_type !== 'code' || !cd) return;
    const kinds = (os: Json[]) =>
      os
        .map(
          (o) =>
            `${o.output_type}:${
              o.name ??
              Object.keys(o.data ?? {})
                .sort()
                .join('+')
            }`,
        )
        .join(', ');
    if (kinds(ct.outputs) !== kinds(cd.outputs))
      return diff(`cell ${i + 1}: outputs [${kinds(ct.outputs)}] against [${kinds(cd.outputs)}]`);
    ct.outputs.forEach((a: Json, j: number) => {
      const b = cd.outputs[j];
      const where = `cell ${i + 1} output ${j + 1}`;
      c.outputs++;
      if (a.output_type === 'error') return diff(`${where}: an error in the tslab run`);
      if (a.output_type === 'stream') {
        if (text(a.text) !== text(b.text)) diff(`${where}: ${a.name} differs`);
        return;
      }
      if (isProgressBar(a)) c.bars++;
      else if (a.data[VEGALITE]) c.charts++;
      else if (a.data['text/html']) c.tables++;
      for (const mime of Object.keys(a.data)) {
        const [x, y] = [a.data[mime], b.data[mime]];
        if (mime === 'image/png') {
          if (pngSize(text(x)) !== pngSize(text(y)))
            diff(`${where}: PNG ${pngSize(text(x))} against ${pngSize(text(y))}`);
        } else if (mime.endsWith('json')) {
          const out: string[] = [];
          c.maxRelDiff = Math.max(c.maxRelDiff, jsonDiff(x, y, mime, out));
          for (const d of out.slice(0, 3)) diff(`${where}: ${d}`);
        } else if (text(x) !== text(y)) diff(`${where}: ${mime} differs`);
      }
    });
  });
  return c;
}
