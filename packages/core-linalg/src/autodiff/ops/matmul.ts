/**
 * Matrix product of tensors on core's one GEMM (`linalg`'s packed WebAssembly SIMD kernel), batched over a leading axis.
 */
import { DomainError, ShapeError, checkMemory, describeValue, DEFAULT_MAX_MEMORY_BYTES } from '../../errors/index.js';
import { gemm as gemmRaw } from '../../linalg/gemm.js';
import { matmul as gemm, matmulTransA as gemmTransA, matmulTransB as gemmTransB } from '../../linalg/matmul.js';
import { makeOutput } from '../tape.js';
import { shapeStr, type Tensor, checkTensor } from '../tensor.js';

/**
 * $C = AB$ for `a` [m,k] or [B,m,k] and `b` [k,n] or [B,k,n] (a rank-2 operand is shared across the
 * batch). VJP: $\bar A = \bar C B^\top$, $\bar B = A^\top \bar C$ (summed over the batch for a shared B),
 * each computed only when needed.
 * @throws ShapeError naming both shapes if the inner dimensions or batch sizes differ.
 * @example ops.matmul(Tensor.fromArray([1, 2], [1, 2]), Tensor.fromArray([3, 4], [2, 1])).data // [11]
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  checkTensor('matmul', 'a', a);
  checkTensor('matmul', 'b', b);
  const ra = a.rank;
  const rb = b.rank;
  if (ra < 2 || ra > 3 || rb < 2 || rb > 3) {
    throw new ShapeError(`matmul: operands must have rank 2 or 3, got shapes ${shapeStr(a.shape)} and ${shapeStr(b.shape)}`);
  }
  const m = a.shape[ra - 2];
  const k = a.shape[ra - 1];
  const k2 = b.shape[rb - 2];
  const n = b.shape[rb - 1];
  const batchA = ra === 3 ? a.shape[0] : 1;
  const batchB = rb === 3 ? b.shape[0] : 1;
  if (k !== k2) {
    throw new ShapeError(`matmul: shapes ${shapeStr(a.shape)} and ${shapeStr(b.shape)} are not aligned (inner ${k} vs ${k2})`);
  }
  if (ra === 3 && rb === 3 && batchA !== batchB) {
    throw new ShapeError(`matmul: shapes ${shapeStr(a.shape)} and ${shapeStr(b.shape)} are not aligned (batch ${batchA} vs ${batchB})`);
  }
  const batch = Math.max(batchA, batchB);
  const outShape = ra === 3 || rb === 3 ? [batch, m, n] : [m, n];
  if (8 * batch * m * n > DEFAULT_MAX_MEMORY_BYTES) checkMemory('matmul', `the ${shapeStr(outShape)} product`, 8 * batch * m * n);
  const out = new Float64Array(batch * m * n);
  if (rb === 2) {
    // [B·m, k] × [k, n] in one call.
    gemm(a.data, b.data, batch * m, k, n, out);
  } else {
    for (let t = 0; t < batch; t++) {
      const A = ra === 3 ? a.data.subarray(t * m * k, (t + 1) * m * k) : a.data;
      gemm(A, b.data.subarray(t * k * n, (t + 1) * k * n), m, k, n, out.subarray(t * m * n, (t + 1) * m * n));
    }
  }
  return makeOutput('matmul', out, outShape, [a, b], (g, needs) => {
    let ga: Float64Array | null = null;
    let gb: Float64Array | null = null;
    if (rb === 2) {
      if (needs[0]) ga = gemmTransB(g, b.data, batch * m, n, k, new Float64Array(batch * m * k));
      if (needs[1]) gb = gemmTransA(a.data, g, k, batch * m, n, new Float64Array(k * n));
      return [ga, gb];
    }
    if (needs[0]) ga = new Float64Array(a.size);
    if (needs[1]) gb = new Float64Array(b.size);
    for (let t = 0; t < batch; t++) {
      const G = g.subarray(t * m * n, (t + 1) * m * n);
      const A = ra === 3 ? a.data.subarray(t * m * k, (t + 1) * m * k) : a.data;
      const B = b.data.subarray(t * k * n, (t + 1) * k * n);
      if (ga) {
        const part = gemmTransB(G, B, m, n, k, new Float64Array(m * k));
        const base = ra === 3 ? t * m * k : 0;
        for (let i = 0; i < part.length; i++) ga[base + i] += part[i];
      }
      if (gb) gemmTransA(A, G, k, m, n, gb.subarray(t * k * n, (t + 1) * k * n));
    }
    return [ga, gb];
  }, true);
}

/** Activations {@link linear} can apply in the same op (each has a derivative written in terms of its output). */
export type LinearActivation = 'identity' | 'tanh' | 'sigmoid' | 'relu';

const LINEAR_ACTIVATIONS: readonly LinearActivation[] = ['identity', 'tanh', 'sigmoid', 'relu'];

/**
 * The affine map $y = a(xW + b)$ of a dense layer as one op: `x` [m, in] or [B, m, in], `w` [in, out],
 * optional `b` [out], optional activation $a$ (`'identity'` by default; `'tanh'`, `'sigmoid'`, `'relu'`).
 * The product runs on the same kernel as {@link matmul} over all B·m rows, straight into the output; bias and
 * activation are applied in one pass over it (the same values as `ops.tanh(ops.linear(x, w, b))`, bit for bit,
 * with one op, one array and one pass fewer). VJP with $ar z = ar y \odot a'(z)$ (from the output:
 * $1 - y^2$, $y(1 - y)$, $[y > 0]$): $ar x = ar z W^	op$, $ar W = x^	op ar z$,
 * $ar b = \sum_{	ext{rows}} ar z$, each computed only when needed.
 * @throws ShapeError naming the shapes if `x`'s last axis is not `in` or `b` is not [out].
 * @throws DomainError for an unknown activation.
 * @example ops.linear(Tensor.fromArray([1, 2], [1, 2]), Tensor.fromArray([3, 4], [2, 1]), Tensor.fromArray([1])).data // [12]
 */
export function linear(x: Tensor, w: Tensor, b?: Tensor | null, activation: LinearActivation = 'identity'): Tensor {
  checkTensor('linear', 'x', x);
  checkTensor('linear', 'w', w);
  if (b !== undefined && b !== null) checkTensor('linear', 'b', b);
  if (!LINEAR_ACTIVATIONS.includes(activation)) {
    throw new DomainError(`linear: argument 'activation' must be one of ${LINEAR_ACTIVATIONS.join(', ')}, got ${describeValue(activation)}`);
  }
  const rx = x.rank;
  if (rx < 2 || rx > 3 || w.rank !== 2) {
    throw new ShapeError(`linear: x must have rank 2 or 3 and w rank 2, got shapes ${shapeStr(x.shape)} and ${shapeStr(w.shape)}`);
  }
  const k = x.shape[rx - 1];
  const n = w.shape[1];
  if (w.shape[0] !== k) {
    throw new ShapeError(`linear: shapes ${shapeStr(x.shape)} and ${shapeStr(w.shape)} are not aligned (inner ${k} vs ${w.shape[0]})`);
  }
  const bias = b ?? null;
  if (bias !== null && (bias.rank !== 1 || bias.shape[0] !== n)) {
    throw new ShapeError(`linear: bias ${shapeStr(bias.shape)} must be [${n}] for weight ${shapeStr(w.shape)}`);
  }
  let rows = 1;
  for (let i = 0; i < rx - 1; i++) rows *= x.shape[i];
  const outShape = [...x.shape.slice(0, -1), n];
  if (8 * rows * n > DEFAULT_MAX_MEMORY_BYTES) checkMemory('linear', `the ${shapeStr(outShape)} product`, 8 * rows * n);
  // a fresh array: the kernel writes the product into it directly (β = 0: no copy of its zeros into the kernel's memory)
  const out = new Float64Array(rows * n);
  if (rows > 0 && n > 0 && k > 0) gemmRaw(rows, n, k, x.data, k, false, w.data, n, false, out, n, 0);
  applyBiasActivation(out, rows, n, bias === null ? null : bias.data, activation);
  const inputs = bias === null ? [x, w] : [x, w, bias];
  return makeOutput(
    'linear',
    out,
    outShape,
    inputs,
    (g, needs, gOwned) => {
      // z̄ = ȳ ⊙ a'(z), from the saved output (in place when the tape hands ȳ over); identity uses ȳ itself (read-only below)
      const gz = activation === 'identity' ? g : activationGrad(g, out, activation, gOwned ? g : new Float64Array(out.length));
      let gx: Float64Array | null = null;
      let gw: Float64Array | null = null;
      if (needs[0]) {
        gx = new Float64Array(rows * k);
        if (rows > 0 && n > 0 && k > 0) gemmRaw(rows, k, n, gz, n, false, w.data, n, true, gx, k, 0);
      }
      if (needs[1]) {
        gw = new Float64Array(k * n);
        if (rows > 0 && n > 0 && k > 0) gemmRaw(k, n, rows, x.data, k, true, gz, n, false, gw, n, 0);
      }
      let gb: Float64Array | null = null;
      if (bias !== null && needs[2]) {
        gb = new Float64Array(n);
        for (let r = 0; r < rows; r++) {
          const o = r * n;
          for (let j = 0; j < n; j++) gb[j] += gz[o + j];
        }
      }
      return bias === null ? [gx, gw] : [gx, gw, gb];
    },
    true,
  );
}

/** out ← a(out + b) row by row, in place (b may be null). */
function applyBiasActivation(out: Float64Array, rows: number, n: number, bd: Float64Array | null, activation: LinearActivation): void {
  if (bd !== null) {
    for (let r = 0; r < rows; r++) {
      const o = r * n;
      for (let j = 0; j < n; j++) out[o + j] += bd[j];
    }
  }
  const len = rows * n;
  if (activation === 'tanh') {
    for (let i = 0; i < len; i++) out[i] = Math.tanh(out[i]);
  } else if (activation === 'sigmoid') {
    for (let i = 0; i < len; i++) {
      const v = out[i];
      if (v >= 0) out[i] = 1 / (1 + Math.exp(-v));
      else {
        const e = Math.exp(v);
        out[i] = e / (1 + e);
      }
    }
  } else if (activation === 'relu') {
    for (let i = 0; i < len; i++) out[i] = Math.max(out[i], 0);
  }
}

/**
 * gz ← ȳ ⊙ a'(z) with a' written in terms of the output y (the formulas of the `tanh`, `sigmoid`, `relu` ops);
 * `gz` is a zero array or `g` itself (each entry is read before it is written).
 */
function activationGrad(g: Float64Array, y: Float64Array, activation: LinearActivation, gz: Float64Array): Float64Array {
  const n = y.length;
  if (activation === 'tanh') {
    for (let i = 0; i < n; i++) {
      const t = y[i];
      gz[i] = g[i] * (1 - t * t);
    }
  } else if (activation === 'sigmoid') {
    for (let i = 0; i < n; i++) gz[i] = g[i] * y[i] * (1 - y[i]);
  } else {
    for (let i = 0; i < n; i++) gz[i] = y[i] > 0 ? g[i] : 0;
  }
  return gz;
}
