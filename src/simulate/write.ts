/**
 * Writes the default panel (data/panel.csv), its latent variables (data/latent.csv) and the true parameters
 * (data/truth.json). Byte-identical on every run: fixed seed, fixed decimals, fixed row order.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { nullTruth, TRUTH, type Truth, YEARS } from './generate';
import { Rng } from '../math/rng';
import { NqpError } from '../errors';
import { formatCell, generatePanel, PANEL_COLUMNS } from './yearbook';
import { loadCities } from '../data/reference';

/** The three files and their counts: their texts (panelCsv) or the paths written (writeDefaultPanel). */
export interface PanelFiles {
  panel: string;
  latent: string;
  truth: string;
  rows: number;
  missing: number;
  outliers: number;
}

/** What to simulate: the default panel with no options. */
export interface SimulateOptions {
  /** Seed of the structural model. Default the one in truth.json (20240501). */
  seed?: number;
  /** Switch every path from NQP* to resilience off (see nullTruth): an extract where the true effect is zero. */
  nullEffect?: boolean;
  /** Keep this many cities, drawn with the seed (default all 230). */
  cities?: number;
  /** Keep the years from..to, inclusive (default 2010–2021). */
  years?: [number, number];
  /**
   * The structural model's parameters instead of the default ones (a class gives each student their own truth).
   * Default TRUTH (or nullTruth() with nullEffect); nullEffect applies on top of a given model.
   */
  model?: Truth;
}

export function panelCsv(options: SimulateOptions = {}): PanelFiles {
  const seed = options.seed ?? TRUTH.seed;
  const base = options.model ?? TRUTH;
  const model = options.nullEffect ? nullTruth(base) : base;
  const cities = loadCities();
  const g = generatePanel(cities, seed, model);
  const keep = rowsKept(
    g.latent.city,
    g.latent.year,
    cities.map((c) => c.city_code),
    seed,
    options,
  );
  const lines = [PANEL_COLUMNS.map(([c]) => c).join(',')];
  for (const r of keep) lines.push(PANEL_COLUMNS.map(([c, d]) => formatCell(g.columns[c][r], d)).join(','));
  const L = g.latent;
  const T = YEARS.length;
  const lat = [
    'city_code,year,nqp_true,resilience_true,confounder,instrument_latent,development,' +
      'indus_true,talent_true,innov_true,beta_city,resource_based,high_admin,high_gov',
  ];
  for (const r of keep) {
    const i = Math.floor(r / T);
    lat.push(
      [
        L.city[r],
        L.year[r],
        L.nqp[r].toFixed(6),
        L.resilience[r].toFixed(6),
        L.confounder[r].toFixed(6),
        L.z[r].toFixed(6),
        L.development[r].toFixed(6),
        L.mediators.indus[r].toFixed(6),
        L.mediators.talent_lq[r].toFixed(6),
        L.mediators.innov[r].toFixed(6),
        L.betaCity[i].toFixed(6),
        L.groups.resource_based[i],
        L.groups.high_admin[i],
        L.groups.high_gov[i],
      ].join(','),
    );
  }
  const kept = new Set(keep);
  const keptCities = new Set(keep.map((r) => Math.floor(r / T)));
  const outliers = g.edits.outliers.filter((o) => kept.has(o.row));
  let missing = 0;
  for (const [c] of PANEL_COLUMNS) for (const r of keep) if (Number.isNaN(g.columns[c][r])) missing++;
  const med = model.mediators;
  const indirect = Object.fromEntries(Object.entries(med).map(([k, v]) => [k, v.delta * v.theta]));
  const truth = {
    description:
      'True parameters of the structural model that generated data/panel.csv (src/data/generate.ts). Effects are ' +
      'in latent units: NQP* and R* in data/latent.csv.',
    ...model,
    seed,
    extract: extractNote(options, keep.length),
    total_effect: L.totalEffect,
    indirect_effects: indirect,
    indirect_shares:
      L.totalEffect === 0 ? null : Object.fromEntries(Object.entries(indirect).map(([k, v]) => [k, v / L.totalEffect])),
    // Over the cities written (an extract keeps only some of them).
    group_direct_effects: {
      resource_based: groupMean(L.betaCity, L.groups.resource_based, keptCities),
      high_admin: groupMean(L.betaCity, L.groups.high_admin, keptCities),
      high_gov: groupMean(L.betaCity, L.groups.high_gov, keptCities),
    },
    edits: {
      missing_cells: missing,
      outliers: outliers.map((o) => ({
        city_code: L.city[o.row],
        year: L.year[o.row],
        column: o.column,
        factor: o.factor,
      })),
    },
  };
  return {
    panel: lines.join('\n') + '\n',
    latent: lat.join('\n') + '\n',
    truth: JSON.stringify(truth, null, 2) + '\n',
    rows: keep.length,
    missing,
    outliers: outliers.length,
  };
}

function groupMean(beta: Float64Array, g: Uint8Array, cities: Set<number>): { in_group: number; others: number } {
  let s1 = 0,
    n1 = 0,
    s0 = 0,
    n0 = 0;
  for (let i = 0; i < beta.length; i++) {
    if (!cities.has(i)) continue;
    if (g[i]) {
      s1 += beta[i];
      n1++;
    } else {
      s0 += beta[i];
      n0++;
    }
  }
  return { in_group: s1 / n1, others: s0 / n0 };
}

/** The rows to write, in panel order: a seeded draw of cities and a range of years, validated. */
function rowsKept(city: Int32Array, year: Int32Array, codes: number[], seed: number, o: SimulateOptions): number[] {
  const [y0, y1] = o.years ?? [YEARS[0], YEARS[YEARS.length - 1]];
  if (!(Number.isInteger(y0) && Number.isInteger(y1) && YEARS.includes(y0) && YEARS.includes(y1) && y0 < y1))
    throw new NqpError(
      'BAD_OPTION',
      'years',
      `years must be two whole years within ${YEARS[0]}–${YEARS[YEARS.length - 1]}, the first before the last; ` +
        `got ${o.years?.join('–')}.`,
    );
  const nc = o.cities ?? codes.length;
  if (!(Number.isInteger(nc) && nc >= 10 && nc <= codes.length))
    throw new NqpError('BAD_OPTION', 'cities', `cities must be a whole number from 10 to ${codes.length}; got ${nc}.`);
  let chosen = new Set(codes);
  if (nc < codes.length) {
    const rng = new Rng(seed + 1);
    const order = codes.map((c) => ({ c, u: rng.uniform() })).sort((a, b) => a.u - b.u);
    chosen = new Set(order.slice(0, nc).map((o) => o.c));
  }
  const keep: number[] = [];
  for (let r = 0; r < city.length; r++) if (chosen.has(city[r]) && year[r] >= y0 && year[r] <= y1) keep.push(r);
  return keep;
}

function extractNote(o: SimulateOptions, rows: number): string | undefined {
  if (!o.nullEffect && o.cities === undefined && o.years === undefined && !o.model) return undefined;
  const parts = [
    o.nullEffect
      ? 'every path from NQP* to R* switched off (true effect zero)'
      : o.model
        ? 'a model with its own parameters (below)'
        : 'the default model',
  ];
  if (o.cities !== undefined) parts.push(`${o.cities} cities drawn with the seed`);
  if (o.years) parts.push(`years ${o.years[0]}–${o.years[1]}`);
  return `A simulated extract, not the default panel: ${parts.join('; ')}; ${rows} city-years.`;
}

export function writeDefaultPanel(dir: string, options: SimulateOptions = {}): PanelFiles {
  mkdirSync(dir, { recursive: true });
  const out = panelCsv(options);
  const files = { panel: join(dir, 'panel.csv'), latent: join(dir, 'latent.csv'), truth: join(dir, 'truth.json') };
  writeFileSync(files.panel, out.panel);
  writeFileSync(files.latent, out.latent);
  writeFileSync(files.truth, out.truth);
  return { ...files, rows: out.rows, missing: out.missing, outliers: out.outliers };
}
