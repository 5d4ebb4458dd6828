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
import { catMissing, type ColumnSource } from '../model/columns';
import { blocksOf, cityStats, type CityStats, type ClusterBlocks } from './sufficient-stats';
import { buildFormula } from '../model/formula';
import type { FeolsOptions } from '../model/types';

export interface ResampleOptions {
  controls?: string[];
  /** Unit fixed effect. Default 'city_code'. */
  unit?: string;
  /** Time fixed effect; null for unit effects only. Default 'year'. */
  time?: string | null;
  /** Cluster variable for standard errors and resampling; every unit must lie in one cluster. Default: unit. */
  cluster?: string;
  /** Draws. Default 1000. */
  reps?: number;
  /** Seed of the draws. Default 20240501. */
  seed?: number;
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
  feolsOptions: FeolsOptions;
  /** `y ~ rhs | unit + time`. */
  formula(y: string, rhs: string[]): string;
  /** The common sample (optionally only rows passing `want`), with extra derived columns, as a column source. */
  subset(want?: (row: number) => boolean, extra?: Record<string, (row: number) => number>): ColumnSource;
}

export function resampleFrame(
  data: ColumnSource,
  vars: string[],
  o: ResampleOptions,
  extraNames: string[] = [],
): ResampleFrame {
  const unit = o.unit ?? 'city_code';
  const time = o.time === undefined ? 'year' : o.time;
  const cluster = o.cluster ?? unit;
  const controls = o.controls ?? [];
  const reps = o.reps ?? 1000;
  const seed = o.seed ?? 20240501;
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
  const cols = vars.map((v) => Float64Array.from(data.array(v) as ArrayLike<number>, Number));
  const keyCols = keys.map((k) => data.array(k));
  const keep = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    keep[i] = cols.every((c) => Number.isFinite(c[i])) && keyCols.every((c) => !catMissing(c[i])) ? 1 : 0;
  }
  const unitCol = data.array(unit);
  const clusterCol = data.array(cluster);
  const blocks = blocksOf(unitCol, time ? data.array(time) : new Array(n).fill(0), cols, keep);
  const clusterOf = new Map<string, number>();
  const clusterUnits: number[][] = [];
  blocks.rows.forEach((rows, u) => {
    const c = String(clusterCol[rows[0]]);
    for (const i of rows) {
      if (String(clusterCol[i]) !== c) {
        throw new NqpError(
          'BAD_OPTION',
          `cluster "${cluster}"`,
          `Unit ${String(unitCol[i])} lies in two clusters of "${cluster}" (${c} and ${String(clusterCol[i])}); ` +
            'resampling whole clusters needs every unit inside one cluster. Cluster by a coarser variable.',
        );
      }
    }
    let k = clusterOf.get(c);
    if (k === undefined) {
      k = clusterUnits.length;
      clusterOf.set(c, k);
      clusterUnits.push([]);
    }
    clusterUnits[k].push(u);
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
    feolsOptions: { vcov: { cluster }, panel: { id: unit, time: time ?? unit } },
    formula: (y, rhs) => buildFormula(y, rhs, fes),
    subset(want, extra = {}) {
      const rows: number[] = [];
      for (let i = 0; i < n; i++) if (keep[i] && (!want || want(i))) rows.push(i);
      const extraKeys = Object.keys(extra);
      return {
        columnNames: () => [...sourceNames, ...extraKeys],
        numRows: () => rows.length,
        array: (nm: string) => {
          const f = extra[nm];
          if (f) return rows.map(f);
          const a = data.array(nm);
          return rows.map((i) => a[i]);
        },
      };
    },
  };
}
