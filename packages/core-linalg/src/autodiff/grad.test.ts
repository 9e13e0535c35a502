import { Matrix } from 'ml-matrix';
import { describe, expect, test } from 'vitest';
import { grad, jacobian, valueAndGrad, variableGrads } from './grad.js';
import { gradcheck } from './gradcheck.js';
import * as ops from './ops/index.js';
import { randn, testRng } from './rand.testutil.js';
import { detach, noGrad, tapeStats, withNanCheck } from './tape.js';
import { Tensor } from './tensor.js';

describe('autodiff (support): tensors and function transformations', () => {
  test('Tensor conversions round-trip and validate', () => {
    const M = new Matrix([[1, 2, 3], [4, 5, 6]]);
    const t = Tensor.fromMatrix(M);
    expect(t.shape).toEqual([2, 3]);
    expect(t.get(1, 2)).toBe(6);
    expect(t.toMatrix().to2DArray()).toEqual(M.to2DArray());
    expect(Tensor.fromMatrix([[1], [2]]).shape).toEqual([2, 1]);
    expect(() => Tensor.fromArray([1, Number.NaN])).toThrow(expect.objectContaining({ code: 'non-finite' }));
    expect(() => Tensor.fromArray([1, 2, 3], [2, 2])).toThrow(expect.objectContaining({ code: 'shape' }));
    const src = [1, 2];
    const u = Tensor.fromArray(src);
    src[0] = 9;
    expect(u.data[0]).toBe(1);
  });

  test('valueAndGrad and grad: closed forms', () => {
    const x = Tensor.fromArray([1, 2, 3]);
    const { value, grads } = valueAndGrad((a) => ops.sum(ops.square(a)))(x);
    expect(value).toBe(14);
    expect(Array.from(grads[0].data)).toEqual([2, 4, 6]);
    // d/dx sum(x * y) = y, d/dy = x
    const y = Tensor.fromArray([4, 5, 6]);
    const [gx, gy] = grad((a, b) => ops.sum(ops.mul(a, b)))(x, y);
    expect(Array.from(gx.data)).toEqual([4, 5, 6]);
    expect(Array.from(gy.data)).toEqual([1, 2, 3]);
    // reuse of one tensor accumulates: d/dx sum(x*x + x) = 2x + 1
    const [g2] = grad((a) => ops.sum(ops.add(ops.mul(a, a), a)))(x);
    expect(Array.from(g2.data)).toEqual([3, 5, 7]);
    // a function that ignores its input has zero gradient
    expect(Array.from(grad(() => ops.sum(y))(x)[0].data)).toEqual([0, 0, 0]);
    expect(() => valueAndGrad((a) => a)(x)).toThrow(/one-element/);
  });

  test('noGrad and detach stop gradients', () => {
    const x = Tensor.fromArray([2]);
    const [g] = grad((a) => ops.mul(a, noGrad(() => ops.mul(a, 3))))(x);
    expect(g.data[0]).toBe(6); // d/da a·const(3a) = 3a
    const [g2] = grad((a) => ops.mul(a, detach(a)))(x);
    expect(g2.data[0]).toBe(2);
  });

  test('variableGrads differentiates parameters a closure uses', () => {
    const w = Tensor.fromArray([1, -1], [2, 1], { requiresGrad: true });
    const b = Tensor.fromArray([0.5], [1], { requiresGrad: true });
    const X = Tensor.fromArray([1, 2, 3, 4], [2, 2]);
    const { value, grads } = variableGrads(() => ops.sum(ops.add(ops.matmul(X, w), b)), [w, b]);
    expect(value).toBe(-2 + 1);
    expect(Array.from(grads[0].data)).toEqual([4, 6]);
    expect(Array.from(grads[1].data)).toEqual([2]);
  });

  test('jacobian of a vector function equals the analytic one', () => {
    const rng = testRng(3);
    const A = randn(rng, [3, 4]);
    const x = randn(rng, [4, 1]);
    const J = jacobian((v) => ops.tanh(ops.matmul(A, v)))(x);
    expect(J.shape).toEqual([3, 1, 4, 1]);
    const y = ops.matmul(A, x).data;
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 4; j++) {
        expect(J.data[i * 4 + j]).toBeCloseTo((1 - Math.tanh(y[i]) ** 2) * A.get(i, j), 14);
      }
    }
  });

  test('gradcheck detects a wrong gradient', () => {
    // Smooth away from 0: passes. At the kink of max(x, −x) = |x| the tape routes the gradient to the
    // first maximum (subgradient 1) while central differences give 0, so gradcheck must fail there.
    const r = gradcheck((x) => ops.sqrt(ops.square(x)), [Tensor.fromArray([0.3, -0.2])]);
    expect(r.ok).toBe(true);
    const bad = gradcheck((x) => ops.sum(ops.max(ops.stack([x, ops.neg(x)]), 0)), [Tensor.fromArray([0])]);
    expect(bad.ok).toBe(false);
  });

  test('gradcheck: explicit undefined eps/tol keep the defaults', () => {
    const x = Tensor.fromArray([0.3, -1]);
    const ref = gradcheck((a) => ops.tanh(a), [x]);
    expect(gradcheck((a) => ops.tanh(a), [x], { eps: undefined, tol: undefined })).toEqual(ref);
  });

  test('NaN check mode names the op, forward and backward', () => {
    const x = Tensor.fromArray([1, -1]);
    expect(() => withNanCheck(() => ops.log(x))).toThrow(/op 'log' produced NaN in the forward pass/);
    expect(() => ops.log(x)).not.toThrow();
    const z = Tensor.fromArray([0, 1]);
    expect(() => withNanCheck(() => grad((a) => ops.sum(ops.sqrt(a)))(z))).toThrow(/op 'sqrt' produced Infinity in the backward pass/);
    expect(() => withNanCheck(() => grad((a) => ops.sum(ops.sqrt(a)))(z))).toThrow(expect.objectContaining({ code: 'non-finite' }));
  });

  test('a 1,000-step loop leaves no tape or node behind', () => {
    const rng = testRng(5);
    const w = randn(rng, [8, 1]);
    const X = randn(rng, [16, 8]);
    const before = tapeStats();
    for (let i = 0; i < 1000; i++) {
      const { grads } = variableGrads(() => ops.mean(ops.square(ops.matmul(X, w))), [w]);
      for (let j = 0; j < w.size; j++) w.data[j] -= 0.01 * grads[0].data[j];
    }
    expect(before).toEqual({ openTapes: 0, liveNodes: 0 });
    expect(tapeStats()).toEqual({ openTapes: 0, liveNodes: 0 });
    // a throwing function also releases its tape
    expect(() => variableGrads(() => ops.reshape(w, [3]), [w])).toThrow();
    expect(tapeStats()).toEqual({ openTapes: 0, liveNodes: 0 });
  });

  test('a parameter listed twice gets two independent gradient arrays (in-place clipping scales each once)', () => {
    // regression: the tape hands out the gradient array an op allocated (no defensive copy); a tensor listed twice
    // in params must not get that one array twice, or clipGradNorm / an optimizer writing grads in place acts twice
    const rng = testRng(9);
    const w = randn(rng, [3, 4]);
    const x = randn(rng, [2, 3]);
    const f = () => ops.sum(ops.linear(x, w, null, 'tanh'));
    const once = variableGrads(f, [w]).grads[0].data;
    const { grads } = variableGrads(f, [w, w]);
    expect(grads[0].data).not.toBe(grads[1].data);
    expect(Array.from(grads[0].data)).toEqual(Array.from(once));
    expect(Array.from(grads[1].data)).toEqual(Array.from(once));
    grads[0].data.fill(0);
    expect(Array.from(grads[1].data)).toEqual(Array.from(once));
    // the same through grad with one tensor passed as two arguments
    const [ga, gb] = valueAndGrad((a, b) => ops.sum(ops.tanh(ops.mul(a, b))))(x, x).grads;
    expect(ga.data).not.toBe(gb.data);
  });
});
