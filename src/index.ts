/**
 * nqp-resilience: new quality productivity and urban economic resilience (Shi, Wang & Chen, 2024), step by step.
 * The public surface, by name; the layers' own index files hold the rest for tests and advanced use.
 */
export { NqpError, type ErrorCode } from './errors';
export { Rng, quantile } from './math';
export {
  loadPanel,
  loadCities,
  loadCodebook,
  labels,
  readFrame,
  frameSource,
  dataDir,
  defaultPanelPath,
  parseCsv,
  readDta,
  readXlsx,
  interpolate,
  winsorize,
  logTransform,
  lagColumn,
  cityMedianSplit,
  deriveVariables,
  type Table,
  type LoadOptions,
  type LoadReport,
  type City,
  type CodebookEntry,
  type CleanReport,
} from './data';
export { loadTruth, loadLatent, generatePanel, writeDefaultPanel, TRUTH } from './simulate';
export {
  entropyIndex,
  pcaIndex,
  equalWeightsIndex,
  martinSensitivity,
  dimensionShares,
  indicatorsFrom,
  type Indicator,
  type IndexResult,
  type WeightRow,
  type EntropyOptions,
} from './measure';
export { studyPanel, MODEL_COLUMNS, type StudyPanel, type StudyOptions } from './study';
export {
  feols,
  withVcov,
  coef,
  parseFormula,
  buildFormula,
  parseVcovText,
  stockYogo,
  partialOut,
  standardizedEffect,
  mediation,
  groupDiff,
  wildBootstrap,
  percentileInterval,
  biasCorrectedInterval,
  DEFAULT_SSC,
  type FeolsOptions,
  type FeolsResult,
  type CoefRow,
  type VcovSpec,
  type SmallSampleCorrection,
  type PanelKeys,
  type IvDiagnostics,
  type MediationOptions,
  type MediationResult,
  type GroupDiffOptions,
  type GroupDiffResult,
  type WildBootstrapOptions,
  type WildBootstrapResult,
} from './estimate';
export {
  etable,
  describe,
  simpleTable,
  tidy,
  summary,
  significance,
  describeCoef,
  compareCoef,
  againstCritical,
  provenance,
  type EtableOptions,
  type Rendered,
} from './report';
export {
  linesByGroup,
  densityByGroup,
  weightBars,
  shareBars,
  binScatter,
  coefPlot,
  drawHistogram,
  pathDiagram,
  cityMap,
  renderSvg,
  type VegaLiteSpec,
} from './charts';
export { show, liveHtml, bundleFor, progressBar } from './notebook/display';
export const version: string = require('../package.json').version;
