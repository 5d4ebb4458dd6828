/** Teaching: exercises in the source notebooks, a class per section (`nqp class`), grading (`nqp grade`). */
export { answer, answerRecord, ANSWER_MIME, type AnswerValue, type RecordedAnswer } from './answer';
export { exercisesOf, studentVersion, stripSolution, NOT_ANSWERED, type Exercise, type Tolerance } from './exercises';
export { prepareClass, type ClassOptions, type ClassManifest, type StudentKey } from './class';
export { gradeClass, matches, type GradeOptions, type GradeRow, type StudentGrade, type Status } from './grade';
export { executeOnPanel, type Execution } from './execute';
export { drawModel, studentSeed } from './params';
export { readRoster } from './roster';
