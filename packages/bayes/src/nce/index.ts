export { fitNCE, fitNCEAsync, type NCEJSON, NCEModel, type NCEOptions, type NoiseDistribution, type UnnormalizedLogDensity } from './fit-nce.js';
export { gaussianNoise, unnormalizedGaussian } from './gaussian-model.js';
