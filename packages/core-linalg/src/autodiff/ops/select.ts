/**
 * Combining and indexing ops: concat, stack, indexSelect, gather, where.
 */
import { DomainError, ShapeError, describeValue } from '../../errors/index.js';
import { broadcastShapes, expandTo, sumToShape } from '../broadcast.js';
import { makeOutput } from '../tape.js';
import { asTensor, shapeStr, type Tensor, type TensorLike, checkTensor, checkTensors } from '../tensor.js';
import { axisOf, reshape } from './shape.js';

function split(shape: readonly number[], ax: number): { outer: number; inner: number } {
  let outer = 1;
  let inner = 1;
  for (let i = 0; i < ax; i++) outer *= shape[i];
  for (let i = ax + 1; i < shape.length; i++) inner *= shape[i];
  return { outer, inner };
}

/**
 * Joins tensors along an existing axis; all other axes must agree. VJP: slices of $\bar y$.
 * @throws ShapeError naming the first mismatching pair of shapes.
 * @example ops.concat([Tensor.zeros([2, 1]), Tensor.ones([2, 2])], 1).shape // [2, 3]
 */
export function concat(xs: readonly Tensor[], axis = 0): Tensor {
  checkTensors('concat', 'xs', xs);
  if (xs.length === 0) throw new ShapeError('concat: argument \'xs\' must hold at least one tensor, got 0');
  const first = xs[0];
  const ax = axisOf('concat', axis, first.rank, first.shape);
  let total = 0;
  for (const x of xs) {
    if (x.rank !== first.rank || x.shape.some((d, i) => i !== ax && d !== first.shape[i])) {
      throw new ShapeError(`concat: shapes ${shapeStr(first.shape)} and ${shapeStr(x.shape)} differ off axis ${axis}`);
    }
    total += x.shape[ax];
  }
  const { outer, inner } = split(first.shape, ax);
  const out = new Float64Array(outer * total * inner);
  const outShape = first.shape.map((d, i) => (i === ax ? total : d));
  let off = 0;
  const offsets: number[] = [];
  for (const x of xs) {
    const len = x.shape[ax] * inner;
    for (let o = 0; o < outer; o++) out.set(x.data.subarray(o * len, (o + 1) * len), o * total * inner + off);
    offsets.push(off);
    off += len;
  }
  return makeOutput('concat', out, outShape, xs, (g, needs) =>
    xs.map((x, k) => {
      if (!needs[k]) return null;
      const len = x.shape[ax] * inner;
      const gx = new Float64Array(x.size);
      for (let o = 0; o < outer; o++) gx.set(g.subarray(o * total * inner + offsets[k], o * total * inner + offsets[k] + len), o * len);
      return gx;
    }),
  );
}

/**
 * Stacks equal-shaped tensors along a new axis.
 * @throws ShapeError naming both shapes when two inputs differ.
 */
export function stack(xs: readonly Tensor[], axis = 0): Tensor {
  checkTensors('stack', 'xs', xs);
  if (xs.length === 0) throw new ShapeError('stack: argument \'xs\' must hold at least one tensor, got 0');
  const s = xs[0].shape;
  for (const x of xs) {
    if (x.rank !== s.length || x.shape.some((d, i) => d !== s[i])) throw new ShapeError(`stack: shapes ${shapeStr(s)} and ${shapeStr(x.shape)} differ`);
  }
  const ax = axis < 0 ? axis + s.length + 1 : axis;
  if (!Number.isInteger(ax) || ax < 0 || ax > s.length) throw new DomainError(`stack: axis ${axis} is out of range for rank ${s.length + 1}`);
  const expanded = [...s.slice(0, ax), 1, ...s.slice(ax)];
  return concat(
    xs.map((x) => reshape(x, expanded)),
    ax,
  );
}

function checkIndices(where: string, indices: ArrayLike<number>, n: number): void {
  if (!Array.isArray(indices) && !(ArrayBuffer.isView(indices) && !(indices instanceof DataView))) {
    throw new DomainError(`${where}: argument 'indices' must be an array of integers, got ${describeValue(indices)}`);
  }
  for (let i = 0; i < indices.length; i++) {
    const v = indices[i];
    if (!Number.isInteger(v) || v < 0 || v >= n) throw new DomainError(`${where}: index ${v} at position ${i} is out of range [0, ${n})`);
  }
}

/**
 * Selects entries `indices` along `axis` (repeats allowed): $y_{\dots k \dots} = x_{\dots\, \text{idx}_k \dots}$.
 * VJP: scatter-add $\bar y$ into the selected rows (embedding lookups use axis 0).
 * @throws DomainError for an out-of-range index or axis.
 */
export function indexSelect(x: Tensor, axis: number, indices: ArrayLike<number>): Tensor {
  checkTensor('indexSelect', 'x', x);
  const ax = axisOf('indexSelect', axis, x.rank, x.shape);
  const n = x.shape[ax];
  checkIndices('indexSelect', indices, n);
  const { outer, inner } = split(x.shape, ax);
  const m = indices.length;
  const idx = Int32Array.from(indices);
  const out = new Float64Array(outer * m * inner);
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < m; k++) out.set(x.data.subarray((o * n + idx[k]) * inner, (o * n + idx[k] + 1) * inner), (o * m + k) * inner);
  }
  const outShape = x.shape.map((d, i) => (i === ax ? m : d));
  return makeOutput('indexSelect', out, outShape, [x], (g) => {
    const gx = new Float64Array(x.size);
    for (let o = 0; o < outer; o++) {
      for (let k = 0; k < m; k++) {
        const src = (o * m + k) * inner;
        const dst = (o * n + idx[k]) * inner;
        for (let j = 0; j < inner; j++) gx[dst + j] += g[src + j];
      }
    }
    return [gx];
  });
}

/**
 * Picks one entry along `axis` for every other position: output shape is `x.shape` without `axis`,
 * $y_{o,j} = x_{o,\,\text{idx}_{o,j},\,j}$ (e.g. the log-probability of each row's target class).
 * VJP: scatter $\bar y$ back to the picked entries.
 * @throws ShapeError if `indices.length` differs from the output size; DomainError for bad indices.
 */
export function gather(x: Tensor, axis: number, indices: ArrayLike<number>): Tensor {
  checkTensor('gather', 'x', x);
  const ax = axisOf('gather', axis, x.rank, x.shape);
  const n = x.shape[ax];
  const { outer, inner } = split(x.shape, ax);
  checkIndices('gather', indices, n);
  if (indices.length !== outer * inner) {
    throw new ShapeError(`gather: argument 'indices' must have length ${outer * inner} (shape ${shapeStr(x.shape)} without axis ${axis}), got ${indices.length}`);
  }
  checkIndices('gather', indices, n);
  const pos = new Int32Array(outer * inner);
  for (let o = 0; o < outer; o++) for (let j = 0; j < inner; j++) pos[o * inner + j] = (o * n + indices[o * inner + j]) * inner + j;
  const out = new Float64Array(pos.length);
  for (let i = 0; i < pos.length; i++) out[i] = x.data[pos[i]];
  const outShape = x.shape.filter((_, i) => i !== ax);
  return makeOutput('gather', out, outShape, [x], (g) => {
    const gx = new Float64Array(x.size);
    for (let i = 0; i < pos.length; i++) gx[pos[i]] += g[i];
    return [gx];
  });
}

/**
 * $y = \text{cond} \;?\; a : b$ elementwise, all three broadcast together (`cond` nonzero = true; it is
 * not differentiated). VJP: $\bar a = \sum [\text{cond}]\,\bar y$, $\bar b = \sum [\lnot\text{cond}]\,\bar y$,
 * so a NaN gradient in the unselected branch never leaks.
 * @throws ShapeError naming the shapes if they do not broadcast.
 */
export function where(cond: Tensor, a: TensorLike, b: TensorLike): Tensor {
  checkTensor('where', 'cond', cond);
  const x = asTensor(a, 'where', 'a');
  const y = asTensor(b, 'where', 'b');
  const shape = broadcastShapes('where', broadcastShapes('where', cond.shape, x.shape), y.shape);
  const c = expandTo(cond.data, cond.shape, shape);
  const xa = expandTo(x.data, x.shape, shape);
  const yb = expandTo(y.data, y.shape, shape);
  const out = new Float64Array(c.length);
  for (let i = 0; i < c.length; i++) out[i] = c[i] !== 0 ? xa[i] : yb[i];
  return makeOutput('where', out, shape, [x, y], (g, needs) => {
    const ga = needs[0] ? new Float64Array(g.length) : null;
    const gb = needs[1] ? new Float64Array(g.length) : null;
    for (let i = 0; i < g.length; i++) {
      if (c[i] !== 0) {
        if (ga) ga[i] = g[i];
      } else if (gb) gb[i] = g[i];
    }
    return [ga && sumToShape(ga, shape, x.shape), gb && sumToShape(gb, shape, y.shape)];
  });
}
