/** Type-7 quantile (R's default) of values already sorted ascending; NaN when empty. */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (!n) return NaN;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** The non-missing values of `x`, sorted ascending (a typed array sorts numerically, without a comparator). */
export function sortedNonMissing(x: ArrayLike<number>): Float64Array {
  return nonMissing(x).sort();
}

/** The non-missing values of `x`, in their order. */
function nonMissing(x: ArrayLike<number>): Float64Array {
  const out = new Float64Array(x.length);
  let n = 0;
  for (let i = 0; i < x.length; i++) {
    // Unary plus converts as Float64Array.from does (text or undefined becomes NaN, and is left out).
    const v = +x[i];
    if (!Number.isNaN(v)) out[n++] = v;
  }
  return out.subarray(0, n);
}

/**
 * Type-7 quantiles of the non-missing values, each exactly what `quantile(x, p)` gives, found by selection rather
 * than a sort of the values (p outside [0, 1]: by the sort). Selection cannot tell −0 from +0, which a sort orders,
 * but the answer cannot depend on it: lo + f·(hi − lo) with f ≥ 0 is +0 whenever it is a zero.
 */
export function quantiles(x: ArrayLike<number>, ps: number[]): number[] {
  const a = nonMissing(x);
  const n = a.length;
  if (!n) return ps.map(() => NaN);
  const bySort = () => {
    a.sort();
    return ps.map((q) => quantileSorted(a, q));
  };
  const out: number[] = [];
  for (const p of ps) {
    if (!(p >= 0 && p <= 1)) return bySort();
    const h = (n - 1) * p;
    const lo = Math.floor(h);
    const vlo = selectKth(a, lo);
    // After selection the values past `lo` are the larger ones: their least is the next value in sorted order.
    const vhi = lo + 1 < n ? leastFrom(a, lo + 1) : vlo;
    out.push(vlo + (h - lo) * (vhi - vlo));
  }
  return out;
}

function leastFrom(a: Float64Array, from: number): number {
  let m = a[from];
  for (let i = from + 1; i < a.length; i++) if (a[i] < m) m = a[i];
  return m;
}

/** Type-7 quantile of the non-missing values. */
export function quantile(x: ArrayLike<number>, p: number): number {
  return quantileSorted(sortedNonMissing(x), p);
}

/** Sample standard deviation (n − 1 in the denominator). */
export function sampleSd(x: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += x[i];
  const mean = sum / x.length;
  let ss = 0;
  for (let i = 0; i < x.length; i++) ss += (x[i] - mean) ** 2;
  return Math.sqrt(ss / (x.length - 1));
}

/** Pearson correlation of two equally long series. */
export function correlation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`correlation: lengths ${a.length} and ${b.length} differ`);
  let ma = 0,
    mb = 0;
  for (let i = 0; i < a.length; i++) {
    ma += a[i];
    mb += b[i];
  }
  ma /= a.length;
  mb /= b.length;
  let sab = 0,
    saa = 0,
    sbb = 0;
  for (let i = 0; i < a.length; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

/**
 * The k-th smallest (0-based) of `a`, which holds no NaN: the value `a.sort()[k]` has, without sorting (a typed
 * array's sort costs more than the rest of a median). Reorders `a`. Equal values are interchangeable, except
 * that −0 and +0 compare equal here: callers whose values can hold both use absolute values or check the sign.
 */
export function selectKth(a: Float64Array, k: number): number {
  let lo = 0,
    hi = a.length - 1;
  while (hi > lo) {
    // Median of three as the pivot, then a Hoare partition.
    const mid = (lo + hi) >>> 1;
    let x = a[lo],
      y = a[mid],
      z = a[hi];
    if (y < x) {
      const t = x;
      x = y;
      y = t;
    }
    if (z < y) {
      y = z;
      if (y < x) y = x;
    }
    const pivot = y;
    let i = lo,
      j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k];
  }
  return a[k];
}
