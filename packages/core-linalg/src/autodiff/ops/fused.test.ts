import { describe, expect, test } from 'vitest';
import { gradcheck } from '../gradcheck.js';
import { jacobian, valueAndGrad, variableGrads } from '../grad.js';
import { randn, randu, testRng } from '../rand.testutil.js';
import { Tensor } from '../tensor.js';
import * as ops from './index.js';

const TOL = 1e-6;

function maxAbsDiff(a: Float64Array, b: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe('autodiff (support): fused ops (linear, bernoulliLogLikelihood, diagGaussianKL)', () => {
  const rng = testRng(31);

  test.each([
    ['rank 2 with bias', [5, 3], true],
    ['rank 3 with bias', [2, 4, 3], true],
    ['rank 2 without bias', [6, 3], false],
  ] as const)('linear %s: equals matmul + bias; gradcheck on x, W, b', (_l, xShape, withBias) => {
    const x = randn(rng, xShape);
    const w = randn(rng, [3, 4]);
    const b = randn(rng, [4]);
    const fused = withBias ? ops.linear(x, w, b) : ops.linear(x, w);
    const chain = withBias ? ops.add(ops.matmul(x, w), b) : ops.matmul(x, w);
    expect(fused.shape).toEqual(chain.shape);
    expect(maxAbsDiff(fused.data, chain.data)).toBeLessThan(1e-14);
    const r = withBias ? gradcheck((xi, wi, bi) => ops.linear(xi, wi, bi), [x, w, b]) : gradcheck((xi, wi) => ops.linear(xi, wi), [x, w]);
    expect(r.maxRelError).toBeLessThan(TOL);
  });

  test('linear rejects misaligned shapes naming them', () => {
    expect(() => ops.linear(Tensor.zeros([2, 3]), Tensor.zeros([4, 2]))).toThrow(/\[2,3\] and \[4,2\]/);
    expect(() => ops.linear(Tensor.zeros([2, 3]), Tensor.zeros([3, 2]), Tensor.zeros([3]))).toThrow(expect.objectContaining({ code: 'shape' }));
  });

  test('bernoulliLogLikelihood equals Σ x·ℓ − softplus(ℓ), also at |ℓ| = 800 (no overflow)', () => {
    const x = randu(rng, [3, 5], 0, 1);
    const l = randn(rng, [3, 5]);
    const chain = ops.sum(ops.sub(ops.mul(x, l), ops.softplus(l)), -1);
    expect(maxAbsDiff(ops.bernoulliLogLikelihood(x, l).data, chain.data)).toBeLessThan(1e-13);
    // x = 1, ℓ = 800: log σ(800) = −e^{−800} ≈ 0; x = 0, ℓ = 800: −800; x = 1, ℓ = −800: −800
    const big = ops.bernoulliLogLikelihood(Tensor.fromArray([1, 0, 1]), Tensor.fromArray([800, 800, -800]));
    expect(big.data[0]).toBeCloseTo(-1600, 10);
  });

  test.each([
    ['same shape', [3, 6], [3, 6]],
    ['target repeated over a leading axis', [4, 3, 6], [3, 6]],
    ['rank 1', [7], [7]],
  ] as const)('bernoulliLogLikelihood gradcheck (%s), logits and target', (_l, ls, ts) => {
    const l = randn(rng, ls);
    const x = randu(rng, ts, 0, 1);
    const r = gradcheck((xi, li) => ops.bernoulliLogLikelihood(xi, li), [x, l]);
    expect(r.maxRelError).toBeLessThan(TOL);
    // the broadcast version equals the chain on an explicitly broadcast target
    const chain = ops.sum(ops.sub(ops.mul(ops.broadcastTo(x, ls), l), ops.softplus(l)), -1);
    expect(maxAbsDiff(ops.bernoulliLogLikelihood(x, l).data, chain.data)).toBeLessThan(1e-13);
  });

  test('bernoulliLogLikelihood rejects a target that is not a trailing part of the logits', () => {
    expect(() => ops.bernoulliLogLikelihood(Tensor.zeros([4, 3]), Tensor.zeros([3, 4]))).toThrow(/\[4,3\].*\[3,4\]/);
  });

  test('diagGaussianKL equals ½Σ(μ² + e^v − 1 − v), is 0 at N(0, I), gradcheck', () => {
    const m = randn(rng, [4, 3]);
    const v = randn(rng, [4, 3]);
    const chain = ops.mul(0.5, ops.sum(ops.sub(ops.add(ops.square(m), ops.exp(v)), ops.add(v, 1)), -1));
    expect(maxAbsDiff(ops.diagGaussianKL(m, v).data, chain.data)).toBeLessThan(1e-13);
    expect(Array.from(ops.diagGaussianKL(Tensor.zeros([2, 3]), Tensor.zeros([2, 3])).data)).toEqual([0, 0]);
    expect(gradcheck((a, b) => ops.diagGaussianKL(a, b), [m, v]).maxRelError).toBeLessThan(TOL);
    expect(() => ops.diagGaussianKL(Tensor.zeros([2, 3]), Tensor.zeros([3, 2]))).toThrow(expect.objectContaining({ code: 'shape' }));
  });

  test('fused softplus/tanh/sigmoid/exp/square backward passes match the composed derivative formulas', () => {
    const x = randn(rng, [50], 0);
    x.data[0] = 40;
    x.data[1] = -40;
    for (const [f, d] of [
      [ops.softplus, (v: number) => 1 / (1 + Math.exp(-v))],
      [ops.tanh, (v: number) => 1 - Math.tanh(v) ** 2],
      [ops.sigmoid, (v: number) => Math.exp(-v) / (1 + Math.exp(-v)) ** 2],
      [ops.exp, (v: number) => Math.exp(v)],
      [ops.square, (v: number) => 2 * v],
    ] as const) {
      const { grads } = variableGrads(() => ops.sum(f(x)), [x]);
      for (let i = 0; i < x.size; i++) expect(grads[0].data[i]).toBeCloseTo(d(x.data[i]), 12);
    }
  });
  test.each(['tanh', 'sigmoid', 'relu', 'identity'] as const)('linear with fused %s: bit-identical to the composed ops (values and gradients); gradcheck', (act) => {
    const x = randn(rng, [2, 5, 3]);
    const w = randn(rng, [3, 4]);
    const b = randn(rng, [4]);
    const compose = (xi: Tensor, wi: Tensor, bi: Tensor) => {
      const z = ops.linear(xi, wi, bi);
      return act === 'identity' ? z : act === 'tanh' ? ops.tanh(z) : act === 'sigmoid' ? ops.sigmoid(z) : ops.relu(z);
    };
    // a weighted sum so that every entry's cotangent differs; a second use of the output makes the tape accumulate
    const c = randn(rng, [2, 5, 4]);
    const loss = (f: (xi: Tensor, wi: Tensor, bi: Tensor) => Tensor) => (xi: Tensor, wi: Tensor, bi: Tensor) => {
      const y = f(xi, wi, bi);
      return ops.add(ops.sum(ops.mul(c, y)), ops.sum(ops.square(y)));
    };
    const fused = valueAndGrad(loss((xi, wi, bi) => ops.linear(xi, wi, bi, act)))(x, w, b);
    const chain = valueAndGrad(loss(compose))(x, w, b);
    expect(Array.from(ops.linear(x, w, b, act).data)).toEqual(Array.from(compose(x, w, b).data));
    expect(fused.value).toBe(chain.value);
    for (let i = 0; i < 3; i++) expect(Array.from(fused.grads[i].data)).toEqual(Array.from(chain.grads[i].data));
    if (act !== 'relu') expect(gradcheck((xi, wi, bi) => ops.linear(xi, wi, bi, act), [x, w, b]).maxRelError).toBeLessThan(TOL);
    expect(() => ops.linear(x, w, b, 'softmax' as never)).toThrow(expect.objectContaining({ code: 'domain' }));
  });

  test('linear + fused tanh under reshape and bernoulliLogLikelihood (in-place backward passes): gradients equal central differences', () => {
    const x = randu(rng, [3, 5], 0, 1);
    const w1 = randn(rng, [2, 4]);
    const w2 = randn(rng, [4, 5]);
    const z = randn(rng, [2, 3, 2]);
    const f = (a: Tensor, b: Tensor) => ops.sum(ops.bernoulliLogLikelihood(x, ops.reshape(ops.linear(ops.linear(ops.reshape(z, [6, 2]), a, null, 'tanh'), b), [2, 3, 5])));
    expect(gradcheck(f, [w1, w2]).maxRelError).toBeLessThan(TOL);
  });

  test('bernoulliLogLikelihood swept twice by jacobian (its saved σ is reused in place once, then recomputed): rows equal central differences', () => {
    const x = randu(rng, [3, 4], 0, 1);
    const l = randn(rng, [3, 4]);
    const J = jacobian((li) => ops.bernoulliLogLikelihood(x, li))(l);
    for (let r = 0; r < 3; r++) {
      for (let j = 0; j < 12; j++) {
        const expected = Math.floor(j / 4) === r ? x.data[j] - 1 / (1 + Math.exp(-l.data[j])) : 0;
        expect(J.data[r * 12 + j]).toBeCloseTo(expected, 13);
      }
    }
  });

  test('owned gradients: parameter gradients are distinct arrays, equal across repeated calls, and a reshape of a parameter is a copy', () => {
    const w = Tensor.fromArray(Array.from(randn(rng, [3, 4]).data), [3, 4], { requiresGrad: true });
    const x = randn(rng, [5, 3]);
    const f = () => ops.sum(ops.square(ops.linear(x, w, null, 'tanh')));
    const a = variableGrads(f, [w]).grads[0];
    const b = variableGrads(f, [w]).grads[0];
    expect(a.data).not.toBe(b.data);
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    const r = ops.reshape(w, [12]);
    expect(r.data).not.toBe(w.data);
    const y = ops.tanh(x);
    expect(ops.reshape(y, [15]).data).toBe(y.data); // a non-parameter is a view
  });
});
