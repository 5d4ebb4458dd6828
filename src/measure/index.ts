export { entropyCore, pcaCore, equalWeightsCore } from './core';
export * from './indices';
export { martinPhases, type MartinPhase, type MartinPhasesResult } from './martin';
