export { type CaviGaussianJSON, CaviGaussianModel, type CaviGaussianOptions, fitCaviGaussian, fitCaviGaussianAsync } from './cavi-gaussian.js';
export { fitVariationalGMM, fitVariationalGMMAsync, type VariationalGMMOptions, type VariationalGMMProgress } from './vbgmm.js';
export { type VariationalGMMJSON, VariationalGMMModel, type VariationalGMMState } from './vbgmm-model.js';
