export { entropyCore, pcaCore, equalWeightsCore } from './core';
export * from './indices';
