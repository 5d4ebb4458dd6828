export { loadPanel, readFrame, type LoadOptions, type LoadReport, type ReadOptions } from './load';
export { frameSource, type ColumnFacts, type Frame, type FrameColumn, type TextColumn } from './frame';
export { thousandsWarnings, unitWarnings } from './panel-checks';
export { readCell, type Cell } from './cells';
export {
  loadCities,
  loadCodebook,
  labels,
  dataDir,
  defaultPanelPath,
  type City,
  type CodebookEntry,
} from './reference';
export { deriveVariables, DERIVED } from './derive';
export { parseCsv } from './csv';
export { readDta } from './dta';
export { readXlsx } from './xlsx';
export { interpolate, winsorize, logTransform, lagColumn, cityMedianSplit, type CleanReport } from './clean';
export type { Table } from './table';
export { isMissing, cellNumber, numbersOf } from './missing';
export {
  settings,
  currentSettings,
  resetSession,
  recordSource,
  sourceOf,
  latestSource,
  provenanceLine,
  staleness,
  truthBeside,
  displayPath,
  fileHash,
  type Provenance,
  type SettingsValues,
} from './provenance';
