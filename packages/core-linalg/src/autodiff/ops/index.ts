/**
 * Differentiable tensor ops, exported from the package as the `ops` namespace
 * (`import { ops } from '@notes/core-linalg'; ops.matmul(x, w)`), so their short names never clash
 * with the plain-array functions of `linalg` and `special`.
 * @packageDocumentation
 */
export { add, broadcastTo, div, mul, pow, sub } from './binary.js';
export { abs, cos, exp, log, log1p, neg, relu, sigmoid, sin, softplus, sqrt, square, tanh } from './unary.js';
export { logSumExp, max, mean, sum } from './reduce.js';
export type { Axes } from './reduce.js';
export { logSoftmax, softmax } from './softmax.js';
export { permute, reshape, slice, transpose } from './shape.js';
export { concat, gather, indexSelect, stack, where } from './select.js';
export { linear, matmul } from './matmul.js';
export type { LinearActivation } from './matmul.js';
export { conv1d, conv2d } from './conv.js';
export type { Conv1dOptions, Conv2dOptions } from './conv.js';
export { avgPool2d, maxPool2d } from './pool.js';
export type { Pool2dOptions } from './pool.js';
export { fftConv1d } from './fftconv.js';
export { dropout } from './dropout.js';
export { bernoulliLogLikelihood, diagGaussianKL } from './likelihood.js';
