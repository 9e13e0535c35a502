export { fitNCE, type NCEOptions, type NCEResult, type NoiseDistribution, type UnnormalizedLogDensity } from './fit-nce.js';
export { gaussianNoise, unnormalizedGaussian } from './gaussian-model.js';
