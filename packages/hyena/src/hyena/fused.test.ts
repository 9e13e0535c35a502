/**
 * The batched training path: the fused Hyena op (short filter + split + recurrence with a hand-written VJP)
 * against the composed core ops and central differences, and both mixers' `forwardBatch` against their
 * per-sequence `forward` (values, gradients, no mixing of the sequences of a batch).
 */
import { createRng, gradcheck, jacobian, noGrad, ops, sampleNormalArray, Tensor, variableGrads } from '@notes/core-linalg';
import { describe, expect, test } from 'vitest';
import { CausalSelfAttention } from './attention.js';
import { causalConv, fusedHyenaMix, fusedShortFilter } from './fused.js';
import { HyenaOperator } from './operator.js';
import { recurrence } from './recurrence.js';

const randn = (seed: number, shape: number[]) => new Tensor(sampleNormalArray(createRng(seed), shape.reduce((a, b) => a * b, 1)), shape);
const maxRel = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let scale = 0;
  let diff = 0;
  for (let i = 0; i < a.length; i++) {
    scale = Math.max(scale, Math.abs(b[i] as number));
    diff = Math.max(diff, Math.abs((a[i] as number) - (b[i] as number)));
  }
  return diff / scale;
};

describe('causal convolutions of the fused op (Toeplitz GEMM and FFT) vs the direct sums', () => {
  test.each([
    ['Toeplitz GEMM', 128],
    ['FFT', 0],
  ])('%s: forward, adjoint in u, adjoint in h; [D, B, L] = [3, 2, 9]', (_name, gemmMax) => {
    const [D, B, L] = [3, 2, 9];
    const u = randn(1, [D * B * L]).data;
    const h = randn(2, [D * L]).data;
    const g = randn(3, [D * B * L]).data;
    const y = new Float64Array(D * B * L);
    const gu = new Float64Array(D * B * L);
    const gh = new Float64Array(D * L);
    for (let d = 0; d < D; d++)
      for (let b = 0; b < B; b++)
        for (let t = 0; t < L; t++)
          for (let s = 0; s <= t; s++) {
            const r = (d * B + b) * L;
            y[r + t] = (y[r + t] as number) + (h[d * L + s] as number) * (u[r + t - s] as number);
            gu[r + t - s] = (gu[r + t - s] as number) + (g[r + t] as number) * (h[d * L + s] as number);
            gh[d * L + s] = (gh[d * L + s] as number) + (g[r + t] as number) * (u[r + t - s] as number);
          }
    expect(maxRel(causalConv.forward(u, h, D, B, L, gemmMax), y)).toBeLessThan(1e-13);
    expect(maxRel(causalConv.input(g, h, D, B, L, gemmMax), gu)).toBeLessThan(1e-13);
    expect(maxRel(causalConv.filter(g, u, D, B, L, gemmMax), gh)).toBeLessThan(1e-13);
  });
});

describe('fusedHyenaMix = short filter + split + recurrence of the composed ops', () => {
  const [B, L, D, N, K] = [3, 7, 4, 2, 3];
  const C = (N + 1) * D;
  const zlin = randn(4, [B * L, C]);
  const taps = randn(5, [C, K]);
  const h = [randn(6, [D, L]), randn(7, [D, L])];
  /** The composed reference: per sequence, the direct short filter by shifted slices, then `recurrence`. */
  const composed = (z: Tensor, w: Tensor, hs: Tensor[]) => {
    const outs: Tensor[] = [];
    for (let b = 0; b < B; b++) {
      const zb = ops.transpose(ops.slice(z, 0, b * L, (b + 1) * L)); // [C, L]
      let y = ops.mul(zb, ops.slice(w, 1, 0, 1));
      for (let k = 1; k < K; k++) y = ops.add(y, ops.mul(ops.concat([Tensor.zeros([C, k]), ops.slice(zb, 1, 0, L - k)], 1), ops.slice(w, 1, k, k + 1)));
      const streams = Array.from({ length: N + 1 }, (_, n) => ops.slice(y, 0, n * D, (n + 1) * D));
      outs.push(ops.transpose(recurrence(streams[0] as Tensor, streams.slice(1), hs, 'test', 'u')));
    }
    return ops.concat(outs, 0); // [B·L, D]
  };
  test.each([
    ['Toeplitz GEMM', 128],
    ['FFT', 0],
  ])('%s: values to 1e-12; gradients of every input vs the composed ops to 1e-11 and vs central differences', (_name, gemmMax) => {
    const fused = (z: Tensor, w: Tensor, h1: Tensor, h2: Tensor) => fusedHyenaMix(z, w, [h1, h2], B, 'test', gemmMax);
    const ref = noGrad(() => composed(zlin, taps, h));
    expect(maxRel(noGrad(() => fused(zlin, taps, h[0] as Tensor, h[1] as Tensor)).data, ref.data)).toBeLessThan(1e-12);
    const r = randn(8, [B * L, D]);
    const inputs = [zlin, taps, h[0] as Tensor, h[1] as Tensor];
    const a = variableGrads(() => ops.sum(ops.mul(fused(zlin, taps, h[0] as Tensor, h[1] as Tensor), r)), inputs).grads;
    const c = variableGrads(() => ops.sum(ops.mul(composed(zlin, taps, h), r)), inputs).grads;
    a.forEach((g, k) => {
      expect(maxRel(g.data, (c[k] as Tensor).data)).toBeLessThan(1e-11);
    });
    const small = [randn(9, [B * L, C]), randn(10, [C, K]), randn(11, [D, L]), randn(12, [D, L])];
    expect(gradcheck((z, w, h1, h2) => fused(z, w, h1, h2), small, { eps: 1e-6, tol: 1e-6 }).maxRelError).toBeLessThan(1e-6);
  });
});

describe('forwardBatch = forward of each sequence; no mixing across the batch; causal', () => {
  const [B, L, D] = [3, 9, 8];
  const mixers = () => [
    ['hyena', new HyenaOperator({ width: D, order: 2, maxLength: 12, seed: 2 })],
    ['attention', new CausalSelfAttention({ width: D, heads: 2, seed: 2 })],
  ] as const;
  test.each(mixers())('%s: values (taped and untaped) and weight gradients to 1e-12', (_name, op) => {
    const u = randn(13, [B * L, D]);
    const per = (f: (x: Tensor) => Tensor) => ops.concat(Array.from({ length: B }, (_, b) => f(ops.slice(u, 0, b * L, (b + 1) * L))), 0);
    const params = op.parameters();
    const r = randn(14, [B * L, D]);
    const one = variableGrads(() => ops.sum(ops.mul(per((x) => op.forward(x)), r)), params);
    const all = variableGrads(() => ops.sum(ops.mul(op.forwardBatch(u, B), r)), params);
    expect(Math.abs(all.value - one.value) / Math.abs(one.value)).toBeLessThan(1e-12);
    all.grads.forEach((g, k) => {
      expect(maxRel(g.data, (one.grads[k] as Tensor).data)).toBeLessThan(1e-11);
    });
    expect(maxRel(noGrad(() => op.forwardBatch(u, B)).data, noGrad(() => per((x) => op.forward(x))).data)).toBeLessThan(1e-12);
    expect(() => op.forwardBatch(u, 2)).toThrow(expect.objectContaining({ code: 'shape' }));
  });

  test.each(mixers())('%s: ∂y_{b,i}/∂u_{b′,j} = 0 unless b = b′ and j ≤ i (autodiff Jacobian)', (_name, op) => {
    const u = randn(15, [2 * 5, D]);
    const J = jacobian((x) => op.forwardBatch(x, 2))(u); // [10, D, 10, D]
    let leak = 0;
    let seen = 0;
    for (let i = 0; i < 10; i++)
      for (let j = 0; j < 10; j++)
        for (let a = 0; a < D; a++)
          for (let c = 0; c < D; c++) {
            const g = Math.abs(J.data[((i * D + a) * 10 + j) * D + c] as number);
            const allowed = Math.floor(i / 5) === Math.floor(j / 5) && j <= i;
            if (allowed) seen = Math.max(seen, g);
            else leak = Math.max(leak, g);
          }
    expect(leak).toBe(0);
    expect(seen).toBeGreaterThan(1e-3);
  });
});

describe('fusedShortFilter (the path for L > 128) = the composed short filter; gradcheck; the operator beyond L = 128', () => {
  test('values to 1e-13 and gradients vs central differences', () => {
    const [B, L, C, K] = [2, 7, 6, 3];
    const zlin = randn(16, [B * L, C]);
    const taps = randn(17, [C, K]);
    const ref = new Float64Array(B * C * L);
    for (let b = 0; b < B; b++)
      for (let c = 0; c < C; c++)
        for (let t = 0; t < L; t++)
          for (let k = 0; k <= Math.min(t, K - 1); k++) ref[(b * C + c) * L + t] = (ref[(b * C + c) * L + t] as number) + (taps.data[c * K + k] as number) * (zlin.data[(b * L + t - k) * C + c] as number);
    expect(maxRel(fusedShortFilter(zlin, taps, B, 'test').data, ref)).toBeLessThan(1e-13);
    expect(gradcheck((z, w) => fusedShortFilter(z, w, B, 'test'), [zlin, taps], { eps: 1e-6, tol: 1e-6 }).maxRelError).toBeLessThan(1e-6);
  });

  test('HyenaOperator.forwardBatch at L = 130 equals forward of each sequence (values and weight gradients)', () => {
    const [B, L, D] = [2, 130, 4];
    const op = new HyenaOperator({ width: D, order: 2, maxLength: 130, seed: 4 });
    const u = randn(18, [B * L, D]);
    const r = randn(19, [B * L, D]);
    const per = () => ops.concat(Array.from({ length: B }, (_, b) => op.forward(ops.slice(u, 0, b * L, (b + 1) * L))), 0);
    const one = variableGrads(() => ops.sum(ops.mul(per(), r)), op.parameters());
    const all = variableGrads(() => ops.sum(ops.mul(op.forwardBatch(u, B), r)), op.parameters());
    expect(Math.abs(all.value - one.value) / Math.abs(one.value)).toBeLessThan(1e-12);
    all.grads.forEach((g, k) => {
      expect(maxRel(g.data, (one.grads[k] as Tensor).data)).toBeLessThan(1e-11);
    });
  });
});
