/**
 * The per-city sufficient statistics of the resampling estimators (sufficient-stats.ts): the rows of each city,
 * and each city's within-city cross-products, period sums and period counts, computed once per common sample.
 */
export interface ClusterBlocks {
  /** Rows of each cluster (city), in the order of `ids`. */
  rows: Int32Array[];
  ids: unknown[];
  /** Time index per row (0..T−1) for the second fixed effect. */
  time: Int32Array;
  nTime: number;
  cols: Float64Array[];
}

export function blocksOf(
  clusterCol: ArrayLike<unknown>,
  timeCol: ArrayLike<unknown>,
  cols: Float64Array[],
  keep: Uint8Array,
): ClusterBlocks {
  const map = new Map<unknown, number[]>();
  const tmap = new Map<unknown, number>();
  const time = new Int32Array(clusterCol.length);
  for (let i = 0; i < clusterCol.length; i++) {
    if (!keep[i]) continue;
    const g = map.get(clusterCol[i]);
    if (g) g.push(i);
    else map.set(clusterCol[i], [i]);
    let t = tmap.get(timeCol[i]);
    if (t === undefined) {
      t = tmap.size;
      tmap.set(timeCol[i], t);
    }
    time[i] = t;
  }
  return { rows: [...map.values()].map((r) => Int32Array.from(r)), ids: [...map.keys()], time, nTime: tmap.size, cols };
}

/**
 * Per-city sufficient statistics for two-way (city + year) within cross-products. A resample or subsample of
 * whole cities never changes a city's own within-city demeaned values x̃, so the two-way residual cross-product
 * matrix of any multiset of cities follows from per-city sums without touching the rows again:
 *   r_i = x̃_i − (γ_{t_i} − ḡ_u),  (D̃'D̃) γ = R with R_t = Σ_{i: t_i = t} x̃_i,
 *   Σ r r' = Σ_u S_u − Σ_t (R_t γ_t' + γ_t R_t') + Σ_t N_t γ_t γ_t' − Σ_u n_u ḡ_u ḡ_u'.
 */
export interface CityStats {
  k: number;
  nTime: number;
  /**
   * Per city, flattened: S_u = Σ x̃x̃' (k×k), P_u = period sums of x̃ (T×k), Q_u = c_u c_u' / n_u (T×T), c_u = period
   * counts (T). S, P and c are views into the contiguous arrays below.
   */
  S: Float64Array[];
  P: Float64Array[];
  Q: Float64Array[];
  c: Float64Array[];
  /** All cities' S (city u at u·k²), P (at u·T·k) and c (at u·T) in one array each, so draws read them in place. */
  flatS: Float64Array;
  flatP: Float64Array;
  flatC: Float64Array;
  /** Rows of each city: Σ_t c_ut, summed over t in order. */
  nRows: Float64Array;
  /**
   * Cities with the same period counts share Q and c: `pattern[u]` indexes `patterns`, so sums of Q and c over a
   * draw cost one count per city (balanced panels have one pattern) instead of T² additions.
   */
  pattern: Int32Array;
  patterns: { Q: Float64Array; c: Float64Array }[];
}

export function cityStats(b: ClusterBlocks): CityStats {
  const k = b.cols.length,
    T = b.nTime,
    nu = b.rows.length,
    { cols, time } = b;
  const flatS = new Float64Array(nu * k * k),
    flatP = new Float64Array(nu * T * k),
    flatC = new Float64Array(nu * T),
    nRows = new Float64Array(nu);
  const S: Float64Array[] = [],
    P: Float64Array[] = [],
    Q: Float64Array[] = [],
    cnt: Float64Array[] = [];
  const key = new Map<string, number>();
  const patterns: { Q: Float64Array; c: Float64Array }[] = [];
  const pattern = new Int32Array(nu);
  const mean = new Float64Array(k),
    x = new Float64Array(k);
  // One plain loop over cities (no callback per city): it runs a handful of times per notebook, so it must be quick
  // before the JIT has seen it. The sums over a city's rows are a small function of their own (cityMoments), which
  // the engine optimises early and once, rather than this whole loop again for each new shape of input.
  for (let u = 0; u < nu; u++) {
    const rows = b.rows[u],
      m = rows.length,
      sOff = u * k * k,
      pOff = u * T * k,
      cOff = u * T;
    cityMoments(cols, time, rows, k, flatS, flatP, flatC, sOff, pOff, cOff, mean, x);
    const cu = flatC.subarray(cOff, cOff + T);
    for (let t = 0; t < T; t++) nRows[u] += cu[t];
    // Cities with the same period counts share c_u c_u' / n_u (n_u is the sum of the counts).
    const id = cu.join(',');
    let pi = key.get(id);
    if (pi === undefined) {
      pi = patterns.length;
      key.set(id, pi);
      const qu = new Float64Array(T * T);
      for (let t = 0; t < T; t++) for (let r = 0; r < T; r++) qu[t * T + r] = (cu[t] * cu[r]) / m;
      patterns.push({ Q: qu, c: cu });
    }
    pattern[u] = pi;
    S.push(flatS.subarray(sOff, sOff + k * k));
    P.push(flatP.subarray(pOff, pOff + T * k));
    Q.push(patterns[pi].Q);
    cnt.push(cu);
  }
  return { k, nTime: T, S, P, Q, c: cnt, flatS, flatP, flatC, nRows, pattern, patterns };
}

/**
 * One city's S_u (at sOff), P_u (at pOff) and period counts c_u (at cOff), into the flat arrays of cityStats. Within a
 * city, x̃ = x − x̄ is formed once per row (the same double as forming it again for every product).
 */
function cityMoments(
  cols: Float64Array[],
  time: Int32Array,
  rows: Int32Array,
  k: number,
  flatS: Float64Array,
  flatP: Float64Array,
  flatC: Float64Array,
  sOff: number,
  pOff: number,
  cOff: number,
  mean: Float64Array,
  x: Float64Array,
): void {
  const m = rows.length;
  mean.fill(0);
  for (let q = 0; q < m; q++) for (let c = 0; c < k; c++) mean[c] += cols[c][rows[q]] / m;
  for (let q = 0; q < m; q++) {
    const i = rows[q],
      t = time[i];
    flatC[cOff + t]++;
    for (let a = 0; a < k; a++) x[a] = cols[a][i] - mean[a];
    for (let a = 0; a < k; a++) {
      const xa = x[a];
      flatP[pOff + t * k + a] += xa;
      for (let c = a, o = sOff + a * k + a; c < k; c++, o++) flatS[o] += xa * x[c];
    }
  }
  for (let a = 0; a < k; a++) for (let c = 0; c < a; c++) flatS[sOff + a * k + c] = flatS[sOff + c * k + a];
}
