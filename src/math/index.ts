export * from './distributions';
export * from './linalg';
