export { createGaussianHMM, createHMM, HMM } from './hmm.js';
export type { FittedHMM, GaussianHMMParams, HMMJSON, HMMParams } from './hmm.js';
export type { DiscreteEmissionJSON, Emission, GaussianEmissionJSON, Observations } from './emissions.js';
export { estimateHMM } from './estimate.js';
export type { EstimateHMMOptions, LabelledSequence } from './estimate.js';
export { fitHMM, fitHMMAsync, randomHMM } from './baumWelch.js';
export type { BaumWelchProgress, FitHMMOptions, RandomHMMOptions } from './baumWelch.js';
