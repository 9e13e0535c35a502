/**
 * Broadcasting binary ops and their vector–Jacobian products. Operands broadcast by NumPy rules;
 * each input's cotangent is summed over the axes it was stretched along.
 */
import { Bin, binaryMap, broadcastShapes, expandTo, sumToShape } from '../broadcast.js';
import { makeOutput } from '../tape.js';
import { ShapeError } from '../../errors/index.js';
import { asTensor, shapeStr, type Tensor, type TensorLike, checkTensor, checkIntList } from '../tensor.js';

function neg(g: Float64Array): Float64Array {
  const out = new Float64Array(g.length);
  for (let i = 0; i < g.length; i++) out[i] = -g[i];
  return out;
}

function mulSame(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] * b[i];
  return out;
}

/**
 * $a + b$ with broadcasting. VJP: $\bar a = \textstyle\sum_{\text{bcast}} \bar y$, $\bar b$ likewise.
 * @throws ShapeError naming both shapes if they do not broadcast.
 * @example ops.add(Tensor.fromArray([1, 2]), 1).data // [2, 3]
 */
export function add(a: TensorLike, b: TensorLike): Tensor {
  const x = asTensor(a, 'add', 'a');
  const y = asTensor(b, 'add', 'b');
  const shape = broadcastShapes('add', x.shape, y.shape);
  const data = binaryMap(Bin.Add, x.data, x.shape, y.data, y.shape, shape);
  return makeOutput('add', data, shape, [x, y], (g, needs) => [
    needs[0] ? sumToShape(g, shape, x.shape) : null,
    needs[1] ? sumToShape(g, shape, y.shape) : null,
  ]);
}

/** $a - b$ with broadcasting. VJP: $\bar a = \sum \bar y$, $\bar b = -\sum \bar y$. @throws ShapeError */
export function sub(a: TensorLike, b: TensorLike): Tensor {
  const x = asTensor(a, 'sub', 'a');
  const y = asTensor(b, 'sub', 'b');
  const shape = broadcastShapes('sub', x.shape, y.shape);
  const data = binaryMap(Bin.Sub, x.data, x.shape, y.data, y.shape, shape);
  return makeOutput('sub', data, shape, [x, y], (g, needs) => [
    needs[0] ? sumToShape(g, shape, x.shape) : null,
    needs[1] ? neg(sumToShape(g, shape, y.shape)) : null,
  ]);
}

/** $a \odot b$ with broadcasting. VJP: $\bar a = \sum \bar y\, b$, $\bar b = \sum \bar y\, a$. @throws ShapeError */
export function mul(a: TensorLike, b: TensorLike): Tensor {
  const x = asTensor(a, 'mul', 'a');
  const y = asTensor(b, 'mul', 'b');
  const shape = broadcastShapes('mul', x.shape, y.shape);
  const data = binaryMap(Bin.Mul, x.data, x.shape, y.data, y.shape, shape);
  return makeOutput('mul', data, shape, [x, y], (g, needs) => [
    needs[0] ? sumToShape(binaryMap(Bin.Mul, g, shape, y.data, y.shape, shape), shape, x.shape) : null,
    needs[1] ? sumToShape(binaryMap(Bin.Mul, g, shape, x.data, x.shape, shape), shape, y.shape) : null,
  ]);
}

/** $a / b$ with broadcasting. VJP: $\bar a = \sum \bar y / b$, $\bar b = -\sum \bar y\, a/b^2$. @throws ShapeError */
export function div(a: TensorLike, b: TensorLike): Tensor {
  const x = asTensor(a, 'div', 'a');
  const y = asTensor(b, 'div', 'b');
  const shape = broadcastShapes('div', x.shape, y.shape);
  const data = binaryMap(Bin.Div, x.data, x.shape, y.data, y.shape, shape);
  return makeOutput('div', data, shape, [x, y], (g, needs) => {
    const gOverB = binaryMap(Bin.Div, g, shape, y.data, y.shape, shape);
    return [
      needs[0] ? sumToShape(gOverB, shape, x.shape) : null,
      // ∂(a/b)/∂b = -(a/b)/b, so b̄ = -Σ ȳ·y/b
      needs[1] ? neg(sumToShape(mulSame(gOverB, data), shape, y.shape)) : null,
    ];
  });
}

/**
 * $a^b$ with broadcasting. VJP: $\bar a = \sum \bar y\, b\, a^{b-1}$, $\bar b = \sum \bar y\, a^b \log a$
 * (the $b$ gradient is NaN for negative $a$, where $a^b$ is not differentiable in $b$).
 * @throws ShapeError
 */
export function pow(a: TensorLike, b: TensorLike): Tensor {
  const x = asTensor(a, 'pow', 'a');
  const y = asTensor(b, 'pow', 'b');
  const shape = broadcastShapes('pow', x.shape, y.shape);
  const data = binaryMap(Bin.Pow, x.data, x.shape, y.data, y.shape, shape);
  return makeOutput('pow', data, shape, [x, y], (g, needs) => [
    needs[0] ? sumToShape(mulSame(g, binaryMap(Bin.PowDa, x.data, x.shape, y.data, y.shape, shape)), shape, x.shape) : null,
    needs[1] ? sumToShape(mulSame(g, binaryMap(Bin.PowDb, x.data, x.shape, y.data, y.shape, shape)), shape, y.shape) : null,
  ]);
}

/**
 * Broadcasts `x` to `shape` (a copy). VJP: sum over the stretched axes.
 * @throws ShapeError if `x` does not broadcast to `shape`.
 */
export function broadcastTo(x: Tensor, shape: readonly number[]): Tensor {
  checkTensor('broadcastTo', 'x', x);
  checkIntList('broadcastTo', 'shape', shape);
  const out = broadcastShapes('broadcastTo', x.shape, shape);
  if (out.length !== shape.length || out.some((d, i) => d !== shape[i])) {
    throw new ShapeError(`broadcastTo: shape ${shapeStr(x.shape)} cannot be broadcast to ${shapeStr(shape)}`);
  }
  const s = [...shape];
  return makeOutput('broadcastTo', expandTo(x.data, x.shape, s), s, [x], (g) => [sumToShape(g, s, x.shape)]);
}
