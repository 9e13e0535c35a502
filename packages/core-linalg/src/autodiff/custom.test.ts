import { describe, expect, test } from 'vitest';
import { customOp } from './custom.js';
import { grad, variableGrads } from './grad.js';
import { gradcheck } from './gradcheck.js';
import * as ops from './ops/index.js';
import { randn, testRng } from './rand.testutil.js';
import { isRecording, noGrad } from './tape.js';
import { Tensor } from './tensor.js';

/** A fused op: y_i = a_i·b_i + sin(a_i) with its hand-written VJP. */
const fused = (a: Tensor, b: Tensor): Tensor => {
  const y = new Float64Array(a.size);
  for (let i = 0; i < y.length; i++) y[i] = (a.data[i] as number) * (b.data[i] as number) + Math.sin(a.data[i] as number);
  return customOp('mulSin', y, a.shape, [a, b], (g, needs) => [
    needs[0] ? g.map((gi, i) => gi * ((b.data[i] as number) + Math.cos(a.data[i] as number))) : null,
    needs[1] ? g.map((gi, i) => gi * (a.data[i] as number)) : null,
  ]);
};

describe('autodiff customOp: user-defined ops with hand-written VJPs', () => {
  test('values and gradients equal the composed core ops; gradcheck vs central differences', () => {
    const rng = testRng(3);
    const a = randn(rng, [4, 5]);
    const b = randn(rng, [4, 5]);
    const composed = (x: Tensor, y: Tensor) => ops.add(ops.mul(x, y), ops.sin(x));
    expect(Array.from(fused(a, b).data)).toEqual(Array.from(composed(a, b).data));
    const loss = (f: typeof fused) => (x: Tensor, y: Tensor) => ops.sum(ops.square(f(x, y)));
    const [ga, gb] = grad(loss(fused))(a, b);
    const [ca, cb] = grad(loss(composed))(a, b);
    for (let i = 0; i < a.size; i++) {
      expect(ga?.data[i]).toBeCloseTo(ca?.data[i] as number, 12);
      expect(gb?.data[i]).toBeCloseTo(cb?.data[i] as number, 12);
    }
    expect(gradcheck(loss(fused), [a, b]).maxRelError).toBeLessThan(1e-6);
  });

  test('recorded only for watched inputs; a gradient through it accumulates with other uses of the input', () => {
    const w = Tensor.fromArray([0.5, -1, 2], [3], { requiresGrad: true });
    const c = Tensor.fromArray([1, 2, 3]);
    expect(noGrad(() => isRecording([w]))).toBe(false);
    // f = Σ fused(w, c) + Σ w² → ∂f/∂w = c + cos(w) + 2w
    const { grads } = variableGrads(() => ops.add(ops.sum(fused(w, c)), ops.sum(ops.square(w))), [w]);
    [0.5, -1, 2].forEach((v, i) => {
      expect(grads[0]?.data[i]).toBeCloseTo((c.data[i] as number) + Math.cos(v) + 2 * v, 14);
    });
  });

  test('typed errors: bad name, data, shape, vjp; wrong cotangents in the backward pass', () => {
    const x = Tensor.fromArray([1, 2]);
    const ok = (g: Float64Array) => [g.slice()];
    expect(() => customOp('', Float64Array.of(1, 2), [2], [x], ok)).toThrow(expect.objectContaining({ code: 'domain' }));
    expect(() => customOp('f', Float64Array.of(1), [2], [x], ok)).toThrow(expect.objectContaining({ code: 'shape' }));
    expect(() => customOp('f', Float64Array.of(1, Number.NaN), [2], [x], ok)).toThrow(expect.objectContaining({ code: 'non-finite' }));
    expect(() => customOp('f', Float64Array.of(1, 2), [2], [x], 3 as never)).toThrow(expect.objectContaining({ code: 'domain' }));
    expect(() => customOp('f', Float64Array.of(1, 2), [2], [3 as never], ok)).toThrow(expect.objectContaining({ code: 'domain' }));
    const run = (vjp: (g: Float64Array) => (Float64Array | null)[]) => () => grad((a: Tensor) => ops.sum(customOp('f', a.data.slice(), a.shape, [a], vjp)))(x);
    expect(run((g) => [g.slice(), g.slice()])).toThrow(/must return 1 arrays/);
    expect(run(() => [new Float64Array(3)])).toThrow(/2 values/);
    expect(run((g) => [g])).toThrow(/new Float64Array/);
    const y = Tensor.fromArray([3, 4]);
    const shared = () => grad((a: Tensor, b: Tensor) => ops.sum(customOp('f', a.data.slice(), a.shape, [a, b], (g) => { const s = g.slice(); return [s, s]; })))(x, y);
    expect(shared).toThrow(/not shared/);
  });
});
