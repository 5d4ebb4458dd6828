export { studyPanel, MODEL_COLUMNS, type StudyPanel, type StudyOptions } from './panel';
