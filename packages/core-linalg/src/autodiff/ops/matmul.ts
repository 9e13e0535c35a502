/**
 * Matrix product of tensors on core's one GEMM (`linalg`'s packed WebAssembly SIMD kernel), batched over a leading axis.
 */
import { ShapeError, checkMemory, DEFAULT_MAX_MEMORY_BYTES } from '../../errors/index.js';
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
  });
}

/**
 * The affine map $y = xW + b$ of a dense layer as one op: `x` [m, in] or [B, m, in], `w` [in, out],
 * optional `b` [out]. The product runs on the same kernel as {@link matmul} over all B·m rows and the
 * bias is added in place (no broadcast temporary). VJP: $\bar x = \bar y W^\top$, $\bar W = x^\top \bar y$,
 * $\bar b = \sum_{\text{rows}} \bar y$, each computed only when needed.
 * @throws ShapeError naming the shapes if `x`'s last axis is not `in` or `b` is not [out].
 * @example ops.linear(Tensor.fromArray([1, 2], [1, 2]), Tensor.fromArray([3, 4], [2, 1]), Tensor.fromArray([1])).data // [12]
 */
export function linear(x: Tensor, w: Tensor, b?: Tensor | null): Tensor {
  checkTensor('linear', 'x', x);
  checkTensor('linear', 'w', w);
  if (b !== undefined && b !== null) checkTensor('linear', 'b', b);
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
  const rows = x.size / k;
  const outShape = [...x.shape.slice(0, -1), n];
  if (8 * rows * n > DEFAULT_MAX_MEMORY_BYTES) checkMemory('linear', `the ${shapeStr(outShape)} product`, 8 * rows * n);
  const out = new Float64Array(rows * n);
  gemm(x.data, w.data, rows, k, n, out);
  if (bias !== null) {
    const bd = bias.data;
    for (let r = 0; r < rows; r++) {
      const o = r * n;
      for (let j = 0; j < n; j++) out[o + j] += bd[j];
    }
  }
  const inputs = bias === null ? [x, w] : [x, w, bias];
  return makeOutput('linear', out, outShape, inputs, (g, needs) => {
    const gx = needs[0] ? gemmTransB(g, w.data, rows, n, k, new Float64Array(rows * k)) : null;
    const gw = needs[1] ? gemmTransA(x.data, g, k, rows, n, new Float64Array(k * n)) : null;
    let gb: Float64Array | null = null;
    if (bias !== null && needs[2]) {
      gb = new Float64Array(n);
      for (let r = 0; r < rows; r++) {
        const o = r * n;
        for (let j = 0; j < n; j++) gb[j] += g[o + j];
      }
    }
    return bias === null ? [gx, gw] : [gx, gw, gb];
  });
}
