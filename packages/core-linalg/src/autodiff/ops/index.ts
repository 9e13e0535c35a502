/**
 * Differentiable tensor ops, exported from the package as the `ops` namespace
 * (`import { ops } from '@notes/core-linalg'; ops.matmul(x, w)`), so their short names never clash
 * with the plain-array functions of `linalg` and `special`.
 * @packageDocumentation
 */
export { add, broadcastTo, div, mul, pow, sub } from './binary.js';
export { abs, exp, log, log1p, neg, relu, sigmoid, softplus, sqrt, square, tanh } from './unary.js';
export { logSumExp, max, mean, sum } from './reduce.js';
export type { Axes } from './reduce.js';
export { logSoftmax, softmax } from './softmax.js';
export { permute, reshape, slice, transpose } from './shape.js';
export { concat, gather, indexSelect, stack, where } from './select.js';
export { matmul } from './matmul.js';
