export { studyPanel, MODEL_COLUMNS, type StudyPanel, type StudyOptions } from './panel';
export { monteCarlo, type MonteCarloResult, type MonteCarloRow } from './monte-carlo';
export { studyColumns, tableCsv, writeStudyPanel, type StudyColumn } from './derived';
