export { feols, withVcov, coef, parseVcov, type FeolsOptions, type FeolsResult, type CoefRow, type VcovSpec, type SmallSampleCorrection, type ColumnSource } from './feols';
export { parseFormula, formulaVariables, type ParsedFormula, type Term } from './formula';
export { stockYogo, type IvDiagnostics, type FirstStage, type TestResult, type TestNotApplicable } from './iv-diagnostics';
export { demeanColumns, singletonMask, connectedComponents, isNested, type FeGroup } from './core/demean';
export { computeVcov, clusterMeat, heteroMeat, multiwayMeat, type VcovKind, type ClusterCodes } from './core/vcov';
export { partialOut, standardizedEffect } from './fwl';
export { mediation, percentileInterval, biasCorrectedInterval, type MediationOptions, type MediationResult, type MediatorRow } from './mediation';
export { groupDiff, type GroupDiffOptions, type GroupDiffResult } from './groupdiff';
