/**
 * f-divergences (notes: GAN — f-divergence D_f(P‖Q) = ∫ q f(p/q)).
 * @packageDocumentation
 */
export {
  F_DIVERGENCES,
  hellinger,
  jensenShannon,
  kl,
  pearson,
  reverseKl,
  totalVariation,
} from './generators.js';
export type { FDivergence, FDivergenceName } from './generators.js';
export { resolveDivergence } from './resolve.js';
export type { DivergenceInput } from './resolve.js';
export { discreteFDivergence } from './discrete.js';
export { gaussianFDivergence, gaussianFDivergenceQuadrature } from './gaussian.js';
export type { Gaussian1d, QuadratureOptions } from './gaussian.js';
export { fGanBound, logDensityRatio, optimalCritic } from './variational.js';
export type { FGanBoundOptions } from './variational.js';
export { monteCarloFDivergence } from './montecarlo.js';
export type { MonteCarloEstimate, MonteCarloFDivergenceInput, MonteCarloFDivergenceOptions } from './montecarlo.js';
