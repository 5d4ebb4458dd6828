export * from './distributions';
export * from './linalg';
export { Rng } from './rng';
export { quantile, quantileSorted } from './stats';
export * from './qr';
