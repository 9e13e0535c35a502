export { assertRng, createRng } from './rng.js';
export type { Rng } from './rng.js';
export {
  sampleBeta,
  sampleBinomial,
  sampleExponential,
  sampleGamma,
  sampleGumbel,
  samplePoisson,
  sampleUniform,
} from './univariate.js';
export { sampleNormal, sampleNormalArray } from './normal.js';
export { sampleDirichlet } from './dirichlet.js';
export { sampleCategorical, sampleCategoricalLog } from './categorical.js';
export { permutation } from './permutation.js';
export { sampleMultivariateNormal, sampleWishart } from './multivariate.js';
export { resolveRng } from './resolve.js';
export type { RandomnessOptions } from './resolve.js';
