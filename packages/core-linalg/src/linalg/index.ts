/**
 * linalg: matrix conversion, fast dense products, Cholesky, conjugate gradient, power iteration,
 * log-sum-exp and softmax.
 * @packageDocumentation
 */
export { toMatrix, fromRowMajor, toRowMajor } from './matrix.js';
export type { MatrixInput } from './matrix.js';
export { RowMajorMatrix } from './row-major-matrix.js';
export { matmul, matmulTransA, matmulTransB, matmulMatrix } from './matmul.js';
export { cholesky, choleskySolve, isCholeskyFactor } from './cholesky.js';
export type { CholeskyFactor, CholeskyOptions } from './cholesky.js';
export { conjugateGradient } from './conjugate-gradient.js';
export type {
  ConjugateGradientOptions,
  ConjugateGradientProgress,
  ConjugateGradientReason,
  ConjugateGradientResult,
} from './conjugate-gradient.js';
export { powerIteration } from './power-iteration.js';
export type { PowerIterationOptions, PowerIterationResult } from './power-iteration.js';
export { logSumExp, logSoftmax, softmax } from './logsumexp.js';
