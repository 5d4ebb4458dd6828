/**
 * The provenance line drawn into a chart: a subtitle under its title, so the PNG, the SVG and the Vega-Lite
 * spec each carry it (a screenshot of the chart alone still says "Simulated data" and which file).
 */
import { latestSource, provenanceLine, type Provenance } from '../data/provenance';
import type { VegaLiteSpec } from './render';

/** Break a provenance line at its "; " separators into lines of at most `width` characters. */
export function wrapLine(line: string, width = 90): string[] {
  // Parts are separated by "; " (English) or "；" (Chinese); a CJK character is about two Latin ones wide.
  const zh = line.includes('；');
  const sep = zh ? '；' : '; ';
  const wide = (x: string) => x.length + (x.match(/[\u3000-\u9fff\uff00-\uffef]/g)?.length ?? 0);
  const out: string[] = [];
  let cur = '';
  for (const part of line.split(sep)) {
    const next = cur ? `${cur}${sep}${part}` : part;
    if (cur && wide(next) > width) {
      out.push(`${cur}${sep.trim()}`);
      cur = part;
    } else cur = next;
  }
  if (cur) out.push(cur);
  return out;
}

/** The provenance a chart was stamped with, if any. */
export function chartProvenance(spec: VegaLiteSpec): Provenance | undefined {
  return (spec.usermeta as { provenance?: Provenance } | undefined)?.provenance;
}

/**
 * The chart with its provenance subtitle (the session's latest study unless `source` is given); a chart already
 * stamped, or drawn with no study loaded, is returned as it is.
 */
export function stampChart(spec: VegaLiteSpec, source: Provenance | undefined = latestSource()): VegaLiteSpec {
  if (!source || chartProvenance(spec)) return spec;
  const t = spec.title;
  const title = typeof t === 'object' && t !== null ? (t as Record<string, unknown>) : { text: t ?? '' };
  const sub = title.subtitle === undefined ? [] : ([] as string[]).concat(title.subtitle as string | string[]);
  return {
    ...spec,
    title: {
      ...title,
      subtitle: [...sub, ...wrapLine(provenanceLine(source))],
      subtitleFontSize: 10,
      subtitleColor: '#555',
      anchor: 'start',
    },
    usermeta: { ...((spec.usermeta as object | undefined) ?? {}), provenance: source },
  };
}
