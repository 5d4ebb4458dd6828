export { cachedSource, type ColumnSource } from './model/columns';
export { feols, withVcov, coef, fitState, FEW_CLUSTERS } from './model/feols';
export {
  MAX_WILD_REPS,
  MAX_WILD_SEED,
  wildBootstrap,
  wildRepsProblem,
  wildSeedProblem,
  type WildBootstrapOptions,
  type WildBootstrapResult,
} from './vcov/wild-bootstrap';
export type { FitState } from './model/fit';
export {
  DEFAULT_SSC,
  type FeolsOptions,
  type FeolsResult,
  type CoefRow,
  type VcovSpec,
  type SmallSampleCorrection,
  type PanelKeys,
} from './model/types';
export { resolveVcov, parseVcovText, type ResolvedVcov } from './vcov/spec';
export { parseFormula, formulaVariables, buildFormula, type ParsedFormula, type Term } from './model/formula';
export {
  stockYogo,
  type IvDiagnostics,
  type FirstStage,
  type TestResult,
  type TestNotApplicable,
} from './iv/diagnostics';
export { demeanColumns, singletonMask, connectedComponents, isNested, type FeGroup } from './model/demean';
export { feDof, type FeDof } from './vcov/fe-dof';
export { computeVcov, clusterMeat, heteroMeat, multiwayMeat } from './vcov/sandwich';
export { smallSample, clusterParts, clusterAdjustment, type VcovKind, type ClusterCodes } from './vcov/rule';
export { partialOut, standardizedEffect, estimationSample } from './model/fwl';
export {
  mediation,
  percentileInterval,
  biasCorrectedInterval,
  type MediationOptions,
  type MediationResult,
  type MediatorRow,
} from './resample/mediation';
export { groupDiff, type GroupDiffOptions, type GroupDiffResult } from './resample/groupdiff';
