export { cachedSource, type ColumnSource } from './columns';
export { feols, withVcov, coef, fitState, FEW_CLUSTERS } from './feols';
export { wildBootstrap, type WildBootstrapOptions, type WildBootstrapResult } from './wild-bootstrap';
export type { FitState } from './fit';
export {
  DEFAULT_SSC,
  type FeolsOptions,
  type FeolsResult,
  type CoefRow,
  type VcovSpec,
  type SmallSampleCorrection,
  type PanelKeys,
} from './types';
export { resolveVcov, parseVcovText, type ResolvedVcov } from './vcov-spec';
export { parseFormula, formulaVariables, buildFormula, type ParsedFormula, type Term } from './formula';
export {
  stockYogo,
  type IvDiagnostics,
  type FirstStage,
  type TestResult,
  type TestNotApplicable,
} from './iv-diagnostics';
export { demeanColumns, singletonMask, connectedComponents, isNested, type FeGroup } from './core/demean';
export { feDof, type FeDof } from './core/fe-dof';
export {
  computeVcov,
  smallSample,
  clusterMeat,
  heteroMeat,
  multiwayMeat,
  type VcovKind,
  type ClusterCodes,
} from './core/vcov';
export { partialOut, standardizedEffect, estimationSample } from './fwl';
export {
  mediation,
  percentileInterval,
  biasCorrectedInterval,
  type MediationOptions,
  type MediationResult,
  type MediatorRow,
} from './mediation';
export { groupDiff, type GroupDiffOptions, type GroupDiffResult } from './groupdiff';
