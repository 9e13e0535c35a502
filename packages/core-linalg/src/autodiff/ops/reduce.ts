/**
 * Reductions over axes: sum, mean, max, logSumExp. `axes` may be one axis, a list, or omitted (all);
 * negative axes count from the end. With `keepDims` the reduced axes stay as size 1.
 */
import { DomainError } from '../../errors/index.js';
import { expandTo, reduceIndex, reduceSum } from '../broadcast.js';
import { makeOutput } from '../tape.js';
import { shapeStr, sizeOf, type Tensor, checkTensor, checkIntList } from '../tensor.js';

/** Axes argument of the reductions. */
export type Axes = number | readonly number[] | undefined;

/** @internal resolves `axes` to the kept shape (1 on reduced axes) and the output shape. */
export function resolveAxes(where: string, shape: readonly number[], axes: Axes, keepDims: boolean): { keep: number[]; out: number[]; count: number } {
  const nd = shape.length;
  if (axes !== undefined && typeof axes !== 'number') checkIntList(where, 'axes', axes);
  const list = axes === undefined ? shape.map((_, i) => i) : typeof axes === 'number' ? [axes] : axes;
  const reduced = new Array<boolean>(nd).fill(false);
  for (const a of list) {
    const ax = a < 0 ? a + nd : a;
    if (!Number.isInteger(ax) || ax < 0 || ax >= nd) {
      throw new DomainError(`${where}: axis ${a} is out of range for shape ${shapeStr(shape)}`);
    }
    reduced[ax] = true;
  }
  const keep = shape.map((d, i) => (reduced[i] ? 1 : d));
  const out = keepDims ? keep : shape.filter((_, i) => !reduced[i]);
  let count = 1;
  for (let i = 0; i < nd; i++) if (reduced[i]) count *= shape[i];
  return { keep, out, count };
}

/**
 * $\sum$ over `axes` (all by default). VJP: broadcast $\bar y$ back over the reduced axes.
 * @throws DomainError for an axis out of range.
 * @example ops.sum(Tensor.fromArray([1, 2, 3, 4], [2, 2]), 0).data // [4, 6]
 */
export function sum(x: Tensor, axes?: Axes, keepDims = false): Tensor {
  checkTensor('sum', 'x', x);
  const { keep, out } = resolveAxes('sum', x.shape, axes, keepDims);
  const data = reduceSum(x.data, x.shape, keep);
  return makeOutput('sum', data, out, [x], (g) => [expandTo(g, keep, x.shape)]);
}

/** Mean over `axes` (all by default): $\frac1{|A|}\sum_A x$. @throws DomainError */
export function mean(x: Tensor, axes?: Axes, keepDims = false): Tensor {
  checkTensor('mean', 'x', x);
  const { keep, out, count } = resolveAxes('mean', x.shape, axes, keepDims);
  const data = reduceSum(x.data, x.shape, keep);
  const inv = 1 / count;
  for (let i = 0; i < data.length; i++) data[i] *= inv;
  return makeOutput('mean', data, out, [x], (g) => {
    const gx = expandTo(g, keep, x.shape);
    for (let i = 0; i < gx.length; i++) gx[i] *= inv;
    return [gx];
  });
}

/**
 * Maximum over `axes`; NaN if any reduced element is NaN (as `Math.max`). VJP routes $\bar y$ to the
 * first position attaining the maximum (a subgradient where there are ties), or to the first NaN.
 * @throws DomainError for an axis out of range or an empty reduction.
 */
export function max(x: Tensor, axes?: Axes, keepDims = false): Tensor {
  checkTensor('max', 'x', x);
  const { keep, out, count } = resolveAxes('max', x.shape, axes, keepDims);
  if (count === 0) throw new DomainError(`max: cannot reduce an empty axis of shape ${shapeStr(x.shape)}`);
  const m = sizeOf(keep);
  const best = new Float64Array(m).fill(Number.NEGATIVE_INFINITY);
  const arg = new Int32Array(m).fill(-1);
  const map = reduceIndex(x.shape, keep);
  const a = x.data;
  for (let i = 0; i < a.length; i++) {
    const o = map[i];
    // the first NaN is taken and sticks (no later value compares greater than NaN)
    if (a[i] > best[o] || arg[o] < 0 || (Number.isNaN(a[i]) && !Number.isNaN(best[o]))) {
      best[o] = a[i];
      arg[o] = i;
    }
  }
  return makeOutput('max', best, out, [x], (g) => {
    const gx = new Float64Array(a.length);
    for (let o = 0; o < m; o++) gx[arg[o]] += g[o];
    return [gx];
  });
}

/**
 * $\log\sum_A e^{x}$ over `axes`, computed as $m + \log\sum e^{x - m}$ with $m = \max x$ (no overflow).
 * VJP: $\bar x = \bar y\,\operatorname{softmax}(x)$.
 * @throws DomainError for an axis out of range.
 */
export function logSumExp(x: Tensor, axes?: Axes, keepDims = false): Tensor {
  checkTensor('logSumExp', 'x', x);
  const { keep, out } = resolveAxes('logSumExp', x.shape, axes, keepDims);
  const m = sizeOf(keep);
  const map = reduceIndex(x.shape, keep);
  const a = x.data;
  const mx = new Float64Array(m).fill(Number.NEGATIVE_INFINITY);
  for (let i = 0; i < a.length; i++) if (a[i] > mx[map[i]]) mx[map[i]] = a[i];
  for (let o = 0; o < m; o++) if (!Number.isFinite(mx[o])) mx[o] = 0;
  const e = new Float64Array(a.length);
  const s = new Float64Array(m);
  for (let i = 0; i < a.length; i++) {
    e[i] = Math.exp(a[i] - mx[map[i]]);
    s[map[i]] += e[i];
  }
  const y = new Float64Array(m);
  for (let o = 0; o < m; o++) y[o] = mx[o] + Math.log(s[o]);
  return makeOutput('logSumExp', y, out, [x], (g) => {
    const gx = new Float64Array(a.length);
    for (let i = 0; i < a.length; i++) gx[i] = (g[map[i]] * e[i]) / s[map[i]];
    return [gx];
  });
}
