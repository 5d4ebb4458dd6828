export {
  loadPanel,
  loadCities,
  loadCodebook,
  labels,
  readRaw,
  dataDir,
  defaultPanelPath,
  type LoadOptions,
  type LoadReport,
  type City,
  type CodebookEntry,
} from './load';
export { deriveVariables, DERIVED } from './derive';
export { parseCsv } from './csv';
export { readDta } from './dta';
export { readXlsx } from './xlsx';
export { interpolate, winsorize, logTransform, lagColumn, cityMedianSplit, type CleanReport } from './clean';
export type { Table } from './table';
