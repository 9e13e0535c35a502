/**
 * optim: L-BFGS with strong-Wolfe line search and box bounds, Adam and SGD steppers, natural gradient.
 * @packageDocumentation
 */
export { LBFGS_RUNAWAY_FACTOR, LBFGS_UNBOUNDED_VALUE, minimizeLBFGS, minimizeLBFGSAsync } from './lbfgs.js';
export type { LBFGSCriterion, LBFGSOptions, LBFGSProgress, LBFGSReason, LBFGSResult, ValueAndGradient } from './lbfgs.js';
export { createAdam, createSgd } from './steppers.js';
export type { AdamOptions, SgdOptions, Stepper } from './steppers.js';
export { naturalGradient, naturalGradientStep } from './natural-gradient.js';
export type { FisherInput, NaturalGradientOptions } from './natural-gradient.js';
