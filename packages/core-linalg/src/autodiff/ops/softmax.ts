/**
 * Softmax and log-softmax along one axis (default: the last), max-shifted so nothing overflows.
 */
import { DomainError } from '../../errors/index.js';
import { makeOutput } from '../tape.js';
import { shapeStr, type Tensor, checkTensor } from '../tensor.js';

function layout(where: string, shape: readonly number[], axis: number): { outer: number; n: number; inner: number } {
  const nd = shape.length;
  const ax = axis < 0 ? axis + nd : axis;
  if (!Number.isInteger(ax) || ax < 0 || ax >= nd) {
    throw new DomainError(`${where}: axis ${axis} is out of range for shape ${shapeStr(shape)}`);
  }
  let outer = 1;
  let inner = 1;
  for (let i = 0; i < ax; i++) outer *= shape[i];
  for (let i = ax + 1; i < nd; i++) inner *= shape[i];
  return { outer, n: shape[ax], inner };
}

/**
 * Fills `out` along the middle axis of an [outer, n, inner] layout with log-softmax of `a`
 * ($(x - m) - \log\sum e^{x - m}$), or with softmax ($e^{x-m}/\sum e^{x-m}$) when `probs`.
 */
function softmaxInto(a: Float64Array, out: Float64Array, outer: number, n: number, inner: number, probs: boolean): void {
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const base = o * n * inner + j;
      let m = Number.NEGATIVE_INFINITY;
      for (let k = 0; k < n; k++) m = Math.max(m, a[base + k * inner]);
      if (!Number.isFinite(m)) m = 0;
      let s = 0;
      if (probs) {
        // one exp per element: keep e^{x-m} in `out`, then normalise
        for (let k = 0; k < n; k++) {
          const e = Math.exp(a[base + k * inner] - m);
          out[base + k * inner] = e;
          s += e;
        }
        for (let k = 0; k < n; k++) out[base + k * inner] /= s;
      } else {
        for (let k = 0; k < n; k++) s += Math.exp(a[base + k * inner] - m);
        const ls = Math.log(s);
        for (let k = 0; k < n; k++) out[base + k * inner] = a[base + k * inner] - m - ls;
      }
    }
  }
}

/**
 * $\operatorname{softmax}(x)_k = e^{x_k - \operatorname{lse}(x)}$ along `axis`.
 * VJP: $\bar x = y \odot (\bar y - \langle \bar y, y\rangle)$.
 * @throws DomainError for an axis out of range.
 * @example ops.softmax(Tensor.fromArray([0, 0])).data // [0.5, 0.5]
 */
export function softmax(x: Tensor, axis = -1): Tensor {
  checkTensor('softmax', 'x', x);
  const { outer, n, inner } = layout('softmax', x.shape, axis);
  const y = new Float64Array(x.size);
  softmaxInto(x.data, y, outer, n, inner, true);
  return makeOutput('softmax', y, x.shape, [x], (g) => {
    const gx = new Float64Array(y.length);
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < inner; j++) {
        const base = o * n * inner + j;
        let dot = 0;
        for (let k = 0; k < n; k++) dot += g[base + k * inner] * y[base + k * inner];
        for (let k = 0; k < n; k++) gx[base + k * inner] = y[base + k * inner] * (g[base + k * inner] - dot);
      }
    }
    return [gx];
  });
}

/**
 * $\log\operatorname{softmax}(x)_k = x_k - \log\sum_j e^{x_j}$ along `axis`.
 * VJP: $\bar x = \bar y - \operatorname{softmax}(x)\sum_k \bar y_k$.
 * @throws DomainError for an axis out of range.
 */
export function logSoftmax(x: Tensor, axis = -1): Tensor {
  checkTensor('logSoftmax', 'x', x);
  const { outer, n, inner } = layout('logSoftmax', x.shape, axis);
  const y = new Float64Array(x.size);
  softmaxInto(x.data, y, outer, n, inner, false);
  return makeOutput('logSoftmax', y, x.shape, [x], (g) => {
    const gx = new Float64Array(y.length);
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < inner; j++) {
        const base = o * n * inner + j;
        let s = 0;
        for (let k = 0; k < n; k++) s += g[base + k * inner];
        for (let k = 0; k < n; k++) gx[base + k * inner] = g[base + k * inner] - Math.exp(y[base + k * inner]) * s;
      }
    }
    return [gx];
  });
}
