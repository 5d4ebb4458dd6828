/**
 * nqp-resilience: new quality productivity and urban economic resilience (Shi, Wang & Chen, 2024), step by step.
 */
export { NqpError, type ErrorCode } from './errors';
export * from './math';
export * from './data';
export * from './estimate';
export * from './measure';
export * from './report';
export * from './charts';
export { show, liveHtml, bundleFor, progressBar } from './notebook/display';
export const version: string = require('../package.json').version;
