export { type CaviGaussianOptions, type CaviGaussianResult, fitCaviGaussian } from './cavi-gaussian.js';
