import { describe, expect, test } from 'vitest';
import { valueAndGrad } from '../grad.js';
import { gradcheck } from '../gradcheck.js';
import { randn, testRng } from '../rand.testutil.js';
import { Tensor } from '../tensor.js';
import * as ops from './index.js';

const TOL = 1e-6;

/** Naive 7-loop NCHW grouped cross-correlation (the notes' formula with stride, padding, groups). */
function naiveConv2d(x: Tensor, w: Tensor, s: [number, number], p: [number, number], groups: number): Float64Array {
  const [N, C, H, W] = x.shape;
  const [O, Cg, KH, KW] = w.shape;
  const Ho = Math.floor((H + 2 * p[0] - KH) / s[0]) + 1;
  const Wo = Math.floor((W + 2 * p[1] - KW) / s[1]) + 1;
  const Og = O / groups;
  const out = new Float64Array(N * O * Ho * Wo);
  for (let n = 0; n < N; n++)
    for (let o = 0; o < O; o++)
      for (let i = 0; i < Ho; i++)
        for (let j = 0; j < Wo; j++) {
          let acc = 0;
          const g = Math.floor(o / Og);
          for (let c = 0; c < Cg; c++)
            for (let m = 0; m < KH; m++)
              for (let k = 0; k < KW; k++) {
                const r = i * s[0] - p[0] + m;
                const q = j * s[1] - p[1] + k;
                if (r >= 0 && r < H && q >= 0 && q < W) acc += x.get(n, g * Cg + c, r, q) * w.get(o, c, m, k);
              }
          out[((n * O + o) * Ho + i) * Wo + j] = acc;
        }
  expect(C).toBe(Cg * groups);
  return out;
}

function maxAbsDiff(a: Float64Array, b: Float64Array): number {
  expect(a.length).toBe(b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

describe('CNN / Convolution: conv2d and conv1d', () => {
  const rng = testRng(41);
  const cases: [string, number[], number[], [number, number], [number, number], number][] = [
    ['standard 3×3', [2, 3, 6, 5], [4, 3, 3, 3], [1, 1], [0, 0], 1],
    ['stride 2, padding 1', [1, 2, 7, 6], [3, 2, 3, 2], [2, 2], [1, 1], 1],
    ['grouped', [2, 4, 5, 5], [6, 2, 3, 3], [1, 2], [1, 0], 2],
    ['rectangular stride/pad', [1, 1, 5, 8], [2, 1, 2, 3], [1, 3], [0, 2], 1],
  ];
  test.each(cases)('%s equals the naive loop and passes gradcheck', (_l, xs, ws, s, p, g) => {
    const x = randn(rng, xs);
    const w = randn(rng, ws);
    const y = ops.conv2d(x, w, { stride: s, padding: p, groups: g });
    expect(maxAbsDiff(y.data, naiveConv2d(x, w, s, p, g))).toBeLessThan(1e-12);
    expect(gradcheck((a, b) => ops.conv2d(a, b, { stride: s, padding: p, groups: g }), [x, w]).maxRelError).toBeLessThan(TOL);
  });

  test('conv1d equals the notes formula Y[n,o,l] = Σ_c Σ_k X[n,c,l+k] W[o,c,k] and passes gradcheck', () => {
    const x = randn(rng, [2, 3, 9]);
    const w = randn(rng, [4, 3, 3]);
    const y = ops.conv1d(x, w);
    expect(y.shape).toEqual([2, 4, 7]);
    for (let n = 0; n < 2; n++)
      for (let o = 0; o < 4; o++)
        for (let l = 0; l < 7; l++) {
          let s = 0;
          for (let c = 0; c < 3; c++) for (let k = 0; k < 3; k++) s += x.get(n, c, l + k) * w.get(o, c, k);
          expect(y.get(n, o, l)).toBeCloseTo(s, 12);
        }
    expect(gradcheck((a, b) => ops.conv1d(a, b, { stride: 2, padding: 1 }), [randn(rng, [1, 2, 8]), randn(rng, [3, 2, 3])]).maxRelError).toBeLessThan(TOL);
  });

  test('mismatched channels name both shapes', () => {
    expect(() => ops.conv2d(Tensor.zeros([1, 3, 5, 5]), Tensor.zeros([2, 2, 3, 3]))).toThrow(/\[1,3,5,5\].*\[2,2,3,3\]/);
    expect(() => ops.conv2d(Tensor.zeros([1, 1, 2, 2]), Tensor.zeros([1, 1, 3, 3]))).toThrow(expect.objectContaining({ code: 'shape' }));
  });
});

describe('CNN / Depthwise Separable Convolution', () => {
  const rng = testRng(42);
  test.each([
    [[2, 3, 6, 6], [3, 1, 3, 3], [1, 1], [1, 1]],
    [[1, 2, 7, 5], [4, 1, 3, 2], [2, 1], [0, 1]], // channel multiplier 2
  ] as [number[], number[], [number, number], [number, number]][])('depthwise %j × %j equals the naive loop and passes gradcheck', (xs, ws, s, p) => {
    const x = randn(rng, xs);
    const w = randn(rng, ws);
    const g = xs[1];
    const y = ops.conv2d(x, w, { stride: s, padding: p, groups: g });
    expect(maxAbsDiff(y.data, naiveConv2d(x, w, s, p, g))).toBeLessThan(1e-12);
    expect(gradcheck((a, b) => ops.conv2d(a, b, { stride: s, padding: p, groups: g }), [x, w]).maxRelError).toBeLessThan(TOL);
  });

  test('pointwise (1×1) equals Y[n,o,h,w] = Σ_c X[n,c,h,w] W[o,c] and the composition passes gradcheck', () => {
    const x = randn(rng, [2, 3, 4, 4]);
    const pw = randn(rng, [5, 3, 1, 1]);
    const y = ops.conv2d(x, pw);
    for (let n = 0; n < 2; n++)
      for (let o = 0; o < 5; o++)
        for (let h = 0; h < 4; h++)
          for (let w = 0; w < 4; w++) {
            let s = 0;
            for (let c = 0; c < 3; c++) s += x.get(n, c, h, w) * pw.get(o, c, 0, 0);
            expect(y.get(n, o, h, w)).toBeCloseTo(s, 12);
          }
    const dw = randn(rng, [3, 1, 3, 3]);
    const sep = (a: Tensor, d: Tensor, q: Tensor) => ops.conv2d(ops.conv2d(a, d, { padding: 1, groups: 3 }), q);
    expect(gradcheck(sep, [randn(rng, [1, 3, 5, 5]), dw, randn(rng, [4, 3, 1, 1])]).maxRelError).toBeLessThan(TOL);
  });
});

describe('CNN / Convolution: pooling', () => {
  const rng = testRng(43);
  function naivePool(x: Tensor, k: number, s: number, kind: 'max' | 'avg'): Float64Array {
    const [N, C, H, W] = x.shape;
    const Ho = Math.floor((H - k) / s) + 1;
    const Wo = Math.floor((W - k) / s) + 1;
    const out = new Float64Array(N * C * Ho * Wo);
    let o = 0;
    for (let n = 0; n < N; n++)
      for (let c = 0; c < C; c++)
        for (let i = 0; i < Ho; i++)
          for (let j = 0; j < Wo; j++) {
            const vals: number[] = [];
            for (let m = 0; m < k; m++) for (let q = 0; q < k; q++) vals.push(x.get(n, c, i * s + m, j * s + q));
            out[o++] = kind === 'max' ? Math.max(...vals) : vals.reduce((a, b) => a + b, 0) / (k * k);
          }
    return out;
  }
  test.each([[2, 2], [3, 1], [3, 2]])('kernel %d stride %d: max and average pooling equal the naive loop; gradcheck', (k, s) => {
    const x = randn(rng, [2, 2, 7, 6]);
    expect(maxAbsDiff(ops.maxPool2d(x, k, { stride: s }).data, naivePool(x, k, s, 'max'))).toBe(0);
    expect(maxAbsDiff(ops.avgPool2d(x, k, { stride: s }).data, naivePool(x, k, s, 'avg'))).toBeLessThan(1e-14);
    expect(gradcheck((a) => ops.maxPool2d(a, k, { stride: s }), [x]).maxRelError).toBeLessThan(TOL);
    expect(gradcheck((a) => ops.avgPool2d(a, k, { stride: s }), [x]).maxRelError).toBeLessThan(TOL);
  });
  test('padded pooling gradcheck', () => {
    const x = randn(rng, [1, 2, 5, 5]);
    expect(gradcheck((a) => ops.maxPool2d(a, 3, { stride: 2, padding: 1 }), [x]).maxRelError).toBeLessThan(TOL);
    expect(gradcheck((a) => ops.avgPool2d(a, 3, { stride: 2, padding: 1 }), [x]).maxRelError).toBeLessThan(TOL);
  });
});

describe('autodiff (support): causal FFT convolution and dropout', () => {
  const rng = testRng(44);
  test.each([
    [[7], [7]],
    [[2, 3, 16], [3, 16]],
    [[3, 10], [4]],
    [[5], [9]],
    // L = 1, K = 1, per-row filters of length 1 and longer than the input, and a filter broadcast over two batch axes
    [[1], [1]],
    [[1], [4]],
    [[4], [1]],
    [[2, 3, 5], [3, 1]],
    [[2, 3, 1], [3, 6]],
    [[2, 2, 3, 7], [3, 7]],
  ] as [number[], number[]][])('fftConv1d u %j h %j equals direct causal convolution; gradcheck', (us, hs) => {
    const u = randn(rng, us);
    const h = randn(rng, hs);
    const y = ops.fftConv1d(u, h);
    const L = us[us.length - 1];
    const K = hs[hs.length - 1];
    const Rh = h.size / K;
    for (let r = 0; r < u.size / L; r++) {
      for (let t = 0; t < L; t++) {
        let s = 0;
        for (let k = 0; k <= Math.min(t, K - 1); k++) s += h.data[(r % Rh) * K + k] * u.data[r * L + t - k];
        expect(Math.abs(y.data[r * L + t] - s)).toBeLessThan(1e-12);
      }
    }
    expect(gradcheck(ops.fftConv1d, [u, h]).maxRelError).toBeLessThan(TOL);
  });
  test('fftConv1d rejects a filter that does not match', () => {
    expect(() => ops.fftConv1d(Tensor.zeros([2, 3, 8]), Tensor.zeros([2, 8]))).toThrow(/\[2,8\].*\[2,3,8\]/);
  });
  test('fftConv1d at L = 200, K = 150 (FFT size 512, shared-filter rows): forward and both VJPs equal the direct sums', () => {
    // Direct adjoints: ū_s = Σ_{t≥s} ȳ_t h_{t−s}, h̄_k = Σ_r Σ_t ȳ_{r,t} u_{r,t−k} (filter row r mod Rh)
    const [L, K, D] = [200, 150, 3];
    const u = randn(rng, [2, D, L]);
    const h = randn(rng, [D, K]);
    const gy = randn(rng, [2, D, L]);
    const { grads } = valueAndGrad((a, b) => ops.sum(ops.mul(ops.fftConv1d(a, b), gy)))(u, h);
    const y = ops.fftConv1d(u, h).data;
    const gu = new Float64Array(u.size);
    const gh = new Float64Array(h.size);
    let errY = 0;
    for (let r = 0; r < 2 * D; r++) {
      const f = (r % D) * K;
      for (let t = 0; t < L; t++) {
        let s = 0;
        for (let k = 0; k <= Math.min(t, K - 1); k++) {
          s += h.data[f + k] * u.data[r * L + t - k];
          gu[r * L + t - k] += gy.data[r * L + t] * h.data[f + k];
          gh[f + k] += gy.data[r * L + t] * u.data[r * L + t - k];
        }
        errY = Math.max(errY, Math.abs(y[r * L + t] - s));
      }
    }
    expect(errY).toBeLessThan(1e-12);
    for (let i = 0; i < gu.length; i++) expect(Math.abs(grads[0].data[i] - gu[i])).toBeLessThan(1e-12);
    for (let i = 0; i < gh.length; i++) expect(Math.abs(grads[1].data[i] - gh[i])).toBeLessThan(1e-11);
  });
  test('fftConv1d keeps no state between calls: other sizes run between a forward and its backward change nothing', () => {
    // each call's spectra live in its own closure; the cached plans/scratch are shared by every size
    const u = randn(rng, [2, 3, 100]);
    const h = randn(rng, [3, 60]);
    const gy = randn(rng, [2, 3, 100]);
    const alone = valueAndGrad((a, b) => ops.sum(ops.mul(ops.fftConv1d(a, b), gy)))(u, h);
    const mixed = valueAndGrad((a, b) => {
      const y = ops.fftConv1d(a, b);
      ops.fftConv1d(randn(rng, [5, 7]), randn(rng, [3]));
      const other = ops.fftConv1d(randn(rng, [1, 1000]), randn(rng, [700]));
      const again = ops.fftConv1d(ops.mul(a, 2), b); // the same inputs again, a second spectrum of h
      return ops.add(ops.sum(ops.mul(y, gy)), ops.mul(ops.add(ops.sum(again), ops.sum(other)), 0));
    })(u, h);
    expect([...mixed.grads[0].data]).toEqual([...alone.grads[0].data]);
    expect([...mixed.grads[1].data]).toEqual([...alone.grads[1].data]);
  });
  test('fftConv1d: NaN/±Infinity in u, h or the incoming gradient, and overflow from finite operands, throw NonFiniteError', () => {
    const ok = Tensor.fromArray([1, 2, 3, 4], [4]);
    const nan = (i: number) => {
      const a = new Float64Array([1, 2, 3, 4]);
      a[i] = Number.NaN;
      return new Tensor(a, [4]);
    };
    const nonFinite = (name: string) => expect.objectContaining({ code: 'non-finite', message: expect.stringContaining(`'${name}'`) });
    expect(() => ops.fftConv1d(nan(2), ok)).toThrow(nonFinite('u'));
    expect(() => ops.fftConv1d(ok, new Tensor(new Float64Array([1, Number.POSITIVE_INFINITY]), [2]))).toThrow(nonFinite('h'));
    const huge = new Tensor(new Float64Array([1e300, -1e300, 1e300, 1e300]), [4]);
    expect(() => ops.fftConv1d(huge, huge)).toThrow(expect.objectContaining({ code: 'non-finite', message: expect.stringContaining('overflowed') }));
    // a NaN cotangent reaching the op's backward pass
    expect(() => valueAndGrad((a) => ops.sum(ops.mul(ops.fftConv1d(a, ok), nan(0))))(ok)).toThrow(nonFinite('gradient'));
  });
  test('fftConv1d with L = 0 returns an empty output and zero gradients', () => {
    const u = Tensor.zeros([2, 0]);
    const h = Tensor.fromArray([1, 2, 3], [3]);
    expect(ops.fftConv1d(u, h).shape).toEqual([2, 0]);
    const { grads } = valueAndGrad((a, b) => ops.sum(ops.fftConv1d(a, b)))(u, h);
    expect([...grads[1].data]).toEqual([0, 0, 0]);
  });
  test('dropout keeps E[y] = x (seeded) and its gradient uses the same mask', () => {
    const x = Tensor.ones([20000]);
    const y = ops.dropout(x, 0.3, testRng(9));
    let s = 0;
    let zeros = 0;
    for (const v of y.data) {
      s += v;
      if (v === 0) zeros++;
    }
    // zero fraction ~ Binomial(20000, 0.3)/20000: sd ≈ 0.0032; allow 5 sd
    expect(Math.abs(zeros / 20000 - 0.3)).toBeLessThan(0.017);
    expect(Math.abs(s / 20000 - 1)).toBeLessThan(0.035);
    const xs = randn(rng, [3, 4]);
    expect(gradcheck((a) => ops.dropout(a, 0.5, testRng(3)), [xs]).maxRelError).toBeLessThan(TOL);
    expect(Array.from(ops.dropout(xs, 0.5, testRng(3), false).data)).toEqual(Array.from(xs.data));
    expect(() => ops.dropout(xs, 1, testRng(3))).toThrow(expect.objectContaining({ code: 'domain' }));
  });
});
