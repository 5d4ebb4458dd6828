/**
 * The study's data pipeline, one call: load the panel, interpolate gaps within each city, winsorise the raw
 * indicators, build the entropy-weighted NQP and resilience indices and Martin's sensitivity index. Every step
 * returns its report, so a notebook can show what changed.
 */
import { cleanReport, interpolate, winsorize, type CleanReport } from '../data/clean';
import { loadPanel, withReportText, type LoadOptions, type LoadReport } from '../data/load';
import { readPanelCache, type CachedPanel } from '../data/panel-cache';
import { defaultPanelPath, loadCodebook, type CodebookEntry } from '../data/reference';
import { recordSource, type Provenance } from '../data/provenance';
import type { Table } from '../data/table';
import { tableColumn } from '../data/table-column';
import { NqpError } from '../errors';
import { entropyIndex, indexResult, indicatorsFrom, martinSensitivity, type IndexResult } from '../measure';
import type { WeightRow } from '../measure/indices';

export interface StudyOptions extends LoadOptions {
  /** Interpolate interior gaps within each city before building indices. Default true. */
  interpolate?: boolean;
  /**
   * Winsorise raw indicators at these percentiles before the entropy method (unit slips would otherwise squeeze min–max
   * ranges). Default [0.01, 0.99]; null to skip.
   */
  winsorizeIndicators?: [number, number] | null;
  /**
   * Where the winsorising cut-offs are found: 'pooled' over all city-years (default, the paper's practice) or within
   * each 'year' (pooled cut-offs clip a trending indicator's early years from below and its late years from above).
   */
  winsorizeWithin?: 'pooled' | 'year';
  /** Entropy pooling. Default 'pooled'. */
  pooling?: 'pooled' | 'year';
}

export interface StudyPanel {
  data: Table;
  /** The panel's keys, for feols (l(), f(), dropped rows named by city-year) and the resampling estimators. */
  panel: { id: 'city_code'; time: 'year' };
  codebook: CodebookEntry[];
  load: LoadReport;
  steps: CleanReport[];
  nqp: IndexResult;
  resilience: IndexResult;
  /** The data file, its hash, and the settings registered when the study was built (stamped on every result). */
  provenance: Provenance;
}

/** Columns the models use besides the indices (interpolated with the indicators). */
export const MODEL_COLUMNS = [
  'lnpgdp',
  'open',
  'fin',
  'infra',
  'lnpopden',
  'urban_rate',
  'indus',
  'talent_lq',
  'innov',
  'gov',
  'gdp_growth',
];

/**
 * @example const study = studyPanel();                    // default panel
 * @example const study = studyPanel('my_extract.dta');    // a researcher's own extract, same schema
 */
export function studyPanel(path?: string, options: StudyOptions = {}): StudyPanel {
  // The default panel with default options, as every notebook of `nqp reproduce` builds it: from the build's cache
  // when it applies (src/data/panel-cache.ts), the same values and objects as computed below.
  const cached = path === undefined && isDefault(options) ? readPanelCache() : undefined;
  if (cached) return fromCache(cached);
  const codebook = options.codebook ?? loadCodebook();
  const { data: raw, report } = loadPanel(path, { ...options, codebook });
  const nqpInd = indicatorsFrom(codebook, 'nqp_indicator');
  const resInd = indicatorsFrom(codebook, 'resilience_indicator');
  const indicatorCols = [...nqpInd, ...resInd].map((i) => i.name);
  const steps: CleanReport[] = [];
  let data = raw;
  if (options.interpolate !== false) {
    const cols = [...indicatorCols, ...MODEL_COLUMNS].filter((c) => data.columnNames().includes(c));
    const r = interpolate(data, [...new Set(cols)]);
    data = r.data;
    steps.push(r.report);
  }
  let indexInput = data;
  const w = options.winsorizeIndicators === undefined ? [0.01, 0.99] : options.winsorizeIndicators;
  if (w) {
    const by = options.winsorizeWithin === 'year' ? 'year' : undefined;
    if (options.winsorizeWithin !== undefined && options.winsorizeWithin !== 'pooled' && !by)
      throw new NqpError(
        'BAD_OPTION',
        'winsorizeWithin',
        `winsorizeWithin is 'pooled' or 'year'; got "${options.winsorizeWithin}".`,
      );
    const r = winsorize(data, indicatorCols, { lower: w[0], upper: w[1], by });
    indexInput = r.data;
    steps.push(r.report);
  }
  const titles = weightTitles(options);
  const nqp = entropyIndex(indexInput, nqpInd, { name: 'nqp', pooling: options.pooling, title: titles.nqp });
  const resilience = entropyIndex(nqp.data, resInd, {
    name: 'resilience',
    pooling: options.pooling,
    title: titles.resilience,
  });
  // The indices come from winsorised indicators; the raw indicator columns stay as loaded (interpolated).
  const added: Record<string, ArrayLike<unknown>> = {};
  for (const c of [
    nqp.name,
    ...nqp.dimensions.map((d) => d.column),
    resilience.name,
    ...resilience.dimensions.map((d) => d.column),
  ])
    added[c] = tableColumn(resilience.data, c);
  data = martinSensitivity(data.assign(added as unknown as Parameters<Table['assign']>[0]) as Table);
  const provenance = recordSource(data, path, {
    rows: data.numRows(),
    steps: stepsOf(options),
    builtBy: 'studyPanel(…)',
  });
  return {
    provenance,
    data,
    panel: { id: 'city_code', time: 'year' },
    codebook,
    load: report,
    steps,
    nqp: { ...nqp, data },
    resilience: { ...resilience, data },
  };
}

/**
 * The options a notebook passes by default: none. Only a plain object whose own values are all undefined counts; an
 * object of another kind (one that inherits options, say) is never taken for the default call.
 */
function isDefault(o: StudyOptions): boolean {
  if (o === null || typeof o !== 'object') return false;
  const proto = Object.getPrototypeOf(o);
  return (proto === Object.prototype || proto === null) && Object.values(o).every((v) => v === undefined);
}

/** The captions of the two weights tables (Table 2 and 2b). */
function weightTitles(o: StudyOptions): { nqp: string; resilience: string } {
  const pooled = o.pooling === 'year' ? 'per year, averaged' : 'pooled over all city-years';
  return {
    nqp: `Table 2. Entropy weights of the NQP indicators (${pooled})`,
    resilience: `Table 2b. Entropy weights of the resilience indicators (${pooled})`,
  };
}

interface CachedIndex {
  name: string;
  weights: WeightRow[];
  dimensions: IndexResult['dimensions'];
  missingRows: number;
}

/** The parts of a study the build caches besides the table (scripts/write-panel-cache.js writes them). */
interface CachedStudy {
  codebook: CodebookEntry[];
  load: Omit<LoadReport, 'toString' | 'toHtml'>;
  steps: { step: string; changed: CleanReport['changed'] }[];
  nqp: CachedIndex;
  resilience: CachedIndex;
}

/** The default study from the build's cache: what the computation above returns for studyPanel(). */
function fromCache(c: CachedPanel): StudyPanel {
  const v = c.value as CachedStudy;
  const data = c.data;
  const titles = weightTitles({});
  const index = (r: CachedIndex, title: string) => ({
    ...indexResult(data, r.name, r.weights, r.dimensions, r.missingRows, title),
    data,
  });
  const provenance = recordSource(data, undefined, {
    rows: data.numRows(),
    steps: stepsOf({}),
    builtBy: 'studyPanel(…)',
    sha256: c.panelHash,
  });
  return {
    provenance,
    data,
    panel: { id: 'city_code', time: 'year' },
    codebook: v.codebook,
    load: withReportText({ ...v.load, source: defaultPanelPath() }),
    steps: v.steps.map((s) => cleanReport(s.step, s.changed)),
    nqp: index(v.nqp, titles.nqp),
    resilience: index(v.resilience, titles.resilience),
  };
}

/** The processing choices that change the numbers, as the provenance line names them. */
function stepsOf(o: StudyOptions): string[] {
  const w = o.winsorizeIndicators === undefined ? [0.01, 0.99] : o.winsorizeIndicators;
  const pct = (x: number) => `${+(100 * x).toFixed(2)}`;
  return [
    w
      ? `indicators winsorised ${pct(w[0])}–${pct(w[1])}% ${o.winsorizeWithin === 'year' ? 'by year' : 'pooled'}`
      : 'no winsorising',
    ...(o.interpolate === false ? ['no interpolation'] : []),
    ...(o.pooling === 'year' ? ['entropy weights by year'] : []),
  ];
}
