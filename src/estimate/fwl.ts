/**
 * Frisch–Waugh–Lovell residuals for pictures: y and x with the controls and fixed effects partialled out, so a
 * binned scatter of the two shows exactly the variation that identifies the coefficient of x (slope = β̂_x).
 */
import { qrLeastSquares } from '../math/linalg';
import { demeanColumns } from './core/demean';
import { feols, type ColumnSource, type FeolsOptions } from './feols';

export function partialOut(data: ColumnSource, y: string, x: string, controls: string[], fixedEffects: string[], options: FeolsOptions = {}): { x: Float64Array; y: Float64Array; slope: number } {
  const rhs = [x, ...controls].join(' + ');
  const m = feols(data, `${y} ~ ${rhs}${fixedEffects.length ? ` | ${fixedEffects.join(' + ')}` : ''}`, { ...options, vcov: 'iid' });
  const d = (m as any)._design as { rows: Int32Array; fes: any[] };
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
  return { x: rx, y: ry, slope: m.coefficients.find((c) => c.term === x)!.estimate };
}

/** The coefficient of `x` in standard-deviation units: β̂ · sd(x) / sd(y) over the model's estimation sample. */
export function standardizedEffect(m: import('./feols').FeolsResult, x: string): { estimate: number; sdX: number; sdY: number; standardized: number } {
  const d = (m as any)._design as { rows: Int32Array; data: ColumnSource };
  const sd = (name: string) => {
    const a = d.data.array(name) as ArrayLike<number>;
    let s = 0, ss = 0;
    for (const i of d.rows) s += Number(a[i]);
    const mean = s / d.rows.length;
    for (const i of d.rows) ss += (Number(a[i]) - mean) ** 2;
    return Math.sqrt(ss / (d.rows.length - 1));
  };
  const b = m.coefficients.find((c) => c.term === x)!.estimate;
  const sdX = sd(x), sdY = sd(m.spec.depvar);
  return { estimate: b, sdX, sdY, standardized: (b * sdX) / sdY };
}
