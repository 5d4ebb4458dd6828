export { generatePanel, PANEL_COLUMNS, formatCell } from './yearbook';
export {
  simulateLatent,
  TRUTH,
  YEARS,
  NATIONAL_GDP_GROWTH,
  INTERNET_USERS_PREV_YEAR,
  type LatentPanel,
  type CityFacts,
} from './generate';
export { writeDefaultPanel, panelCsv } from './write';
export { loadTruth, loadLatent } from './truth';
