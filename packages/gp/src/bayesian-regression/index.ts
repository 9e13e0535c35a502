export { type Basis, type BasisJSON, type FourierBasisOptions, basisFromJSON, fourierBasis, polynomialBasis, rbfBasis } from './basis.js';
export { BasisKernel, basisKernel, basisKernelFromJSON } from './basisKernel.js';
export {
  type BayesianRegressionJSON,
  BayesianRegressionModel,
  type BayesianRegressionOptions,
  type BayesianRegressionProgress,
  fitBayesianRegression,
  fitBayesianRegressionAsync,
} from './blr.js';
