/** Type-7 quantile (R's default) of values already sorted ascending; NaN when empty. */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (!n) return NaN;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** Type-7 quantile of the non-missing values. */
export function quantile(x: ArrayLike<number>, p: number): number {
  return quantileSorted(
    Float64Array.from(x)
      .filter((a) => !Number.isNaN(a))
      .sort(),
    p,
  );
}
