export { loadPanel, loadCities, loadCodebook, labels, readRaw, dataDir, defaultPanelPath, type Table, type LoadOptions, type LoadReport, type City, type CodebookEntry } from './load';
export { deriveVariables, DERIVED } from './derive';
export { generatePanel, simulateLatent, TRUTH, YEARS, NATIONAL_GDP_GROWTH, INTERNET_USERS_PREV_YEAR, type LatentPanel, type CityFacts } from './generate';
export { writeDefaultPanel, panelCsv } from './write';
export { parseCsv } from './csv';
export { readDta } from './dta';
export { readXlsx } from './xlsx';
export { Rng } from './rng';
export { interpolate, winsorize, logTransform, lagColumn, quantile, type CleanReport } from './clean';
