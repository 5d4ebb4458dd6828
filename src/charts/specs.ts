/**
 * Chart builders: each returns a plain Vega-Lite v5 spec (data inline) that a reader can inspect and tweak,
 * then pass to show(). Labels are English by default; pass Chinese labels from the codebook to switch.
 */
import { displayName } from '../data/reference';
import { VEGALITE_SCHEMA, type VegaLiteSpec } from './render';

interface Columns {
  array(name: string): ArrayLike<unknown>;
  columnNames(): string[];
}

/** Display names from labels() (variables, group values, chart words); a name without an entry shows as is. */
type Labels = Record<string, string> | undefined;
const show = (labels: Labels, v: unknown): string => displayName(labels, String(v));

export const BASE = {
  $schema: VEGALITE_SCHEMA,
  width: 520,
  height: 300,
  config: {
    font: 'Noto Sans, Noto Sans CJK SC, sans-serif',
    // No label limit: vega's default (180 px) cuts long labels — most Chinese indicator names — with an ellipsis;
    // the chart grows to fit them instead.
    axis: { labelFontSize: 11, titleFontSize: 12, labelLimit: 0 },
    legend: { labelFontSize: 11, labelLimit: 0 },
    // Number axes drop labels that would touch (a histogram's bin edges printed "0.0000.004"); vega measures text
    // with its own font metrics, so the gap leaves room for the browser's.
    axisQuantitative: { labelOverlap: true, labelSeparation: 6 },
  },
};

/**
 * The colour domain in the data's own order of categories (sorted raw values), shown by their display names: a
 * category keeps its colour in every language (vega would sort the translated names, so 东部 and East differ).
 */
function colourDomain(raw: ArrayLike<unknown>, labels: Labels): string[] {
  const keys = [...new Set(Array.from(raw))].filter((k) => k !== null && k !== undefined);
  keys.sort((a, b) =>
    typeof a === 'number' && typeof b === 'number' ? a - b : String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0,
  );
  return keys.map((k) => show(labels, k));
}

/** Colour by NQP dimension, each dimension keeping its colour in every language (colourDomain). */
function dimensionColour(rows: { dimension: string }[], L: Labels) {
  const domain = colourDomain(
    rows.map((r) => r.dimension),
    L,
  );
  return { field: 'dimension', type: 'nominal', title: show(L, 'Dimension'), scale: { domain } } as const;
}

const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/** Mean of `y` by `x` (year) and `group`, drawn as one line per group. */
export function linesByGroup(
  data: Columns,
  o: { x?: string; y: string; group?: string; title?: string; yTitle?: string; xTitle?: string; labels?: Labels },
): VegaLiteSpec {
  const x = data.array(o.x ?? 'year'),
    y = data.array(o.y),
    g = o.group ? data.array(o.group) : undefined;
  const acc = new Map<string, { x: unknown; group: unknown; s: number; n: number }>();
  for (let i = 0; i < x.length; i++) {
    if (!finite(y[i])) continue;
    const key = `${x[i]}|${g ? g[i] : ''}`;
    const a = acc.get(key) ?? { x: x[i], group: g ? g[i] : 'all', s: 0, n: 0 };
    a.s += y[i] as number;
    a.n++;
    acc.set(key, a);
  }
  const values = [...acc.values()].map((a) => ({ x: a.x, group: show(o.labels, a.group), mean: a.s / a.n }));
  return {
    ...BASE,
    title: o.title ?? '',
    data: { values },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'x', type: 'ordinal', title: o.xTitle ?? (o.x ? show(o.labels, o.x) : show(o.labels, 'Year')) },
      y: { field: 'mean', type: 'quantitative', title: o.yTitle ?? `Mean ${o.y}`, scale: { zero: false } },
      color: {
        field: 'group',
        type: 'nominal',
        title: o.group ? show(o.labels, o.group) : '',
        ...(g
          ? {
              scale: {
                domain: colourDomain(
                  [...acc.values()].map((a) => a.group),
                  o.labels,
                ),
              },
            }
          : {}),
      },
      tooltip: [{ field: 'x' }, { field: 'group' }, { field: 'mean', format: '.4f' }],
    },
  };
}

/** Kernel density of `value` for selected values of `by` (e.g. years 2010, 2015, 2021). */
export function densityByGroup(
  data: Columns,
  o: {
    value: string;
    by: string;
    keep?: unknown[];
    title?: string;
    xTitle?: string;
    bandwidth?: number;
    labels?: Labels;
  },
): VegaLiteSpec {
  const v = data.array(o.value),
    b = data.array(o.by);
  const values: { value: number; group: string }[] = [];
  const kept: unknown[] = [];
  for (let i = 0; i < v.length; i++) {
    if (!finite(v[i])) continue;
    if (o.keep && !o.keep.includes(b[i])) continue;
    values.push({ value: v[i] as number, group: show(o.labels, b[i]) });
    kept.push(b[i]);
  }
  return {
    ...BASE,
    title: o.title ?? '',
    data: { values },
    transform: [
      { density: 'value', groupby: ['group'], ...(o.bandwidth ? { bandwidth: o.bandwidth } : {}), steps: 120 },
    ],
    mark: { type: 'area', opacity: 0.35, line: true },
    encoding: {
      x: { field: 'value', type: 'quantitative', title: o.xTitle ?? show(o.labels, o.value) },
      y: { field: 'density', type: 'quantitative', title: show(o.labels, 'Density'), stack: null },
      color: {
        field: 'group',
        type: 'nominal',
        title: show(o.labels, o.by),
        scale: { domain: colourDomain(kept, o.labels) },
      },
    },
  };
}

/**
 * Horizontal bars of index weights, coloured by dimension. With `labels`, each bar is named by its indicator's
 * label (`indicator` field, e.g. the codebook's Chinese name) and the dimensions by theirs.
 */
export function weightBars(
  rows: { indicator?: string; label: string; dimension: string; weight: number }[],
  o: { title?: string; labels?: Labels } = {},
): VegaLiteSpec {
  const L = o.labels;
  const values = rows.map((r) => ({
    label: r.indicator ? displayName(L, r.indicator, r.label) : r.label,
    dimension: show(L, r.dimension),
    weight: r.weight,
  }));
  return {
    ...BASE,
    height: Math.max(200, rows.length * 18),
    title: o.title ?? '',
    data: { values },
    mark: 'bar',
    encoding: {
      y: { field: 'label', type: 'nominal', sort: '-x', title: null },
      x: { field: 'weight', type: 'quantitative', title: show(L, 'Entropy weight'), axis: { format: '.0%' } },
      color: dimensionColour(rows, L),
      tooltip: [{ field: 'label' }, { field: 'dimension' }, { field: 'weight', format: '.4f' }],
    },
  };
}

/** Stacked bars of each dimension's share by year. */
export function shareBars(
  rows: { year: number; dimension: string; share: number }[],
  o: { title?: string; labels?: Labels } = {},
): VegaLiteSpec {
  const L = o.labels;
  return {
    ...BASE,
    title: o.title ?? '',
    data: { values: rows.map((r) => ({ ...r, dimension: show(L, r.dimension) })) },
    mark: 'bar',
    encoding: {
      x: { field: 'year', type: 'ordinal', title: show(L, 'Year') },
      y: {
        field: 'share',
        type: 'quantitative',
        stack: 'normalize',
        title: show(L, 'Share of the index'),
        axis: { format: '.0%' },
      },
      color: dimensionColour(rows, L),
    },
  };
}

/** Binned scatter: means of y within quantile bins of x, with a fitted line y = a + b·x. */
export function binScatter(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  o: { bins?: number; slope?: number; intercept?: number; title?: string; xTitle?: string; yTitle?: string } = {},
): VegaLiteSpec {
  const pts: [number, number][] = [];
  for (let i = 0; i < x.length; i++) if (Number.isFinite(x[i]) && Number.isFinite(y[i])) pts.push([x[i], y[i]]);
  pts.sort((a, b) => a[0] - b[0]);
  const B = o.bins ?? 20;
  const bins: { x: number; y: number; n: number }[] = [];
  for (let b = 0; b < B; b++) {
    const lo = Math.floor((b * pts.length) / B),
      hi = Math.floor(((b + 1) * pts.length) / B);
    if (hi <= lo) continue;
    let sx = 0,
      sy = 0;
    for (let i = lo; i < hi; i++) {
      sx += pts[i][0];
      sy += pts[i][1];
    }
    bins.push({ x: sx / (hi - lo), y: sy / (hi - lo), n: hi - lo });
  }
  const layers: unknown[] = [
    {
      mark: { type: 'point', filled: true, size: 50 },
      encoding: {
        x: { field: 'x', type: 'quantitative', title: o.xTitle ?? 'x', scale: { zero: false } },
        y: { field: 'y', type: 'quantitative', title: o.yTitle ?? 'y', scale: { zero: false } },
        tooltip: [{ field: 'x', format: '.4f' }, { field: 'y', format: '.4f' }, { field: 'n' }],
      },
    },
  ];
  if (o.slope !== undefined) {
    const a = o.intercept ?? 0;
    const x0 = bins[0]?.x ?? 0,
      x1 = bins[bins.length - 1]?.x ?? 1;
    layers.push({
      data: {
        values: [
          { x: x0, y: a + o.slope * x0 },
          { x: x1, y: a + o.slope * x1 },
        ],
      },
      mark: { type: 'line', color: '#c0392b' },
      encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } },
    });
  }
  return { ...BASE, title: o.title ?? '', data: { values: bins }, layer: layers };
}

/** Coefficient plot: estimates with confidence intervals, one row per specification; `highlight` rows drawn in red. */
export function coefPlot(
  rows: { label: string; estimate: number; low: number; high: number; group?: string; highlight?: boolean }[],
  o: { title?: string; xTitle?: string; reference?: number } = {},
): VegaLiteSpec {
  const values = rows.map((r, i) => ({ ...r, order: i, kind: r.highlight ? 'baseline' : 'other' }));
  return {
    ...BASE,
    height: Math.max(160, rows.length * 26),
    title: o.title ?? '',
    data: { values },
    layer: [
      {
        mark: { type: 'rule' },
        encoding: {
          y: { field: 'label', type: 'nominal', sort: { field: 'order' }, title: null },
          x: { field: 'low', type: 'quantitative', title: o.xTitle ?? 'Estimate (95% CI)' },
          x2: { field: 'high' },
          color: {
            field: 'kind',
            type: 'nominal',
            scale: { domain: ['baseline', 'other'], range: ['#c0392b', '#2c3e50'] },
            legend: null,
          },
        },
      },
      {
        mark: { type: 'point', filled: true, size: 60 },
        encoding: {
          y: { field: 'label', type: 'nominal', sort: { field: 'order' } },
          x: { field: 'estimate', type: 'quantitative' },
          color: { field: 'kind', type: 'nominal', legend: null },
          tooltip: [
            { field: 'label' },
            { field: 'estimate', format: '.4f' },
            { field: 'low', format: '.4f' },
            { field: 'high', format: '.4f' },
          ],
        },
      },
      {
        data: { values: [{ ref: o.reference ?? 0 }] },
        mark: { type: 'rule', strokeDash: [4, 4], color: '#888' },
        encoding: { x: { field: 'ref', type: 'quantitative' } },
      },
    ],
  };
}

/** Histogram of bootstrap or permutation draws with vertical markers (observed value, CI bounds). */
export function drawHistogram(
  draws: ArrayLike<number>,
  markers: { label: string; value: number }[],
  o: { title?: string; xTitle?: string; bins?: number } = {},
): VegaLiteSpec {
  const values = Array.from(draws)
    .filter(Number.isFinite)
    .map((d) => ({ d }));
  return {
    ...BASE,
    title: o.title ?? '',
    layer: [
      {
        data: { values },
        mark: { type: 'bar', color: '#95a5a6' },
        encoding: {
          x: { field: 'd', type: 'quantitative', bin: { maxbins: o.bins ?? 40 }, title: o.xTitle ?? 'Draw' },
          y: { aggregate: 'count', type: 'quantitative', title: 'Draws' },
        },
      },
      {
        data: { values: markers },
        mark: { type: 'rule', strokeWidth: 2 },
        encoding: {
          x: { field: 'value', type: 'quantitative' },
          color: { field: 'label', type: 'nominal', title: null, scale: { domain: markers.map((m) => m.label) } },
        },
      },
    ],
  };
}
