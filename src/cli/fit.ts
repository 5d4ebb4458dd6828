/**
 * `nqp fit --data FILE --formula 'F' [--vcov iid|hc1|cluster:V|cluster:V1+V2] [--json]`
 *
 * Reads a panel (CSV, Stata .dta, .xlsx, Parquet) as it is — no codebook checks, no derived variables — and fits the
 * formula; with --study, builds the study panel first (studyPanel: what the notebooks fit on). With --json prints
 * one JSON object (the contract in the README's "The command line").
 */
import { NqpError } from '../errors';
import { fmtLevel, fmtNum } from '../format';
import { type Frame, frameSource } from '../data/frame';
import { thousandsWarnings } from '../data/panel-checks';
import { readFrame } from '../data/load';
import { studyPanel } from '../study';
import {
  clusterParts,
  feols,
  formulaVariables,
  wildBootstrap,
  wildRepsProblem,
  wildSeedProblem,
  parseFormula,
  parseVcovText,
  type FeolsResult,
  type PanelKeys,
  type SmallSampleCorrection,
} from '../estimate';
import { summary } from '../report';
import { parseFlags, str } from './args';
import { choice, delimiterFlag, FIT_FLAGS, FIT_HELP, intFlag, numberFlag } from './fit-flags';

export { FIT_FLAGS, FIT_HELP } from './fit-flags';

export function fitJson(
  m: FeolsResult,
  timing: Record<string, number>,
  wild?: WildRow[],
  loadWarnings: string[] = [],
): object {
  const dropped = { missing: 0, singletons: 0 } as Record<string, number>;
  for (const d of m.sample.dropped) {
    if (d.reason.startsWith('singleton')) dropped.singletons += d.count;
    else if (d.reason.startsWith('non-finite')) dropped.non_finite = (dropped.non_finite ?? 0) + d.count;
    else dropped.missing += d.count;
  }
  const out: Record<string, unknown> = {
    formula: m.spec.formula,
    vcov: m.spec.vcov,
    nobs: m.fit.nObs,
    dropped,
    dropped_terms: m.droppedTerms.map((t) => ({ term: t.term, reason: t.reason })),
    r2: m.fit.r2,
    r2_within: m.fit.r2Within,
    adj_r2: m.fit.adjR2,
    df_resid: m.fit.dfResid,
    n_clusters: (m.vcov.clusters ?? []).map((c) => c.count),
    // CoefRow's fields are the contract's columns, in its order.
    coefficients: m.coefficients,
  };
  if (m.firstStage) {
    const fs = m.firstStage;
    out.first_stage = {
      endogenous: fs.firstStages.map((f) => ({
        variable: f.endogenous,
        f: f.f,
        f_df: f.fDf,
        f_p_value: f.fPValue,
        partial_r2: f.partialR2,
      })),
      kleibergen_paap_rk_wald_f: fs.kleibergenPaapWaldF,
      kleibergen_paap_rk_lm: {
        statistic: fs.kleibergenPaapLM.statistic,
        df: fs.kleibergenPaapLM.df,
        p_value: fs.kleibergenPaapLM.pValue,
      },
      cragg_donald_f: fs.craggDonaldF,
      stock_yogo: fs.stockYogo,
      overidentification:
        'valid' in fs.overidentification
          ? { name: fs.overidentification.name, applies: false, reason: fs.overidentification.reason }
          : {
              name: fs.overidentification.name,
              statistic: fs.overidentification.statistic,
              df: fs.overidentification.df,
              p_value: fs.overidentification.pValue,
            },
    };
  }
  if (wild) out.wild_bootstrap = wild;
  // Every note that changes how a number reads is a warning here (m.cautions), not only a line under the table.
  out.warnings = [...loadWarnings, ...(m.cautions ?? []), ...m.warnings];
  out.timing = timing;
  return out;
}

/** The wild bootstrap rows of the JSON contract. */
export interface WildRow {
  term: string;
  p_value: number;
  conf_low: number | null;
  conf_high: number | null;
  /** Confidence level of the interval (the model's, from --level). */
  level: number;
  reps: number;
  weights: string;
  seed: number;
  enumerated: boolean;
  clusters: number;
}

export async function cmdFit(argv: string[]): Promise<number> {
  const p = parseFlags('fit', argv, FIT_FLAGS);
  if (p.values.help) {
    process.stdout.write(`${FIT_HELP}\n`);
    return 0;
  }
  if (p.positionals.length) {
    throw new NqpError('BAD_FLAG', p.positionals[0], `Unexpected argument "${p.positionals[0]}". See nqp fit --help.`);
  }
  const data = str(p, 'data');
  const formula = str(p, 'formula');
  const study = p.values.study === true;
  if (!data && !study)
    throw new NqpError(
      'BAD_FLAG',
      '--data',
      'nqp fit needs --data FILE, or --study to fit on the study panel built from the default panel.',
    );
  if (!formula) throw new NqpError('BAD_FLAG', '--formula', "nqp fit needs --formula 'y ~ x | fe'.");
  const vcovText = str(p, 'vcov');
  const vcov = vcovText === undefined ? undefined : parseVcovText(vcovText);
  const parsed = parseFormula(formula); // syntax errors before reading a large file
  const panelText = str(p, 'panel');
  let panel: PanelKeys | undefined;
  if (panelText !== undefined) {
    const parts = panelText.split(',').map((x) => x.trim());
    if (parts.length !== 2 || !parts[0] || !parts[1]) {
      throw new NqpError('BAD_FLAG', '--panel', `--panel takes ID,TIME (two column names), got "${panelText}".`);
    }
    panel = { id: parts[0], time: parts[1] };
  }
  const ssc: Partial<SmallSampleCorrection> = {};
  const preset = choice(p, 'ssc', ['fixest', 'reghdfe'] as const);
  if (preset) ssc.preset = preset;
  const fixefK = choice(p, 'fixef-k', ['nested', 'full', 'none'] as const);
  if (fixefK) ssc.fixefK = fixefK;
  if (p.values['no-adj']) ssc.adj = false;
  if (p.values['no-cluster-adj']) ssc.clusterAdj = false;
  const reps = intFlag(p, 'wild-bootstrap');
  const seed = intFlag(p, 'seed');
  const weights = choice(p, 'wild-weights', ['rademacher', 'webb'] as const);
  if (reps === undefined && (seed !== undefined || weights !== undefined)) {
    throw new NqpError('BAD_FLAG', '--seed', '--seed and --wild-weights go with --wild-bootstrap B.');
  }
  // Checked before the file is read: a billion draws would otherwise run for hours, a seed past 32 bits would
  // silently repeat another seed's draws.
  const repsProblem = reps === undefined ? undefined : wildRepsProblem(reps);
  if (repsProblem) throw new NqpError('BAD_FLAG', '--wild-bootstrap', `--wild-bootstrap: ${repsProblem}`);
  const seedProblem = seed === undefined ? undefined : wildSeedProblem(seed);
  if (seedProblem) throw new NqpError('BAD_FLAG', '--seed', `--seed: ${seedProblem}`);
  // Fixed-effect and cluster codes (and the panel id) are read as text, by the key spelling rule: "110000" and
  // "110000.0" are one group (a note), "1.1" and "1.10" two (a warning).
  const keys = new Set(parsed.fixedEffects.flat());
  if (vcov && typeof vcov === 'object')
    for (const c of [vcov.cluster].flat()) for (const v of clusterParts(c)) keys.add(v);
  if (panel) keys.add(panel.id);
  const t0 = performance.now();
  let source: Parameters<typeof feols>[0];
  let loadWarnings: string[] = [];
  if (study) {
    // Exactly the notebooks' table: studyPanel on the raw file (or the default panel).
    if (str(p, 'sheet') !== undefined || str(p, 'delimiter') !== undefined)
      throw new NqpError(
        'BAD_FLAG',
        '--study',
        '--study reads its file as the notebooks do; --sheet and --delimiter do not apply.',
      );
    source = studyPanel(data).data;
    panel ??= { id: 'city_code', time: 'year' };
  } else {
    const frame = readFrame(data as string, {
      sheet: str(p, 'sheet'),
      delimiter: delimiterFlag(str(p, 'delimiter')),
      textColumns: keys,
    });
    refuseDerived(formulaVariables(parsed), vcov, frame.columns);
    loadWarnings = readWarnings(frame, [...formulaVariables(parsed), ...keys]);
    source = frameSource(frame);
    if (!panel && frame.columns.has('city_code') && frame.columns.has('year'))
      panel = { id: 'city_code', time: 'year' };
  }
  const t1 = performance.now();
  const m = feols(source, formula, {
    vcov,
    // Without panel keys, a lag or lead is refused with a message that names --panel.
    panel: panel ?? null,
    singletons: p.values['drop-singletons'] ? 'drop' : 'keep',
    ssc,
    tol: numberFlag(p, 'tol'),
    collinTol: numberFlag(p, 'collin-tol'),
    level: numberFlag(p, 'level'),
  });
  const t2 = performance.now();
  // Said once the fit has succeeded (bad input keeps its one line on stderr).
  process.stderr.write(
    panel ? `panel keys: ${panel.id} (unit), ${panel.time} (time)\n` : 'panel keys: none (l() and f() need --panel)\n',
  );
  const wild = reps === undefined ? undefined : wildRows(m, reps, weights ?? 'rademacher', seed ?? 1);
  const t3 = performance.now();
  const timing: Record<string, number> = { load_s: (t1 - t0) / 1000, fit_s: (t2 - t1) / 1000 };
  if (wild) timing.wild_bootstrap_s = (t3 - t2) / 1000;
  if (p.values.json) {
    process.stdout.write(`${JSON.stringify(fitJson(m, timing, wild, loadWarnings))}\n`);
  } else {
    for (const w of loadWarnings) process.stderr.write(`warning: ${w}\n`);
    process.stdout.write(`${summary(m)}\n`);
    if (wild) process.stdout.write(`${wildText(wild)}\n`);
  }
  return 0;
}

function wildRows(m: FeolsResult, reps: number, weights: 'rademacher' | 'webb', seed: number): WildRow[] {
  return m.coefficients
    .filter((c) => c.term !== '(Intercept)')
    .map((c) => {
      const w = wildBootstrap(m, c.term, { reps, weights, seed });
      // ±Infinity (an unbounded interval) has no JSON number: null.
      const finite = (x: number) => (Number.isFinite(x) ? x : null);
      return {
        term: w.term,
        p_value: w.p_value,
        conf_low: finite(w.conf_low),
        conf_high: finite(w.conf_high),
        level: w.level,
        reps: w.reps,
        weights: w.weights,
        seed: w.seed,
        enumerated: w.enumerated,
        clusters: w.clusters,
      };
    });
}

function wildText(rows: WildRow[]): string {
  const r = rows[0];
  const how = r.enumerated ? `all ${r.reps} sign vectors` : `${r.reps} ${r.weights} draws, seed ${r.seed}`;
  const lines = rows.map((w) => {
    const f = (x: number | null, inf: string) => (x === null ? inf : fmtNum(x, 4));
    const ci = `[${f(w.conf_low, '-Inf')}, ${f(w.conf_high, 'Inf')}]`;
    return `  ${w.term.padEnd(16)} p = ${fmtNum(w.p_value, 4)}   ${fmtLevel(w.level)} CI ${ci}`;
  });
  return `Wild cluster bootstrap (WCR, ${r.clusters} clusters, ${how}):\n${lines.join('\n')}`;
}

/** Columns that exist only in the study panel: a formula naming one without --study gets told how to reach it. */
function refuseDerived(vars: string[], vcov: unknown, have: { has(name: string): boolean }): void {
  const clusters =
    vcov && typeof vcov === 'object' && 'cluster' in vcov
      ? [(vcov as { cluster: string | string[] }).cluster].flat()
      : [];
  const wanted = [...vars, ...clusters.flatMap(clusterParts)];
  const missing = wanted.filter((v) => !have.has(v));
  if (!missing.length) return;
  const built = new Set(studyColumnNames());
  const derived = missing.filter((v) => built.has(v));
  if (!derived.length) return; // the estimator names the missing column and the closest one
  throw new NqpError(
    'MISSING_COLUMN',
    `variable "${derived[0]}"`,
    `${derived.map((d) => `"${d}"`).join(', ')} ${derived.length > 1 ? 'are' : 'is'} not in the file: the study ` +
      `pipeline derives ${derived.length > 1 ? 'them' : 'it'} (indices, resilience, controls, mediators, city ` +
      'groups). Add --study to fit on the study panel built from this raw file, or write that panel with ' +
      '`nqp data --derived --data FILE --out DIR`.',
  );
}

/** The columns studyPanel builds on the default panel (computed once, only on this error path). */
function studyColumnNames(): string[] {
  return studyPanel().data.columnNames();
}
/**
 * What reading the file did that changes how a number reads, for the columns the model uses: cells read with
 * thousands separators (counted per column; "7,820"-like cells flagged, as a decimal comma would read 1000× too
 * large), and the reader's notes (a `sep=` line, a pandas index column or empty columns dropped).
 */
function readWarnings(frame: Frame, columns: string[]): string[] {
  const used = [...new Set(columns)].filter((c) => frame.columns.has(c));
  const counts = used.flatMap((c) => {
    const n = frame.facts.get(c)?.thousands ?? 0;
    return n
      ? [`Column "${c}": ${n} cell${n > 1 ? 's' : ''} read with thousands separators (e.g. "41,890" as 41890).`]
      : [];
  });
  return [...counts, ...thousandsWarnings(frame, used), ...(frame.notes ?? []).map((n) => `note: ${n}`)];
}
