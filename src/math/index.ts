export * from './distributions';
export * from './linalg';
export { Rng } from './rng';
export { quantile, quantileSorted, sampleSd, correlation } from './stats';
export * from './qr';
