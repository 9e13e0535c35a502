/**
 * @notes/bayes — the notes' Bayesian chapters: conjugate models, MAP, KL/ELBO, mean-field VI,
 * Dirichlet processes, DPMM with Gibbs sampling and noise-contrastive estimation.
 * @packageDocumentation
 */
export * from './conjugate/index.js';
export * from './map/index.js';
export * from './kl/index.js';
export * from './variational/index.js';
export * from './dp/index.js';
export type { MatrixInput } from './internal/input.js';
export type { RngInput } from './internal/fit.js';
export * from './dpmm/index.js';
export * from './nce/index.js';
