/**
 * Function transformations: `valueAndGrad`, `grad`, `variableGrads`, `jacobian`.
 * Each opens a tape for the duration of one call and releases it before returning.
 */
import { ShapeError } from '../errors/index.js';
import { backward, openTape, popTape, releaseTape, type Tape } from './tape.js';
import { shapeStr, Tensor, checkTensor, checkTensors } from './tensor.js';

function run(tape: Tape, f: () => Tensor): Tensor {
  try {
    return f();
  } finally {
    popTape(tape);
  }
}

function scalarOut(where: string, y: Tensor): void {
  if (y.size !== 1) {
    throw new ShapeError(`${where}: the function must return a one-element tensor, got shape ${shapeStr(y.shape)}; reduce it with ops.sum or ops.mean`);
  }
}

/**
 * Value and gradient of a scalar function of tensors:
 * $f \mapsto (x_1..x_k) \mapsto \big(f(x), \nabla_{x_1} f, \dots, \nabla_{x_k} f\big)$.
 * Every argument is differentiated (whether or not it has `requiresGrad`); other tensors that `f`
 * closes over are constants.
 * @throws ShapeError if `f` does not return a one-element tensor.
 * @example valueAndGrad((x) => ops.sum(ops.square(x)))(Tensor.fromArray([1, 2])) // { value: 5, grads: [[2, 4]] }
 */
export function valueAndGrad(f: (...xs: Tensor[]) => Tensor): (...xs: Tensor[]) => { value: number; grads: Tensor[] } {
  return (...xs) => {
    const tape = openTape(new Set(xs));
    try {
      const y = run(tape, () => f(...xs));
      scalarOut('valueAndGrad', y);
      const gs = backward(tape, y, Float64Array.of(1), xs);
      return { value: y.data[0], grads: gs.map((g, i) => new Tensor(g, xs[i].shape)) };
    } finally {
      releaseTape(tape);
    }
  };
}

/**
 * Gradient of a scalar function with respect to each argument (see {@link valueAndGrad}).
 * @example grad((x) => ops.sum(ops.exp(x)))(Tensor.fromArray([0]))[0].data // [1]
 */
export function grad(f: (...xs: Tensor[]) => Tensor): (...xs: Tensor[]) => Tensor[] {
  const vg = valueAndGrad(f);
  return (...xs) => vg(...xs).grads;
}

/**
 * Value of `f()` and its gradient with respect to `params` (returned in the same order).
 * This is the training-loop form: `f` closes over a model whose parameters are `requiresGrad` leaves.
 * Gradients are fresh arrays (zeros for parameters `f` does not use).
 * @throws ShapeError if `f` does not return a one-element tensor.
 */
export function variableGrads(f: () => Tensor, params: readonly Tensor[]): { value: number; grads: Tensor[] } {
  checkTensors('variableGrads', 'params', params);
  const tape = openTape(new Set(params));
  try {
    const y = run(tape, f);
    scalarOut('variableGrads', y);
    const gs = backward(tape, y, Float64Array.of(1), params);
    return { value: y.data[0], grads: gs.map((g, i) => new Tensor(g, params[i].shape)) };
  } finally {
    releaseTape(tape);
  }
}

/**
 * Jacobian of a tensor function: $J_{ij} = \partial f(x)_i / \partial x_j$, returned with shape
 * `[...f(x).shape, ...x.shape]`. One forward pass, then one reverse sweep per output element.
 * @example jacobian((x) => ops.mul(x, 3))(Tensor.fromArray([1, 2])).data // [3, 0, 0, 3]
 */
export function jacobian(f: (x: Tensor) => Tensor): (x: Tensor) => Tensor {
  return (x) => {
    checkTensor('jacobian', 'x', x);
    const tape = openTape(new Set([x]));
    try {
      const y = run(tape, () => f(x));
      const m = y.size;
      const n = x.size;
      const J = new Float64Array(m * n);
      const seed = new Float64Array(m);
      for (let i = 0; i < m; i++) {
        seed.fill(0);
        seed[i] = 1;
        const [g] = backward(tape, y, seed.slice(), [x]);
        J.set(g, i * n);
      }
      return new Tensor(J, [...y.shape, ...x.shape]);
    } finally {
      releaseTape(tape);
    }
  };
}
