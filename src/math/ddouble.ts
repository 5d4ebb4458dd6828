/**
 * Double-double arithmetic (Dekker 1971; Ogita, Rump & Oishi 2005): sums and products carried as an unevaluated
 * pair hi + lo, about 32 significant digits, from error-free transformations. JavaScript has no fused multiply-add,
 * so products are split with Dekker's 2^27 + 1 constant. Used for the residuals of iterative refinement, where
 * the cancellation in y − Xb would otherwise lose the digits the refinement needs.
 */

const SPLIT = 134217729; // 2^27 + 1

/** a·b exactly as hi + lo; returns hi and leaves lo in `prodLo` (a module variable keeps it unboxed). */
export let prodLo = 0;
export function twoProd(a: number, b: number): number {
  const p = a * b;
  let t = SPLIT * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLIT * b;
  const bh = t - (t - b);
  const bl = b - bh;
  prodLo = ah * bh - p + ah * bl + al * bh + al * bl;
  return p;
}

/**
 * Σ a_i·b_i (i in [from, to)) accurate to about 2·10⁻³² relative to Σ|a_i·b_i| (Dot2 of Ogita–Rump–Oishi), as the
 * unevaluated pair [hi, lo].
 */
export function dot2Pair(a: ArrayLike<number>, b: ArrayLike<number>, from = 0, to = a.length): [number, number] {
  let s = 0;
  let c = 0;
  for (let i = from; i < to; i++) {
    const p = twoProd(a[i], b[i]);
    const pl = prodLo;
    const t = s + p;
    const z = t - s;
    c += s - (t - z) + (p - z) + pl;
    s = t;
  }
  const h = s + c;
  return [h, c - (h - s)];
}

/** dot2Pair rounded to one double. */
export function dot2(a: ArrayLike<number>, b: ArrayLike<number>, from = 0, to = a.length): number {
  const [h, l] = dot2Pair(a, b, from, to);
  return h + l;
}

/**
 * The residual y − r − Σ_j b_j x_j for every row, each accumulated in double-double and rounded once: the
 * quantity Björck's refinement of least squares needs (see qr.ts).
 */
export function residualDD(
  cols: Float64Array[],
  b: ArrayLike<number>,
  y: Float64Array,
  r?: Float64Array,
): Float64Array {
  const n = y.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = y[i];
    let c = 0;
    if (r) {
      const t = s - r[i];
      const z = t - s;
      c += s - (t - z) + (-r[i] - z);
      s = t;
    }
    for (let j = 0; j < cols.length; j++) {
      const p = -twoProd(cols[j][i], b[j]);
      const pl = -prodLo;
      const t = s + p;
      const z = t - s;
      c += s - (t - z) + (p - z) + pl;
      s = t;
    }
    out[i] = s + c;
  }
  return out;
}
