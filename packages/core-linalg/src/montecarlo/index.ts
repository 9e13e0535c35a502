export { monteCarlo } from './plain.js';
export { importanceSampling } from './importance.js';
export type { ImportanceSamplingEstimate, ImportanceSamplingOptions } from './importance.js';
export { hitOrMiss, uniformVolume } from './volume.js';
export type { MonteCarloEstimate } from './estimate.js';
