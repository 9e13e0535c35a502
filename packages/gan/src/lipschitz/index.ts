/**
 * Lipschitz constants and spectral normalisation (notes: GAN — Optimal transport, Lipschitz, spectral norm).
 * @packageDocumentation
 */
export { createSpectralNormState, spectralNorm, spectralNormalize } from './spectral-norm.js';
export type {
  SpectralNormOptions,
  SpectralNormResult,
  SpectralNormState,
  SpectralNormalizeOptions,
  SpectralNormalizeResult,
} from './spectral-norm.js';
export { mlpLipschitzBound } from './mlp-bound.js';
export type { MlpLipschitzBound, MlpLipschitzOptions } from './mlp-bound.js';
