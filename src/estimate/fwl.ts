/**
 * Frisch–Waugh–Lovell residuals for pictures: y and x with the controls and fixed effects partialled out, so a
 * binned scatter of the two shows exactly the variation that identifies the coefficient of x (slope = β̂_x).
 */
import { qrLeastSquares } from '../math/qr';
import type { ColumnSource } from './columns';
import { demeanColumns } from './core/demean';
import { coef, feols, fitState } from './feols';
import { buildFormula } from './formula';
import type { FeolsOptions, FeolsResult } from './types';

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
    const a = data.array(name) as ArrayLike<number>;
    return Float64Array.from(d.rows, (i) => Number(a[i]));
  };
  const cols = [pick(y), pick(x), ...controls.map(pick)];
  const dm = demeanColumns(cols, d.fes).out;
  const [yt, xt, ...ct] = dm;
  if (!fixedEffects.length) ct.push(new Float64Array(yt.length).fill(1));
  const ry = ct.length ? qrLeastSquares(ct, yt).resid : yt;
  const rx = ct.length ? qrLeastSquares(ct, xt).resid : xt;
  return { x: rx, y: ry, slope: coef(m, x).estimate };
}

/** The coefficient of `x` in standard-deviation units: β̂ · sd(x) / sd(y) over the model's estimation sample. */
export function standardizedEffect(
  m: FeolsResult,
  x: string,
): { estimate: number; sdX: number; sdY: number; standardized: number } {
  const s = fitState(m);
  const a = s.data.array(x) as ArrayLike<number>;
  const sd = (v: Float64Array) => {
    let sum = 0;
    for (const z of v) sum += z;
    const mean = sum / v.length;
    let ss = 0;
    for (const z of v) ss += (z - mean) ** 2;
    return Math.sqrt(ss / (v.length - 1));
  };
  const b = coef(m, x).estimate;
  const sdX = sd(Float64Array.from(s.design.rows, (i) => Number(a[i])));
  const sdY = sd(s.y);
  return { estimate: b, sdX, sdY, standardized: (b * sdX) / sdY };
}
