export { type CaviGaussianOptions, type CaviGaussianResult, fitCaviGaussian } from './cavi-gaussian.js';
export { fitVariationalGMM, type VariationalGMMOptions } from './vbgmm.js';
export { VariationalGMMModel, type VariationalGMMState } from './vbgmm-model.js';
