/** Gradient estimators for discrete latent variables (notes: "Discrete Latent Variables"). */
export { categoricalScore, exactGradient, oneHot } from './objective.js';
export type { CategoricalObjective } from './objective.js';
export { GUMBEL_SOFTMAX_DEFAULTS, gumbelMax, gumbelSoftmax, gumbelSoftmaxGradient } from './gumbel.js';
export type { GumbelSoftmaxGradientOptions, GumbelSoftmaxOptions, GumbelSoftmaxSample } from './gumbel.js';
export { estimateOptimalBaseline, optimalBaseline, REINFORCE_DEFAULTS, reinforceGradient, reinforceVariance } from './reinforce.js';
export type { ReinforceOptions } from './reinforce.js';
export { createNVIL, muPropGradient, NVIL_DEFAULTS } from './control-variates.js';
export type { NVIL, NVILEstimate, NVILGradientOptions, NVILOptions } from './control-variates.js';
export { gradientStatistics } from './statistics.js';
export type { GradientStatistics } from './statistics.js';
export { exampleObjective, EXAMPLE_LOGITS, estimatorVarianceTable } from './example.js';
export type { EstimatorRow } from './example.js';
