/**
 * The fixed-effect absorption's solver for slowly mixing graphs of levels (model/demean.ts hands over to it):
 * conjugate gradients on the normal equations of the dummies.
 */
import type { DemeanResult, FeGroup } from './demean';

/** Dα: the sum of each fixed effect's level values, per row. */
function applyD(alpha: Float64Array[], fes: FeGroup[], out: Float64Array): void {
  out.fill(0);
  for (let g = 0; g < fes.length; g++) {
    const codes = fes[g].codes;
    const a = alpha[g];
    for (let i = 0; i < out.length; i++) out[i] += a[codes[i]];
  }
}

/** D'u: per fixed effect, the sum of u over each level. */
function applyDt(u: Float64Array, fes: FeGroup[], out: Float64Array[]): void {
  for (let g = 0; g < fes.length; g++) {
    const codes = fes[g].codes;
    const o = out[g];
    o.fill(0);
    for (let i = 0; i < u.length; i++) o[codes[i]] += u[i];
  }
}

const dot = (a: Float64Array[], b: Float64Array[]) => {
  let s = 0;
  for (let g = 0; g < a.length; g++) for (let l = 0; l < a[g].length; l++) s += a[g][l] * b[g][l];
  return s;
};

/**
 * M_D v by conjugate gradients on the normal equations D'D β = D'v, preconditioned by the level counts (Jacobi;
 * reghdfe's CG and LSMR solve the same system). On a chain of L levels it needs about L iterations where
 * alternating projections need about L². Restarted from the true residual so rounding does not accumulate;
 * converged when the residual D'(v − Dβ), scaled by the counts, is below 1e-13 of D'v's.
 */
export function conjugateGradient(
  v: Float64Array,
  fes: FeGroup[],
  counts: Float64Array[],
  maxIter: number,
): DemeanResult {
  const n = v.length;
  const out = Float64Array.from(v);
  const mk = () => fes.map((f) => new Float64Array(f.nLevels));
  const [r, z, p, q, beta] = [mk(), mk(), mk(), mk(), mk()];
  const u = new Float64Array(n);
  const precondition = () => {
    for (let g = 0; g < fes.length; g++) for (let l = 0; l < r[g].length; l++) z[g][l] = r[g][l] / counts[g][l];
  };
  applyDt(out, fes, r);
  precondition();
  const rz0 = dot(r, z);
  let vv = 0;
  for (let i = 0; i < n; i++) vv += v[i] * v[i];
  // Group sums carry rounding of order ε·Σ|v|: below about 1e-28 Σv² the residual is noise.
  const target = Math.max(1e-26 * rz0, 1e-28 * vv);
  let iterations = 0;
  for (let restart = 0; restart < 5 && iterations < maxIter; restart++) {
    if (restart) {
      applyDt(out, fes, r);
      precondition();
    }
    let rz = dot(r, z);
    if (rz <= target) return { out, iterations, converged: true };
    for (const b of beta) b.fill(0);
    for (let g = 0; g < fes.length; g++) p[g].set(z[g]);
    while (iterations < maxIter) {
      iterations++;
      applyD(p, fes, u);
      applyDt(u, fes, q);
      const pq = dot(p, q);
      if (!(pq > 0)) break;
      const a = rz / pq;
      for (let g = 0; g < fes.length; g++)
        for (let l = 0; l < p[g].length; l++) {
          beta[g][l] += a * p[g][l];
          r[g][l] -= a * q[g][l];
        }
      precondition();
      const rzNew = dot(r, z);
      if (rzNew <= target) break;
      const c = rzNew / rz;
      rz = rzNew;
      for (let g = 0; g < fes.length; g++) for (let l = 0; l < p[g].length; l++) p[g][l] = z[g][l] + c * p[g][l];
    }
    applyD(beta, fes, u);
    for (let i = 0; i < n; i++) out[i] -= u[i];
  }
  applyDt(out, fes, r);
  precondition();
  return { out, iterations, converged: dot(r, z) <= Math.max(1e-20 * rz0, 1e-26 * vv) };
}
