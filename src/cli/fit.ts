/**
 * `nqp fit --data FILE --formula 'F' [--vcov iid|hc1|cluster:V|cluster:V1+V2] [--json]`
 *
 * Reads a panel (CSV, Stata .dta, .xlsx) as it is — no codebook checks, no derived variables — and fits the
 * formula. With --json prints one JSON object in the contract of ../shared/DESIGN.md.
 */
import { NqpError } from '../errors';
import { readRaw } from '../data/load';
import { feols, parseFormula, type FeolsResult } from '../estimate';

function flag(flags: Map<string, string | true>, name: string, required: boolean): string | undefined {
  const v = flags.get(name);
  if (v === true || (required && v === undefined)) throw new NqpError('BAD_OPTION', `--${name}`, `nqp fit needs --${name} ${name === 'data' ? 'FILE' : name === 'formula' ? "'y ~ x | fe'" : 'VALUE'}.`);
  return v as string | undefined;
}

/** A plain column source from string columns: numbers where every non-empty cell is numeric, text otherwise. */
function columnsOf(names: string[], columns: string[][]) {
  const cols = new Map<string, ArrayLike<unknown>>();
  names.forEach((nm, c) => {
    const raw = columns[c];
    const num = new Float64Array(raw.length);
    let numeric = true;
    for (let i = 0; i < raw.length; i++) {
      const s = raw[i];
      if (s === '' || s === 'NA' || s === '.') { num[i] = NaN; continue; }
      const x = Number(s);
      if (Number.isNaN(x)) { numeric = false; break; }
      num[i] = x;
    }
    cols.set(nm, numeric ? num : raw);
  });
  return { columnNames: () => names, numRows: () => columns[0]?.length ?? 0, array: (nm: string) => cols.get(nm)! };
}

export function fitJson(m: FeolsResult, timing: { load_s: number; fit_s: number }): object {
  const dropped = { missing: 0, singletons: 0 } as Record<string, number>;
  for (const d of m.sample.dropped) {
    if (d.reason.startsWith('singleton')) dropped.singletons += d.count;
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
    coefficients: m.coefficients.map((c) => ({ term: c.term, estimate: c.estimate, std_error: c.std_error, statistic: c.statistic, p_value: c.p_value, conf_low: c.conf_low, conf_high: c.conf_high })),
  };
  if (m.firstStage) {
    const fs = m.firstStage;
    out.first_stage = {
      endogenous: fs.firstStages.map((f) => ({ variable: f.endogenous, f: f.f, f_df: f.fDf, f_p_value: f.fPValue, partial_r2: f.partialR2 })),
      kleibergen_paap_rk_wald_f: fs.kleibergenPaapWaldF,
      kleibergen_paap_rk_lm: { statistic: fs.kleibergenPaapLM.statistic, df: fs.kleibergenPaapLM.df, p_value: fs.kleibergenPaapLM.pValue },
      cragg_donald_f: fs.craggDonaldF,
      stock_yogo: fs.stockYogo,
      overidentification: 'valid' in fs.overidentification ? { name: fs.overidentification.name, applies: false, reason: fs.overidentification.reason } : { name: fs.overidentification.name, statistic: fs.overidentification.statistic, df: fs.overidentification.df, p_value: fs.overidentification.pValue },
    };
  }
  out.timing = timing;
  return out;
}

export async function cmdFit(flags: Map<string, string | true>): Promise<number> {
  const data = flag(flags, 'data', true)!;
  const formula = flag(flags, 'formula', true)!;
  const vcov = flag(flags, 'vcov', false);
  parseFormula(formula); // syntax errors before reading a large file
  const t0 = performance.now();
  const { raw } = readRaw(data, typeof flags.get('delimiter') === 'string' ? (flags.get('delimiter') as string) : ',');
  const source = columnsOf(raw.names, raw.columns);
  const t1 = performance.now();
  const id = raw.names.includes('city_code') ? 'city_code' : raw.names[0];
  const time = raw.names.includes('year') ? 'year' : raw.names[1] ?? raw.names[0];
  const m = feols(source, formula, { vcov, panel: { id, time } });
  const t2 = performance.now();
  if (flags.has('json')) {
    process.stdout.write(JSON.stringify(fitJson(m, { load_s: (t1 - t0) / 1000, fit_s: (t2 - t1) / 1000 })) + '\n');
  } else {
    process.stdout.write(String(m) + '\n');
  }
  return 0;
}
