export { entropyCore, pcaCore, equalWeightsCore } from './core';
export * from './indices';
export { studyPanel, MODEL_COLUMNS, type StudyPanel, type StudyOptions } from './prepare';
