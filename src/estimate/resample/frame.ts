/**
 * The front end shared by the resampling estimators (the mediation bootstrap, the group-difference permutation
 * test): defaults, column checks, the common sample, model formulas built from term lists, and the per-unit
 * sufficient statistics that make each draw cheap (core/resample.ts).
 *
 * Three roles are kept apart: `unit` is the unit fixed effect (city), `time` the time fixed effect (year), and
 * `cluster` the variable standard errors are clustered on and whole clusters are resampled by (default: the
 * unit). A cluster coarser than the unit (province) is allowed when every unit lies in one cluster; the unit
 * fixed effect stays the unit's.
 */
import { NqpError } from '../../errors';
import { catMissing, type ColumnSource, numericColumn } from '../model/columns';
import { clusterCodes } from '../vcov/rule';
import { blocksOf, cityStats, type CityStats, type ClusterBlocks } from './city-stats';
import { buildFormula } from '../model/formula';
import { DEFAULT_SSC, type FeolsOptions, type PanelKeys, type SmallSampleCorrection } from '../model/types';

export interface ResampleOptions {
  controls?: string[];
  /** Panel keys: the unit fixed effect is panel.id, the time one panel.time (unless `unit` or `time` is given). */
  panel?: PanelKeys;
  /** Unit fixed effect. Default panel.id; one of the two is required (the estimator knows no study's keys). */
  unit?: string;
  /** Time fixed effect; null for unit effects only. Default panel.time; required without panel. */
  time?: string | null;
  /** Cluster variable for standard errors and resampling; every unit must lie in one cluster. Default: unit. */
  cluster?: string;
  /** Draws. Default 1000. */
  reps?: number;
  /** Seed of the draws. Default 20240501. */
  seed?: number;
  /** Small-sample correction of every model and draw (feols's option). Default fixest's. */
  ssc?: Partial<SmallSampleCorrection>;
}

export interface ResampleFrame {
  unit: string;
  time: string | null;
  cluster: string;
  controls: string[];
  reps: number;
  seed: number;
  /** Model variables (numeric), in the order given; `cols[j]` holds variable `vars[j]` for every row. */
  vars: string[];
  cols: Float64Array[];
  /** 1 = the row has every model variable and a cluster (the common sample). */
  keep: Uint8Array;
  blocks: ClusterBlocks;
  stats: CityStats;
  /** For each cluster, the indices (into blocks.rows) of its units. */
  clusterUnits: number[][];
  /** The small-sample correction, resolved: the models' and the draws' standard errors use it. */
  ssc: SmallSampleCorrection;
  /** Cluster code of every row (−1 outside the common sample); codes run 0..clusterUnits.length − 1. */
  clusterCode: Int32Array;
  feolsOptions: FeolsOptions;
  /** `y ~ rhs | unit + time`. */
  formula(y: string, rhs: string[]): string;
  /**
   * The common sample (optionally only rows passing `want`), with extra derived columns, as a column source;
   * `rows` are its rows' indices in the input.
   */
  subset(
    want?: (row: number) => boolean,
    extra?: Record<string, (row: number) => number>,
  ): ColumnSource & { rows: readonly number[] };
}

export function resampleFrame(
  data: ColumnSource,
  vars: string[],
  o: ResampleOptions,
  extraNames: string[] = [],
): ResampleFrame {
  const unit = o.unit ?? o.panel?.id;
  const time = o.time === undefined ? o.panel?.time : o.time;
  if (unit === undefined || time === undefined)
    throw new NqpError(
      'MISSING_KEYS',
      unit === undefined ? 'unit' : 'time',
      `Say which columns are the panel's unit and time: { panel: study.panel } for the study, or e.g. ` +
        "{ unit: 'city_code', time: 'year' } (time: null for unit effects only).",
    );
  const cluster = o.cluster ?? unit;
  const controls = o.controls ?? [];
  const reps = o.reps ?? 1000;
  const seed = o.seed ?? 20240501;
  const ssc: SmallSampleCorrection = { ...DEFAULT_SSC, ...o.ssc };
  if (!Number.isInteger(reps) || reps < 2) {
    throw new NqpError('BAD_OPTION', 'reps', `reps must be a whole number ≥ 2, got ${reps}.`);
  }
  const names = data.columnNames();
  const keys = [...new Set([unit, ...(time ? [time] : []), cluster])];
  for (const v of [...vars, ...keys, ...extraNames]) {
    if (!names.includes(v))
      throw new NqpError('UNKNOWN_VARIABLE', `variable "${v}"`, `Column "${v}" is not in the data.`);
  }
  const n = data.numRows();
  // The model columns under feols's rule (numericColumn): null, '' and NaN are missing, text is an error.
  const cols = vars.map((v) => numericColumn(data, v, `variable "${v}"`));
  const keyCols = keys.map((k) => data.array(k));
  const keep = commonSample(cols, keyCols, n);
  const unitCol = data.array(unit);
  const clusterCol = data.array(cluster);
  const blocks = blocksOf(unitCol, time ? data.array(time) : new Array(n).fill(0), cols, keep);
  // Cluster codes of the common sample, from the vcov rule (the one place clusters are counted).
  const keptRows = Int32Array.from({ length: n }, (_, i) => i).filter((i) => keep[i] === 1);
  const cc = clusterCodes(data, cluster, keptRows);
  const clusterCode = new Int32Array(n).fill(-1);
  keptRows.forEach((i, r) => {
    clusterCode[i] = cc.codes[r];
  });
  const clusterUnits: number[][] = Array.from({ length: cc.nLevels }, () => []);
  blocks.rows.forEach((rows, u) => {
    const c = clusterCode[rows[0]];
    for (const i of rows) {
      if (clusterCode[i] !== c) {
        throw new NqpError(
          'BAD_CLUSTER',
          `cluster "${cluster}"`,
          `Unit ${String(unitCol[i])} lies in two clusters of "${cluster}" (${String(clusterCol[rows[0]])} and ` +
            `${String(clusterCol[i])}); resampling whole clusters needs every unit inside one cluster. Cluster by a ` +
            'coarser variable.',
        );
      }
    }
    clusterUnits[c].push(u);
  });
  const sourceNames = [...new Set([...vars, ...keys, ...extraNames])];
  const fes = [unit, ...(time ? [time] : [])];
  return {
    unit,
    time,
    cluster,
    controls,
    reps,
    seed,
    vars,
    cols,
    keep,
    blocks,
    stats: cityStats(blocks),
    clusterUnits,
    clusterCode,
    ssc,
    feolsOptions: { vcov: { cluster }, panel: { id: unit, time: time ?? unit }, ssc },
    formula: (y, rhs) => buildFormula(y, rhs, fes),
    subset(want, extra = {}) {
      const rows: number[] = [];
      for (let i = 0; i < n; i++) if (keep[i] && (!want || want(i))) rows.push(i);
      const extraKeys = Object.keys(extra);
      // Each column is made once per subset (its several models share it) and keeps the type of the input's: a typed
      // array stays one (numbers stay numbers, and key columns are coded as numbers, which gives the same codes).
      const made = new Map<string, ArrayLike<unknown>>();
      return {
        rows,
        columnNames: () => [...sourceNames, ...extraKeys],
        numRows: () => rows.length,
        array: (nm: string) => {
          let out = made.get(nm);
          if (!out) {
            out = subsetColumn(rows, nm, extra[nm], data);
            made.set(nm, out);
          }
          return out;
        },
      };
    },
  };
}

/** Column `nm` of `data` (or the derived column `f`) at `rows`, as a typed array where the input column is one. */
function subsetColumn(
  rows: number[],
  nm: string,
  f: ((row: number) => number) | undefined,
  data: ColumnSource,
): ArrayLike<unknown> {
  if (f) return derive(f, rows);
  const a = data.array(nm);
  if (a instanceof Float64Array) return gatherF64(a, rows);
  if (a instanceof Int32Array) return gatherI32(a, rows);
  return rows.map((i) => a[i]);
}

// The common sample and the copies of columns at rows: loops over every row, each a small function of its own for
// one kind of array, so the engine optimises each once (resampleFrame itself runs a few times per notebook).

/** 1 where the row has every model column finite and no key missing. */
function commonSample(cols: Float64Array[], keyCols: ArrayLike<unknown>[], n: number): Uint8Array {
  const keep = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    let ok = 1;
    for (let j = 0; ok && j < cols.length; j++) if (!Number.isFinite(cols[j][i])) ok = 0;
    for (let j = 0; ok && j < keyCols.length; j++) if (catMissing(keyCols[j][i])) ok = 0;
    keep[i] = ok;
  }
  return keep;
}

function derive(f: (row: number) => number, rows: number[]): Float64Array {
  const out = new Float64Array(rows.length);
  for (let r = 0; r < rows.length; r++) out[r] = f(rows[r]);
  return out;
}

function gatherF64(a: Float64Array, rows: number[]): Float64Array {
  const out = new Float64Array(rows.length);
  for (let r = 0; r < rows.length; r++) out[r] = a[rows[r]];
  return out;
}

function gatherI32(a: Int32Array, rows: number[]): Int32Array {
  const out = new Int32Array(rows.length);
  for (let r = 0; r < rows.length; r++) out[r] = a[rows[r]];
  return out;
}

/**
 * Draws between two progress reports (and yields to the event loop): a tenth of the draws, at least 25. Each report
 * redraws a notebook display, which costs the kernel a message; ten per loop keep the bar moving at a fraction of
 * the cost of one every 25 draws (40 per 1,000 draws, measured at up to 0.3 s of kernel CPU for one loop).
 */
export function progressStep(reps: number): number {
  return Math.max(25, Math.ceil(reps / 10));
}
