/**
 * Shape ops: reshape, permute/transpose, slice. Their VJPs move the cotangent back to the input
 * layout (inverse permutation, scatter into zeros).
 */
import { DomainError, ShapeError } from '../../errors/index.js';
import { makeOutput } from '../tape.js';
import { shapeStr, sizeOf, stridesOf, type Tensor, checkTensor, checkIntList } from '../tensor.js';

/** @internal normalises a possibly negative axis. */
export function axisOf(where: string, axis: number, rank: number, shape: readonly number[]): number {
  const ax = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(ax) || ax < 0 || ax >= rank) {
    throw new DomainError(`${where}: axis ${axis} is out of range for shape ${shapeStr(shape)}`);
  }
  return ax;
}

/**
 * Same values, new shape (one entry may be −1: inferred). The result shares the input's storage (tensors are
 * values: no op writes into `data`, so this is a view, like `detach`) except for a trainable leaf
 * (`requiresGrad`), whose values optimisers update in place: that one is copied, so the result keeps the
 * values it had when it was made.
 * @throws ShapeError naming both shapes if the sizes differ.
 * @example ops.reshape(Tensor.zeros([2, 3]), [3, -1]).shape // [3, 2]
 */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  checkTensor('reshape', 'x', x);
  checkIntList('reshape', 'shape', shape);
  const s = [...shape];
  const free = s.indexOf(-1);
  if (free >= 0) {
    const rest = sizeOf(s.filter((_, i) => i !== free));
    s[free] = rest === 0 ? 0 : x.size / rest;
  }
  if (s.some((d) => !Number.isInteger(d) || d < 0) || sizeOf(s) !== x.size) {
    throw new ShapeError(`reshape: cannot reshape ${shapeStr(x.shape)} (size ${x.size}) to ${shapeStr(shape)}`);
  }
  return makeOutput('reshape', x.requiresGrad ? x.data.slice() : x.data, s, [x], (g) => [g], 'passthrough');
}

function permuteData(a: Float64Array, shape: readonly number[], perm: readonly number[]): Float64Array {
  const nd = shape.length;
  const out = new Float64Array(a.length);
  if (a.length === 0) return out;
  const xs = stridesOf(shape);
  const outShape = perm.map((p) => shape[p]);
  const ps = perm.map((p) => xs[p]);
  if (nd === 2 && perm[0] === 1) {
    const [r, c] = shape;
    for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[j * r + i] = a[i * c + j];
    return out;
  }
  const idx = new Array<number>(nd).fill(0);
  let off = 0;
  for (let i = 0; i < out.length; i++) {
    out[i] = a[off];
    for (let d = nd - 1; d >= 0; d--) {
      idx[d]++;
      off += ps[d];
      if (idx[d] < outShape[d]) break;
      off -= ps[d] * outShape[d];
      idx[d] = 0;
    }
  }
  return out;
}

/**
 * Reorders axes: output axis k is input axis `perm[k]`. VJP: the inverse permutation.
 * @throws ShapeError if `perm` is not a permutation of 0..rank−1.
 */
export function permute(x: Tensor, perm: readonly number[]): Tensor {
  checkTensor('permute', 'x', x);
  checkIntList('permute', 'perm', perm);
  const nd = x.rank;
  const seen = new Array<boolean>(nd).fill(false);
  let ok = perm.length === nd;
  for (const p of perm) {
    if (!Number.isInteger(p) || p < 0 || p >= nd || seen[p]) ok = false;
    else seen[p] = true;
  }
  if (!ok) throw new ShapeError(`permute: [${perm.join(',')}] is not a permutation of the axes of shape ${shapeStr(x.shape)}`);
  const inv = new Array<number>(nd);
  for (let k = 0; k < nd; k++) inv[perm[k]] = k;
  const outShape = perm.map((p) => x.shape[p]);
  return makeOutput('permute', permuteData(x.data, x.shape, perm), outShape, [x], (g) => [permuteData(g, outShape, inv)]);
}

/**
 * Swaps two axes (default: the last two, i.e. a batched matrix transpose).
 * @throws DomainError for an axis out of range.
 */
export function transpose(x: Tensor, axis0 = -2, axis1 = -1): Tensor {
  checkTensor('transpose', 'x', x);
  const a = axisOf('transpose', axis0, x.rank, x.shape);
  const b = axisOf('transpose', axis1, x.rank, x.shape);
  const perm = x.shape.map((_, i) => i);
  perm[a] = b;
  perm[b] = a;
  return permute(x, perm);
}

/**
 * Elements `start ≤ i < end` along `axis` (negative `start`/`end` count from the end).
 * VJP: scatter $\bar y$ into zeros.
 * @throws DomainError for an out-of-range axis or bounds.
 * @example ops.slice(Tensor.fromArray([1, 2, 3, 4]), 0, 1, 3).data // [2, 3]
 */
export function slice(x: Tensor, axis: number, start: number, end?: number): Tensor {
  checkTensor('slice', 'x', x);
  const ax = axisOf('slice', axis, x.rank, x.shape);
  const n = x.shape[ax];
  const s = start < 0 ? start + n : start;
  const e = end === undefined ? n : end < 0 ? end + n : end;
  if (!Number.isInteger(s) || !Number.isInteger(e) || s < 0 || e > n || s > e) {
    throw new DomainError(`slice: range [${start}, ${end ?? n}) is out of bounds for axis ${axis} of shape ${shapeStr(x.shape)}`);
  }
  let outer = 1;
  let inner = 1;
  for (let i = 0; i < ax; i++) outer *= x.shape[i];
  for (let i = ax + 1; i < x.rank; i++) inner *= x.shape[i];
  const len = (e - s) * inner;
  const out = new Float64Array(outer * len);
  for (let o = 0; o < outer; o++) out.set(x.data.subarray((o * n + s) * inner, (o * n + s) * inner + len), o * len);
  const outShape = x.shape.map((d, i) => (i === ax ? e - s : d));
  return makeOutput('slice', out, outShape, [x], (g) => {
    const gx = new Float64Array(x.size);
    for (let o = 0; o < outer; o++) gx.set(g.subarray(o * len, (o + 1) * len), (o * n + s) * inner);
    return [gx];
  });
}
