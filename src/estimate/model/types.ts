import type { Provenance } from '../../data/provenance';
/**
 * Public types of the estimation layer: the vcov specification, the small-sample correction, the options of
 * `feols` and the result it returns. The result is a plain, JSON-serialisable object; rendering lives in
 * src/report, and what re-computing the vcov needs is kept beside it in a typed fit state (model/fit.ts, reached
 * through fitState in model/feols.ts).
 */
import type { IvDiagnostics } from '../iv/diagnostics';
import type { VcovKind } from '../vcov/sandwich';

/** `'iid'`, `'hc1'`, or clustering by one or two variables: `{ cluster: 'city_code' }`, `{ cluster: ['a', 'b'] }`. */
export type VcovSpec = 'iid' | 'hc1' | { cluster: string | readonly string[] };

/**
 * Small-sample correction, with fixest's names and defaults (`ssc()` in fixest):
 * - `adj`: (n − 1)/(n − K) for cluster, n/(n − K) for hc1, n − K in σ̂² for iid. Default true.
 * - `fixefK`: how fixed effects enter K. 'nested' (default): fixed effects nested in a cluster variable are not
 *   counted; 'full': every fixed-effect parameter counts; 'none': none does.
 * - `clusterAdj`: G/(G − 1), G the smallest number of clusters. Default true.
 * - `preset`: 'fixest' (default) counts fixed-effect redundancies as fixest does with `fixef.force_exact = FALSE`
 *   (one per fixed effect after the first); 'reghdfe' counts them exactly as reghdfe does (see core/fe-dof.ts).
 */
export interface SmallSampleCorrection {
  adj: boolean;
  fixefK: 'nested' | 'full' | 'none';
  clusterAdj: boolean;
  preset: 'fixest' | 'reghdfe';
}

export const DEFAULT_SSC: SmallSampleCorrection = { adj: true, fixefK: 'nested', clusterAdj: true, preset: 'fixest' };

export interface PanelKeys {
  id: string;
  time: string;
}

export interface FeolsOptions {
  /** Default: clustered by the first fixed effect when there is one (fixest's default), iid otherwise. */
  vcov?: VcovSpec;
  /** 'keep' (default; fixest) or 'drop' singleton groups iteratively (reghdfe's default). */
  singletons?: 'keep' | 'drop';
  /**
   * Panel identifiers for l() and f(), and to name dropped rows by unit and time. Default none: lags and leads are
   * refused, dropped rows are named by row number. The study's are `study.panel` ({ id: 'city_code', time: 'year' }).
   */
  panel?: PanelKeys | null;
  /** Convergence tolerance of the fixed-effect absorption. Default 1e-10. */
  tol?: number;
  /** Relative norm below which a regressor counts as collinear. Default 1e-10. */
  collinTol?: number;
  /** Confidence level of the intervals. Default 0.95. */
  level?: number;
  /** Small-sample correction; unset fields take DEFAULT_SSC's values. */
  ssc?: Partial<SmallSampleCorrection>;
}

export interface CoefRow {
  term: string;
  estimate: number;
  std_error: number;
  statistic: number;
  p_value: number;
  conf_low: number;
  conf_high: number;
}

export interface FeolsResult {
  estimator: 'OLS' | 'IV-2SLS';
  spec: {
    formula: string;
    depvar: string;
    /** The vcov as a label: 'iid', 'hc1', 'cluster:city_code', 'cluster:a+b'. */
    vcov: string;
    ssc: SmallSampleCorrection;
    fixedEffects: string[];
    singletons: 'keep' | 'drop';
    level: number;
    panel: PanelKeys | null;
    tol: number;
  };
  coefficients: CoefRow[];
  vcov: {
    kind: VcovKind;
    clusters?: { name: string; count: number }[];
    matrix: number[][];
    /** Degrees of freedom of the t tests and intervals. */
    dfT: number;
    /** Parameters counted in the small-sample correction. */
    K: number;
    /** The scalar small-sample factor applied to the sandwich. */
    factor: number;
  };
  fit: {
    nObs: number;
    dfResid: number;
    r2: number;
    r2Within: number | null;
    adjR2: number;
    rmse: number;
    waldF: number;
    waldFPValue: number;
    waldFDf: [number, number];
  };
  sample: { used: number; dropped: { reason: string; count: number; keys: string[] }[] };
  droppedTerms: { term: string; reason: 'collinear' | 'absorbed' }[];
  /**
   * Per fixed effect, reghdfe's "Absorbed degrees of freedom" table: categories (`levels`), parameters redundant
   * (`redundant`, all of them when nested in a cluster under the reghdfe preset) and counted in K (`counted`).
   */
  fixedEffects: { name: string; levels: number; redundant: number; counted: number; nested: boolean }[];
  demean: { iterations: number; converged: boolean };
  firstStage?: IvDiagnostics;
  /** Facts about the sample and the fit (drops, collinear terms), shown under every table. */
  notes: string[];
  /** Named warnings (few clusters, perfect fit, undefined statistics), shown under every table. */
  warnings: string[];
  /**
   * The notes that change how a number reads (key spellings read as one, rows dropped for non-finite values the
   * formula made, absorption short of tolerance, an instrument dropped, full-width operators read as ASCII):
   * each is also in `notes`; `nqp fit --json` lists them among its warnings.
   */
  cautions: string[];
  /** The data and settings the model was fitted from (absent when the input was not loaded by the package). */
  provenance?: Provenance;
}
