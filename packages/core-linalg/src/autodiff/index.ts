/**
 * autodiff: reverse-mode automatic differentiation over float64 tensors.
 * `Tensor` holds the values, `ops.*` compute (each with its vector–Jacobian product), and
 * `valueAndGrad` / `grad` / `variableGrads` / `jacobian` differentiate; `gradcheck` verifies.
 * @packageDocumentation
 */
export { Tensor, sizeOf, shapeStr } from './tensor.js';
export type { TensorLike, TensorOptions } from './tensor.js';
export { detach, isRecording, noGrad, setNanCheck, tapeStats, withNanCheck } from './tape.js';
export { grad, jacobian, valueAndGrad, variableGrads } from './grad.js';
export { gradcheck } from './gradcheck.js';
export { customOp } from './custom.js';
export type { CustomVjp } from './custom.js';
export type { GradcheckOptions, GradcheckResult } from './gradcheck.js';
export * as ops from './ops/index.js';
