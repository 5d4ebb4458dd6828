export { generatePanel, PANEL_COLUMNS, formatCell } from './yearbook';
export {
  simulateLatent,
  TRUTH,
  YEARS,
  NATIONAL_GDP_GROWTH,
  INTERNET_USERS_PREV_YEAR,
  type LatentPanel,
  type CityFacts,
  type Truth as ModelTruth,
} from './generate';
export { writeDefaultPanel, panelCsv, type SimulateOptions } from './write';
export { loadTruth, loadLatent, hasTruth } from './truth';
