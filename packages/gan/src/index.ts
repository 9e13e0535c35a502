/**
 * @notes/gan — the mathematics of the notes' GAN chapter: f-divergences, optimal transport,
 * Lipschitz constants and spectral normalisation.
 * @packageDocumentation
 */
export * from './fdivergence/index.js';
export * from './ot/index.js';
export * from './lipschitz/index.js';
export * from './gan/index.js';
