/**
 * Frisch–Waugh–Lovell residuals for pictures: y and x with the controls and fixed effects partialled out, so a
 * binned scatter of the two shows exactly the variation that identifies the coefficient of x (slope = β̂_x).
 */
import { qrLeastSquares } from '../../math/qr';
import { sampleSd } from '../../math/stats';
import { type ColumnSource, numericColumn } from './columns';
import { demeanColumns } from './demean';
import { coef, feols, fitState } from './feols';
import { buildFormula } from './formula';
import type { FeolsOptions, FeolsResult } from './types';
import { NqpError } from '../../errors';

export function partialOut(
  data: ColumnSource,
  y: string,
  x: string,
  controls: string[],
  fixedEffects: string[],
  options: FeolsOptions = {},
): { x: Float64Array; y: Float64Array; slope: number } {
  const m = feols(data, buildFormula(y, [x, ...controls], fixedEffects), { ...options, vcov: 'iid' });
  const d = fitState(m).design;
  const pick = (name: string) => {
    const a = numericColumn(data, name, `variable "${name}"`);
    return Float64Array.from(d.rows, (i) => a[i]);
  };
  const cols = [pick(y), pick(x), ...controls.map(pick)];
  const dm = demeanColumns(cols, d.fes).out;
  const [yt, xt, ...ct] = dm;
  if (!fixedEffects.length) ct.push(new Float64Array(yt.length).fill(1));
  const ry = ct.length ? qrLeastSquares(ct, yt).resid : yt;
  const rx = ct.length ? qrLeastSquares(ct, xt).resid : xt;
  return { x: rx, y: ry, slope: coef(m, x).estimate };
}

/**
 * The coefficient of `x` in standard-deviation units: β̂ · sd(x) / sd(y) over the model's estimation sample, and
 * in within-unit SDs (Stata xtsum's "within": sd of x − x̄_i + x̄), which is the variation a fixed-effects
 * coefficient is identified from. `unit` defaults to the model's first fixed effect (no within SDs without one).
 */
export function standardizedEffect(
  m: FeolsResult,
  x: string,
  unit?: string,
): {
  estimate: number;
  sdX: number;
  sdY: number;
  standardized: number;
  within: { unit: string; sdX: number; sdY: number; standardized: number } | null;
} {
  const s = fitState(m);
  const rows = s.design.rows;
  const a = numericColumn(s.data, x, `variable "${x}"`);
  const xs = Float64Array.from(rows, (i) => a[i]);
  const b = coef(m, x).estimate;
  const sdX = sampleSd(xs);
  const sdY = sampleSd(s.y);
  const u = unit ?? m.fixedEffects[0]?.name;
  let within = null;
  if (u !== undefined) {
    if (!s.data.columnNames().includes(u))
      throw new NqpError('UNKNOWN_VARIABLE', `unit "${u}"`, `Unit column "${u}" is not in the model's data.`);
    const codes = s.data.array(u);
    const g = Array.from(rows, (i) => codes[i]);
    const wx = sampleSd(withinUnit(xs, g)),
      wy = sampleSd(withinUnit(s.y, g));
    within = { unit: u, sdX: wx, sdY: wy, standardized: (b * wx) / wy };
  }
  return { estimate: b, sdX, sdY, standardized: (b * sdX) / sdY, within };
}

/** x − x̄_unit + x̄ (xtsum's within transform). */
function withinUnit(v: Float64Array, unit: unknown[]): Float64Array {
  const sum = new Map<unknown, [number, number]>();
  let total = 0;
  for (let i = 0; i < v.length; i++) {
    const e = sum.get(unit[i]) ?? [0, 0];
    e[0] += v[i];
    e[1]++;
    sum.set(unit[i], e);
    total += v[i];
  }
  const mean = total / v.length;
  return Float64Array.from(v, (z, i) => {
    const e = sum.get(unit[i]) as [number, number];
    return z - e[0] / e[1] + mean;
  });
}

/**
 * The rows a model used, as a data source for further models: a first stage and a reduced form fitted on the 2SLS
 * sample, so that their ratio is exactly the 2SLS estimate (fixest reports its first stage on that sample too).
 */
export function estimationSample(m: FeolsResult): ColumnSource {
  const s = fitState(m);
  const rows = s.design.rows;
  return {
    columnNames: () => s.data.columnNames(),
    numRows: () => rows.length,
    array: (name: string) => {
      const a = s.data.array(name);
      return Array.from(rows, (i) => a[i]);
    },
  };
}
