/**
 * Server-side rendering of Vega-Lite specs to SVG with vega's headless View, so every output format
 * (classic Notebook, nbconvert, GitHub, the HTML pages with scripts off) has a static picture.
 */
export type VegaLiteSpec = Record<string, unknown>;

export const VEGALITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v5.json';

/** True when `x` looks like a Vega-Lite spec (has a vega-lite $schema, or a mark / composition key). */
export function isVegaLiteSpec(x: unknown): x is VegaLiteSpec {
  if (!x || typeof x !== 'object' || Array.isArray(x)) return false;
  const o = x as Record<string, unknown>;
  if (typeof o.$schema === 'string') return o.$schema.includes('vega-lite');
  return (
    'mark' in o || 'layer' in o || 'hconcat' in o || 'vconcat' in o || 'concat' in o || 'facet' in o || 'repeat' in o
  );
}

/** Render a Vega-Lite spec to an SVG string. */
export async function renderSvg(spec: VegaLiteSpec): Promise<string> {
  const vl = require('vega-lite');
  const vega = require('vega');
  const compiled = vl.compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
