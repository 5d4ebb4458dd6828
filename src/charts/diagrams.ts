/** Charts that are drawings rather than plots of a table: the mediation path diagram and the city map. */
import type { VegaLiteSpec } from './render';
import { BASE } from './specs';
import { quantile } from '../math/stats';
import { displayName } from '../data/reference';

/**
 * Mediation path diagram: NQP → mediator (a), mediator → outcome (b), NQP → outcome direct (c′); labels carry the
 * estimates.
 */
export function pathDiagram(o: {
  x: string;
  m: string;
  y: string;
  a: string;
  b: string;
  c: string;
  indirect?: string;
  title?: string;
}): VegaLiteSpec {
  const W = 520,
    H = 230,
    xd: [number, number] = [-0.5, 2.5],
    yd: [number, number] = [-0.35, 1.3];
  const nodes = [
    { name: o.x, px: 0, py: 0 },
    { name: o.m, px: 1, py: 1 },
    { name: o.y, px: 2, py: 0 },
  ].map((n) => {
    const half = n.py === 1 ? 0.56 : 0.42; // the mediator's name is the longest
    return { ...n, x1: n.px - half, x2: n.px + half, y1: n.py - 0.13, y2: n.py + 0.13 };
  });
  const edges = [
    { x1: 0.2, y1: 0.13, x2: 0.8, y2: 0.87, label: `a = ${o.a}`, lx: 0.28, ly: 0.62 },
    { x1: 1.2, y1: 0.87, x2: 1.8, y2: 0.13, label: `b = ${o.b}`, lx: 1.72, ly: 0.62 },
    { x1: 0.42, y1: 0, x2: 1.58, y2: 0, label: `c′ = ${o.c}`, lx: 1, ly: -0.14 },
  ];
  // Arrowheads at the edge ends, rotated to the edge's direction in pixel space (Vega angles run clockwise).
  const px = W / (xd[1] - xd[0]),
    py = H / (yd[1] - yd[0]);
  const heads = edges.map((e) => ({
    x: e.x2,
    y: e.y2,
    angle: (Math.atan2(-(e.y2 - e.y1) * py, (e.x2 - e.x1) * px) * 180) / Math.PI + 90,
  }));
  const sx = { domain: xd },
    sy = { domain: yd };
  const X = (f: string) => ({ field: f, type: 'quantitative', scale: sx, axis: null });
  const Y = (f: string) => ({ field: f, type: 'quantitative', scale: sy, axis: null });
  return {
    ...BASE,
    width: W,
    height: H,
    title: o.title ?? (o.indirect ? `Indirect effect a·b = ${o.indirect}` : ''),
    layer: [
      {
        data: { values: edges },
        mark: { type: 'rule', strokeWidth: 2, color: '#7f8c8d' },
        encoding: { x: X('x1'), y: Y('y1'), x2: { field: 'x2' }, y2: { field: 'y2' } },
      },
      {
        data: { values: heads },
        mark: { type: 'point', shape: 'triangle-up', filled: true, size: 90, color: '#7f8c8d', opacity: 1 },
        encoding: { x: X('x'), y: Y('y'), angle: { field: 'angle', type: 'quantitative', scale: null } },
      },
      {
        data: { values: edges },
        mark: { type: 'text', fontSize: 12, color: '#2c3e50' },
        encoding: { x: X('lx'), y: Y('ly'), text: { field: 'label' } },
      },
      {
        data: { values: nodes },
        mark: { type: 'rect', fill: '#eaf2f8', stroke: '#2c3e50', cornerRadius: 4 },
        encoding: { x: X('x1'), x2: { field: 'x2' }, y: Y('y1'), y2: { field: 'y2' } },
      },
      {
        data: { values: nodes },
        mark: { type: 'text', fontSize: 12, fontWeight: 'bold' },
        encoding: { x: X('px'), y: Y('py'), text: { field: 'name' } },
      },
    ],
  };
}

/** Dot map of cities by longitude and latitude, coloured by a value (no base map: works offline). */
export function cityMap(
  rows: { name: string; lon: number; lat: number; value: number }[],
  o: { title?: string; valueTitle?: string } = {},
): VegaLiteSpec {
  return {
    ...BASE,
    width: 520,
    height: 420,
    title: o.title ?? '',
    data: { values: rows },
    projection: { type: 'mercator' },
    mark: { type: 'circle', size: 40, opacity: 0.85 },
    encoding: {
      longitude: { field: 'lon', type: 'quantitative' },
      latitude: { field: 'lat', type: 'quantitative' },
      color: { field: 'value', type: 'quantitative', title: o.valueTitle ?? 'value', scale: { scheme: 'viridis' } },
      tooltip: [{ field: 'name' }, { field: 'value', format: '.3f' }],
    },
  };
}

/**
 * Cities as dots, one row per province (sorted by the province's median), coloured by region: where a map without
 * boundaries would leave the reader guessing, this names every province and shows the spread of its cities.
 */
export function provinceDots(
  rows: { name: string; province: string; region: string; value: number }[],
  o: { title?: string; valueTitle?: string; labels?: Record<string, string> } = {},
): VegaLiteSpec {
  const show = (k: string) => displayName(o.labels, k);
  const byProvince = new Map<string, number[]>();
  for (const r of rows)
    if (Number.isFinite(r.value)) byProvince.set(r.province, [...(byProvince.get(r.province) ?? []), r.value]);
  const median = (v: number[]) => quantile(v, 0.5);
  const order = [...byProvince].sort((a, b) => median(b[1]) - median(a[1])).map(([p]) => p);
  return {
    ...BASE,
    width: 460,
    height: Math.max(200, order.length * 16),
    title: o.title ?? '',
    data: { values: rows.filter((r) => Number.isFinite(r.value)).map((r) => ({ ...r, region: show(r.region) })) },
    mark: { type: 'circle', size: 36, opacity: 0.8 },
    encoding: {
      y: { field: 'province', type: 'nominal', sort: order, title: null },
      x: { field: 'value', type: 'quantitative', title: o.valueTitle ?? 'value', scale: { zero: false } },
      // Regions in their own order (not the translated names' sort), so each keeps its colour in every language.
      color: {
        field: 'region',
        type: 'nominal',
        title: show('region'),
        scale: { domain: [...new Set(rows.map((r) => r.region))].sort().map(show) },
      },
      tooltip: [{ field: 'name' }, { field: 'province' }, { field: 'value', format: '.3f' }],
    },
  };
}
