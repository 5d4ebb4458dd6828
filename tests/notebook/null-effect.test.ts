import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NOTEBOOKS } from '../../src/notebook';
import { nqpCli, scratch } from '../helpers';

// The five notebooks on an extract where the true effect is zero: the simulator with every path from NQP* to
// resilience switched off, 120 of the 230 cities and the years 2011–2019. The prose must follow the results: no
// claims table or sentence may say the paper's claims hold, and no page may show the default panel's years or a
// machine path. `nqp data` writes truth.json beside the panel, so the truth comparisons run on it, naming that file.
const TMP = scratch('null-effect');
const nqp = nqpCli;

interface Cell {
  cell_type: string;
  source: string[] | string;
  outputs?: { text?: string[] | string; data?: Record<string, string[] | string> }[];
}
const joined = (t: string[] | string) => (Array.isArray(t) ? t.join('') : t);
/** Everything a reader sees: markdown cells, and outputs as text (HTML tags removed). */
function pageText(nb: { cells: Cell[] }): { markdown: string; outputs: string } {
  const md: string[] = [];
  const out: string[] = [];
  for (const c of nb.cells) {
    if (c.cell_type === 'markdown') md.push(joined(c.source));
    for (const o of c.outputs ?? []) {
      if (o.text) out.push(joined(o.text));
      const d = o.data ?? {};
      const t = d['text/markdown'] ?? d['text/plain'] ?? d['text/html'];
      if (t && !d['image/svg+xml']) out.push(joined(t).replace(/<[^>]+>/g, ' '));
    }
  }
  return { markdown: md.join('\n'), outputs: out.join('\n') };
}
/** Rows of a Markdown table whose title contains `title`: cells of each body row. */
function tableRows(outputs: string, title: string): string[][] {
  const at = outputs.indexOf(title);
  assert.ok(at >= 0, `no table "${title}"`);
  const lines = outputs.slice(at).split('\n').slice(1);
  const start = lines.findIndex((l) => l.startsWith('|'));
  const rows: string[][] = [];
  for (const l of lines.slice(start + 2)) {
    if (!l.startsWith('|')) break;
    rows.push(
      l
        .split('|')
        .slice(1, -1)
        .map((s) => s.trim()),
    );
  }
  return rows;
}

test('zero-effect extract (120 cities, 2011–2019): no claim holds, no default-panel year, truth or path', () => {
  const gen = nqp('data', '--null-effect', '--cities', '120', '--years', '2011-2019', '--out', join(TMP, 'data'));
  assert.equal(gen.status, 0, gen.stderr);
  assert.match(gen.stdout, /true effect zero: 1080 city-years/);
  const truth = JSON.parse(readFileSync(join(TMP, 'data', 'truth.json'), 'utf8'));
  assert.equal(truth.total_effect, 0);
  const r = nqp('reproduce', '--data', join(TMP, 'data', 'panel.csv'), '--out', join(TMP, 'out'));
  assert.equal(r.status, 0, r.stderr.split('\n').slice(-8).join('\n'));
  const pages = Object.fromEntries(
    NOTEBOOKS.map((n) => [n, pageText(JSON.parse(readFileSync(join(TMP, 'out', `${n}.ipynb`), 'utf8')))]),
  );
  for (const [name, p] of Object.entries(pages)) {
    assert.match(p.outputs, /Data: panel\.csv — 120 cities, 2011–2019/, `${name}: provenance`);
    // Years of the default panel that the extract does not have, as years (not inside numbers such as seeds).
    // A citation's year ("Zhao, Lynch & Chen 2010") is not a data year: citations are left out first.
    const cited = /\b[A-Z][a-z]+(?:(?:,| &| and) [A-Z][a-z]+)* \(?(?:19|20)\d\d\)?/g;
    const stray = p.outputs.replace(cited, '').match(/(?<![\d.])20(10|20|21)(?![\d.])/g);
    assert.equal(stray, null, `${name}: shows ${stray?.join(', ')}`);
    assert.doesNotMatch(p.outputs, /230 cities|2,760|2760 city-years/, `${name}: default panel's size`);
    for (const text of [p.markdown, p.outputs])
      assert.doesNotMatch(text, /(^|[\s(])\/(tmp|work|home|root|usr)\//m, `${name}: absolute path`);
    // Every stamped table names this extract, never the default panel.
    assert.doesNotMatch(p.outputs, /(— |Data: )data\/panel\.csv \(sha256/, `${name}: the default panel's stamp`);
  }
  // The truth beside the extract (zero effect) is compared with, and each comparison table names its file.
  assert.match(pages.baseline.outputs, /Two-way FE: [-0-9.]+ against the true 0\.000/);
  for (const n of ['baseline', 'robustness', 'heterogeneity'])
    assert.match(pages[n].outputs, /known truth: \S*null-effect\/data\/truth\.json/, n);
  // Baseline: column (4) is not significant.
  assert.match(pages.baseline.outputs, /\(4\) nqp: [-0-9.]+ \(SE [0-9.]+\), (positive|negative) and not significant/);
  // Robustness: the baseline row does not hold, and the verdict on the paper's claim is "does not hold".
  const t11 = tableRows(pages.robustness.outputs, 'Table 11.');
  assert.equal(t11[0][0], 'Baseline (city + year FE)');
  assert.equal(t11[0][5], 'NO');
  assert.match(
    pages.robustness.outputs,
    /robustness claim \(NQP raises resilience in every specification\) does not hold/,
  );
  assert.match(
    pages.robustness.outputs,
    /Without pandemic years: this panel has no such rows, so the check does not apply/,
  );
  // Mechanisms: no channel supported; heterogeneity: no claim holds.
  const t12a = tableRows(pages.mechanisms.outputs, 'Table 12a.');
  assert.equal(t12a.length, 3);
  for (const row of t12a) assert.equal(row[row.length - 1], 'NO', row[0]);
  const t16 = tableRows(pages.heterogeneity.outputs, 'Table 16.');
  assert.equal(t16.length, 3);
  for (const row of t16) assert.equal(row[row.length - 1], 'NO', row[0]);
  for (const p of Object.values(pages))
    assert.doesNotMatch(p.outputs, /\b(are|is) supported\b|claims? holds?\b(?! only)/);
});
