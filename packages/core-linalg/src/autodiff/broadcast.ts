/**
 * Broadcasting kernels (NumPy rules: align shapes on the right; an axis of size 1 stretches) and the
 * reductions that undo them in backward passes ($\bar a = \sum_{\text{broadcast axes}} \bar y$).
 */
import { ShapeError } from '../errors/index.js';
import { shapeStr, sizeOf, stridesOf } from './tensor.js';

/**
 * Result shape of broadcasting `a` with `b`.
 * @throws ShapeError naming both shapes when an axis differs and neither is 1.
 */
export function broadcastShapes(where: string, a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = i < n - a.length ? 1 : a[i - (n - a.length)];
    const db = i < n - b.length ? 1 : b[i - (n - b.length)];
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError(`${where}: shapes ${shapeStr(a)} and ${shapeStr(b)} cannot be broadcast together (axis ${i}: ${da} vs ${db})`);
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Strides of `shape` read as if broadcast to `outShape` (0 on stretched or missing axes). */
export function broadcastStrides(shape: readonly number[], outShape: readonly number[]): number[] {
  const n = outShape.length;
  const own = stridesOf(shape);
  const s = new Array<number>(n).fill(0);
  for (let i = 0; i < shape.length; i++) {
    const j = i + n - shape.length;
    s[j] = shape[i] === 1 && outShape[j] !== 1 ? 0 : own[i];
  }
  return s;
}

/** Elementwise binary kernels. */
export const Bin = {
  Add: 0,
  Sub: 1,
  Mul: 2,
  Div: 3,
  Pow: 4,
  /** $b\,a^{b-1}$ (∂ aᵇ/∂a) */
  PowDa: 5,
  /** $a^b \log a$ (∂ aᵇ/∂b; 0 where a = 0 and b > 0) */
  PowDb: 6,
  /** copy of a (b ignored) */
  CopyA: 7,
} as const;
/** One of {@link Bin}. */
export type Bin = (typeof Bin)[keyof typeof Bin];

function inner(code: Bin, a: Float64Array, ao: number, as: number, b: Float64Array, bo: number, bs: number, out: Float64Array, o: number, n: number): void {
  switch (code) {
    case Bin.Add:
      for (let i = 0; i < n; i++) out[o + i] = a[ao + i * as] + b[bo + i * bs];
      break;
    case Bin.Sub:
      for (let i = 0; i < n; i++) out[o + i] = a[ao + i * as] - b[bo + i * bs];
      break;
    case Bin.Mul:
      for (let i = 0; i < n; i++) out[o + i] = a[ao + i * as] * b[bo + i * bs];
      break;
    case Bin.Div:
      for (let i = 0; i < n; i++) out[o + i] = a[ao + i * as] / b[bo + i * bs];
      break;
    case Bin.Pow:
      for (let i = 0; i < n; i++) out[o + i] = a[ao + i * as] ** b[bo + i * bs];
      break;
    case Bin.PowDa:
      for (let i = 0; i < n; i++) {
        const y = b[bo + i * bs];
        out[o + i] = y === 0 ? 0 : y * a[ao + i * as] ** (y - 1);
      }
      break;
    case Bin.PowDb:
      for (let i = 0; i < n; i++) {
        const x = a[ao + i * as];
        const y = b[bo + i * bs];
        out[o + i] = x === 0 && y > 0 ? 0 : x ** y * Math.log(x);
      }
      break;
    case Bin.CopyA:
      for (let i = 0; i < n; i++) out[o + i] = a[ao + i * as];
      break;
  }
}

/**
 * `out[i] = a[i'] ∘ b[i'']` over `outShape`, with `a` and `b` broadcast to it.
 * Callers have checked that the shapes broadcast to `outShape`.
 */
export function binaryMap(
  code: Bin,
  a: Float64Array,
  aShape: readonly number[],
  b: Float64Array,
  bShape: readonly number[],
  outShape: readonly number[],
): Float64Array {
  const size = sizeOf(outShape);
  const out = new Float64Array(size);
  if (size === 0) return out;
  if (a.length === size && b.length === size) {
    inner(code, a, 0, 1, b, 0, 1, out, 0, size);
    return out;
  }
  if (a.length === size && b.length === 1) {
    inner(code, a, 0, 1, b, 0, 0, out, 0, size);
    return out;
  }
  if (a.length === 1 && b.length === size) {
    inner(code, a, 0, 0, b, 0, 1, out, 0, size);
    return out;
  }
  // Merge adjacent axes that both operands traverse contiguously (or both skip), so the inner loop is long:
  // e.g. [N,C,H,W] + [C,1,1] runs as [N,C,H·W] + [C,1].
  const dims: number[] = [outShape[0]];
  const sa0 = broadcastStrides(aShape, outShape);
  const sb0 = broadcastStrides(bShape, outShape);
  const sa: number[] = [sa0[0]];
  const sb: number[] = [sb0[0]];
  for (let d = 1; d < outShape.length; d++) {
    const k = dims.length - 1;
    if (sa[k] === sa0[d] * outShape[d] && sb[k] === sb0[d] * outShape[d]) {
      dims[k] *= outShape[d];
      sa[k] = sa0[d];
      sb[k] = sb0[d];
    } else {
      dims.push(outShape[d]);
      sa.push(sa0[d]);
      sb.push(sb0[d]);
    }
  }
  const nd = dims.length;
  const n = dims[nd - 1];
  const outer = size / n;
  const idx = new Array<number>(nd).fill(0);
  let ao = 0;
  let bo = 0;
  for (let r = 0; r < outer; r++) {
    inner(code, a, ao, sa[nd - 1], b, bo, sb[nd - 1], out, r * n, n);
    for (let d = nd - 2; d >= 0; d--) {
      idx[d]++;
      ao += sa[d];
      bo += sb[d];
      if (idx[d] < dims[d]) break;
      ao -= sa[d] * dims[d];
      bo -= sb[d] * dims[d];
      idx[d] = 0;
    }
  }
  return out;
}

/** Copies `a` broadcast to `outShape`. */
export function expandTo(a: Float64Array, aShape: readonly number[], outShape: readonly number[]): Float64Array {
  return binaryMap(Bin.CopyA, a, aShape, a, aShape, outShape);
}

/**
 * For each element of `shape`, the flat index of its slot in the reduced shape `keepShape`
 * (same rank, 1 on reduced axes).
 */
export function reduceIndex(shape: readonly number[], keepShape: readonly number[]): Int32Array {
  const size = sizeOf(shape);
  const map = new Int32Array(size);
  const nd = shape.length;
  if (size === 0 || nd === 0) return map;
  const s = broadcastStrides(keepShape, shape);
  const idx = new Array<number>(nd).fill(0);
  let o = 0;
  for (let i = 0; i < size; i++) {
    map[i] = o;
    for (let d = nd - 1; d >= 0; d--) {
      idx[d]++;
      o += s[d];
      if (idx[d] < shape[d]) break;
      o -= s[d] * shape[d];
      idx[d] = 0;
    }
  }
  return map;
}

/** Sums `g` (of `shape`) over the axes where `keepShape` (same rank) has 1. */
export function reduceSum(g: Float64Array, shape: readonly number[], keepShape: readonly number[]): Float64Array {
  const outSize = sizeOf(keepShape);
  const out = new Float64Array(outSize);
  if (outSize === 1) {
    let s = 0;
    for (let i = 0; i < g.length; i++) s += g[i];
    out[0] = s;
    return out;
  }
  const nd = shape.length;
  // Fast path: only leading axes reduced (bias gradients): add rows of length outSize.
  let leadingOnly = true;
  let tail = 1;
  for (let d = nd - 1; d >= 0 && tail < outSize; d--) {
    if (keepShape[d] !== shape[d]) leadingOnly = false;
    tail *= shape[d];
  }
  if (leadingOnly && tail === outSize) {
    for (let r = 0; r < g.length; r += outSize) for (let j = 0; j < outSize; j++) out[j] += g[r + j];
    return out;
  }
  // General case: merge adjacent axes the output traverses contiguously (or skips together), then add
  // each input row of the innermost merged axis into its output slot(s).
  const s0 = broadcastStrides(keepShape, shape);
  const dims: number[] = [shape[0]];
  const os: number[] = [s0[0]];
  for (let d = 1; d < nd; d++) {
    const k = dims.length - 1;
    if (os[k] === s0[d] * shape[d]) {
      dims[k] *= shape[d];
      os[k] = s0[d];
    } else {
      dims.push(shape[d]);
      os.push(s0[d]);
    }
  }
  const m = dims.length;
  const n = dims[m - 1];
  const step = os[m - 1];
  const idx = new Array<number>(m).fill(0);
  let o = 0;
  for (let i = 0; i < g.length; i += n) {
    if (step === 0) {
      let acc = 0;
      for (let j = 0; j < n; j++) acc += g[i + j];
      out[o] += acc;
    } else {
      for (let j = 0; j < n; j++) out[o + j * step] += g[i + j];
    }
    for (let d = m - 2; d >= 0; d--) {
      idx[d]++;
      o += os[d];
      if (idx[d] < dims[d]) break;
      o -= os[d] * dims[d];
      idx[d] = 0;
    }
  }
  return out;
}

/** Reduces a cotangent of the broadcast shape `outShape` back to an operand's `shape`. */
export function sumToShape(g: Float64Array, outShape: readonly number[], shape: readonly number[]): Float64Array {
  if (sizeOf(shape) === g.length) return g;
  const nd = outShape.length;
  const keep = new Array<number>(nd).fill(1);
  for (let i = 0; i < shape.length; i++) keep[i + nd - shape.length] = shape[i];
  return reduceSum(g, outShape, keep);
}
