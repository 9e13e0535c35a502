export { type Basis, type BasisJSON, basisFromJSON, fourierBasis, polynomialBasis, rbfBasis } from './basis.js';
export { BasisKernel, basisKernel, basisKernelFromJSON } from './basisKernel.js';
export {
  type BayesianRegressionJSON,
  BayesianRegressionModel,
  type BayesianRegressionOptions,
  fitBayesianRegression,
} from './blr.js';
