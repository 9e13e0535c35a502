export { klDiagonalNormal, klMultivariateNormal, klNormal } from './gaussian.js';
export { klBernoulli, klCategorical } from './discrete.js';
export { klBeta, klDirichlet, klGamma } from './exponential-family.js';
export { type Estimate, elbo, monteCarloKL } from './monte-carlo.js';
