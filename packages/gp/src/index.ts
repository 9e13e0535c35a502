/**
 * @notes/gp — Gaussian processes from the notes: Bayesian regression, kernels, GP regression with
 * hyperparameter fitting, Bayesian optimisation.
 * @packageDocumentation
 */
export * from './kernels/index.js';
export * from './gp-regression/index.js';
export * from './bayesian-regression/index.js';
export * from './bayesian-optimization/index.js';
export * from './sparse/index.js';
export * from './deep-gp/index.js';
