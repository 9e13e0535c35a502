export type { ConjugateJSON, ConjugateModel, ContinuousDistribution, DiscreteDistribution } from './types.js';
export {
  bernoulliDistribution,
  categoricalDistribution,
  negativeBinomialDistribution,
  normalDistribution,
  paretoUniformPredictive,
  studentTDistribution,
} from './predictive-univariate.js';
export { type MultivariateDistribution, multivariateStudentT } from './predictive-multivariate.js';
export { NormalKnownVariance, type NormalKnownVarianceParams, normalKnownVariance } from './normal-known-variance.js';
export { GammaPrecision, type GammaPrecisionParams, gammaPrecision } from './gamma-precision.js';
export { type MeanPrecision, NormalGamma, type NormalGammaParams, normalGamma } from './normal-gamma.js';
export { WishartPrecision, type WishartPrecisionParams, wishartPrecision } from './wishart-precision.js';
export { type MeanPrecisionMatrix, NormalWishart, type NormalWishartParams, normalWishart } from './normal-wishart.js';
export { BetaBernoulli, type BetaBernoulliParams, betaBernoulli } from './beta-bernoulli.js';
export { BetaBinomial, type BetaBinomialParams, betaBinomial, betaBinomialDistribution } from './beta-binomial.js';
export { DirichletCategorical, type DirichletCategoricalParams, dirichletCategorical } from './dirichlet-categorical.js';
export {
  DirichletMultinomial,
  type DirichletMultinomialParams,
  dirichletMultinomial,
  dirichletMultinomialDistribution,
} from './dirichlet-multinomial.js';
export { GammaPoisson, type GammaPoissonParams, gammaPoisson } from './gamma-poisson.js';
export { ParetoUniform, type ParetoUniformParams, paretoUniform } from './pareto-uniform.js';
export { type AnyConjugateModel, conjugateFromJSON } from './from-json.js';
