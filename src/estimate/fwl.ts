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
