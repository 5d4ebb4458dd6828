/**
 * How many parameters the fixed effects count for in the small-sample correction (the "K" of (n − 1)/(n − K)).
 *
 * fixest (default; `ssc(fixef.K = "nested", fixef.force_exact = FALSE)`, fixest 0.12 R/VCOV.R):
 *   K_fe = Σ levels − (F − 1)                 F fixed effects; one redundancy per fixed effect after the first
 *   under clustering, fixed effects nested in a cluster variable are taken out again:
 *   K_fe −= Σ_nested (levels − 1); when every fixed effect is nested, K_fe = 1 (the intercept they absorb).
 *   Redundancies beyond one per fixed effect (disconnected panels, province × year next to city) are not found.
 *
 * reghdfe (preset 'reghdfe'; `dof(pairwise clusters continuous)`, reghdfe 6 DoF.mata and Regression.mata):
 *   every fixed effect nested in a cluster variable is fully redundant (M = levels); of the others, each has at
 *   least one redundant level except the first (the first too when some fixed effect was nested), and for every
 *   pair (g, h) of them, M_h ≥ the number of connected components ("mobility groups") of their bipartite graph.
 *   K_fe = Σ (levels − M), plus 1 when some fixed effect is nested (reghdfe's `nested_adj`).
 *
 * 'full' counts every fixed effect as if unclustered; 'none' counts none.
 *
 * Per fixed effect, `table` gives reghdfe's "Absorbed degrees of freedom" rows: categories, redundant (M), counted
 * (categories − M) and nested. Σ counted = K_fe except for reghdfe's `nested_adj`, the 1 added when some fixed effect
 * is nested (reghdfe prints it nowhere in that table; `interceptAdj` carries it). Under fixest the rows split its
 * count the same way: the first fixed effect 0 redundant and the others 1; a nested one all but its intercept
 * (levels − 1) when first, all levels otherwise.
 */
import type { ClusterCodes } from './rule';
import { connectedComponents, isNested, type FeGroup } from '../model/demean';

export interface FeDofInput {
  fes: (FeGroup & { name: string })[];
  /** Cluster codes when the vcov is clustered; empty otherwise. */
  clusters: ClusterCodes[];
  fixefK: 'nested' | 'full' | 'none';
  preset: 'fixest' | 'reghdfe';
}

export interface FeDof {
  /** Fixed-effect parameters counted in K. */
  k: number;
  /** Which fixed effects are nested in a cluster variable (never true without clustering). */
  nested: boolean[];
  /** Fixed-effect parameters without clustering (the residual degrees of freedom and adjusted R² use it). */
  full: number;
  /** Per fixed effect: redundant parameters and parameters counted in K (categories − redundant). */
  table: { redundant: number; counted: number }[];
  /** Counted in K beyond Σ counted: reghdfe's `nested_adj` (1 when some fixed effect is nested), else 0. */
  interceptAdj: number;
}

export function feNested(fes: FeGroup[], clusters: ClusterCodes[]): boolean[] {
  return fes.map((fe) => clusters.some((c) => isNested(fe, c.codes)));
}

export function feDof(input: FeDofInput): FeDof {
  const { fes, clusters, fixefK, preset } = input;
  const nested = fixefK === 'nested' ? feNested(fes, clusters) : fes.map(() => false);
  const sizes = fes.map((f) => f.nLevels);
  const unclustered = fes.map(() => false);
  const full = sum(redundancy(fes, unclustered, preset).map((m, g) => sizes[g] - m));
  if (fixefK === 'none') {
    return { k: 0, nested, full, table: sizes.map((l) => ({ redundant: l, counted: 0 })), interceptAdj: 0 };
  }
  const M = redundancy(fes, nested, preset);
  const table = M.map((m, g) => ({ redundant: m, counted: sizes[g] - m }));
  const interceptAdj = preset === 'reghdfe' && nested.some(Boolean) ? 1 : 0;
  return { k: sum(table.map((r) => r.counted)) + interceptAdj, nested, full, table, interceptAdj };
}

const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);

/** Redundant parameters per fixed effect (the M of reghdfe's table; fixest's split of its count, module comment). */
function redundancy(fes: FeGroup[], nested: boolean[], preset: FeDofInput['preset']): number[] {
  if (preset === 'fixest') {
    return fes.map((f, g) => (nested[g] ? f.nLevels - (g === 0 ? 1 : 0) : g === 0 ? 0 : 1));
  }
  const M = fes.map((f, g) => (nested[g] ? f.nLevels : 0));
  const nNested = nested.filter(Boolean).length;
  const rest = fes.map((_, g) => g).filter((g) => !nested[g]);
  rest.forEach((g, i) => {
    if (i > 0 || nNested > 0) M[g] = 1;
  });
  for (let i = 0; i < rest.length; i++) {
    for (let j = i + 1; j < rest.length; j++) {
      const h = rest[j];
      M[h] = Math.max(M[h], connectedComponents(fes[rest[i]], fes[h]));
    }
  }
  return M;
}

const panelCache = new Map<string, number>();

/**
 * Fixed-effect parameters in K for a panel with unit effects nested in the clusters and, when `periods` > 0, period
 * effects — the resampling draws' model. Asks feDof itself on a complete units × periods panel clustered by unit
 * (nesting and redundancy depend only on that structure), so the draws count K exactly as feols does.
 */
export function panelFeParams(
  units: number,
  periods: number,
  ssc: { fixefK: FeDofInput['fixefK']; preset: FeDofInput['preset'] },
): number {
  const key = `${units},${periods},${ssc.fixefK},${ssc.preset}`;
  let k = panelCache.get(key);
  if (k === undefined) {
    const T = Math.max(periods, 1);
    const unitCodes = Int32Array.from({ length: units * T }, (_, i) => Math.floor(i / T));
    const fes: FeDofInput['fes'] = [{ name: 'unit', codes: unitCodes, nLevels: units }];
    if (periods > 0)
      fes.push({ name: 'period', codes: Int32Array.from({ length: units * T }, (_, i) => i % T), nLevels: T });
    k = feDof({ fes, clusters: [{ name: 'unit', codes: unitCodes, nLevels: units }], ...ssc }).k;
    if (panelCache.size > 1000) panelCache.clear();
    panelCache.set(key, k);
  }
  return k;
}
