/**
 * Writes the default panel (data/panel.csv), its latent variables (data/latent.csv) and the true parameters
 * (data/truth.json). Byte-identical on every run: fixed seed, fixed decimals, fixed row order.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TRUTH, YEARS } from './generate';
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

export function panelCsv(seed = TRUTH.seed): PanelFiles {
  const cities = loadCities();
  const g = generatePanel(cities, seed);
  const n = g.latent.n;
  const lines = [PANEL_COLUMNS.map(([c]) => c).join(',')];
  for (let r = 0; r < n; r++) lines.push(PANEL_COLUMNS.map(([c, d]) => formatCell(g.columns[c][r], d)).join(','));
  const L = g.latent;
  const T = YEARS.length;
  const lat = [
    'city_code,year,nqp_true,resilience_true,confounder,instrument_latent,development,' +
      'indus_true,talent_true,innov_true,beta_city,resource_based,high_admin,high_gov',
  ];
  for (let r = 0; r < n; r++) {
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
  const med = TRUTH.mediators;
  const indirect = Object.fromEntries(Object.entries(med).map(([k, v]) => [k, v.delta * v.theta]));
  const truth = {
    description:
      'True parameters of the structural model that generated data/panel.csv (src/data/generate.ts). Effects are ' +
      'in latent units: NQP* and R* in data/latent.csv.',
    ...TRUTH,
    seed,
    total_effect: L.totalEffect,
    indirect_effects: indirect,
    indirect_shares: Object.fromEntries(Object.entries(indirect).map(([k, v]) => [k, v / L.totalEffect])),
    group_direct_effects: {
      resource_based: groupMean(L.betaCity, L.groups.resource_based),
      high_admin: groupMean(L.betaCity, L.groups.high_admin),
      high_gov: groupMean(L.betaCity, L.groups.high_gov),
    },
    edits: {
      missing_cells: g.edits.missing,
      outliers: g.edits.outliers.map((o) => ({
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
    rows: n,
    missing: g.edits.missing,
    outliers: g.edits.outliers.length,
  };
}

function groupMean(beta: Float64Array, g: Uint8Array): { in_group: number; others: number } {
  let s1 = 0,
    n1 = 0,
    s0 = 0,
    n0 = 0;
  for (let i = 0; i < beta.length; i++) {
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

export function writeDefaultPanel(dir: string, seed = TRUTH.seed): PanelFiles {
  mkdirSync(dir, { recursive: true });
  const out = panelCsv(seed);
  const files = { panel: join(dir, 'panel.csv'), latent: join(dir, 'latent.csv'), truth: join(dir, 'truth.json') };
  writeFileSync(files.panel, out.panel);
  writeFileSync(files.latent, out.latent);
  writeFileSync(files.truth, out.truth);
  return { ...files, rows: out.rows, missing: out.missing, outliers: out.outliers };
}
