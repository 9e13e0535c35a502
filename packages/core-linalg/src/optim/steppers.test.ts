import { describe, expect, test } from 'vitest';
import { createAdam, createSgd } from './steppers.js';

describe('support: Adam and SGD steppers', () => {
  test('Adam first step moves every coordinate by lr·sign(g) (bias correction, Kingma & Ba 2015)', () => {
    const p = new Float64Array([1, -2, 3]);
    createAdam({ lr: 0.1, eps: 1e-300 }).step(p, [0.5, -4, 1e-3]);
    expect(p[0]).toBeCloseTo(0.9, 14);
    expect(p[1]).toBeCloseTo(-1.9, 14);
    expect(p[2]).toBeCloseTo(2.9, 14);
  });

  test('Adam second step matches the hand-computed recursion', () => {
    const p = new Float64Array([0]);
    const opt = createAdam({ lr: 0.01 });
    opt.step(p, [1]);
    opt.step(p, [3]);
    const m = 0.9 * 0.1 * 1 + 0.1 * 3;
    const v = 0.999 * 0.001 * 1 + 0.001 * 9;
    const want = -0.01 / (1 + 1e-8) - (0.01 * (m / (1 - 0.81))) / (Math.sqrt(v / (1 - 0.999 ** 2)) + 1e-8);
    expect(p[0]).toBeCloseTo(want, 14);
  });

  test('Adam minimises a quadratic', () => {
    const p = new Float64Array([5, -3]);
    const opt = createAdam({ lr: 0.05 });
    for (let t = 0; t < 3000; t++) opt.step(p, [2 * (p[0]! - 1), 2 * (p[1]! + 2)]);
    expect(p[0]).toBeCloseTo(1, 3);
    expect(p[1]).toBeCloseTo(-2, 3);
  });

  test('SGD with momentum follows b = μb + g, θ −= ηb', () => {
    const p = new Float64Array([1]);
    const opt = createSgd({ lr: 0.1, momentum: 0.5 });
    opt.step(p, [2]); // b = 2, θ = 0.8
    opt.step(p, [2]); // b = 3, θ = 0.5
    expect(p[0]).toBeCloseTo(0.5, 15);
    opt.reset();
    opt.step(p, [1]); // b = 1, θ = 0.4
    expect(p[0]).toBeCloseTo(0.4, 15);
  });

  test('plain SGD converges on a quadratic at the rate (1 − 2η)ᵗ', () => {
    const p = new Float64Array([1]);
    const opt = createSgd({ lr: 0.1 });
    for (let t = 0; t < 10; t++) opt.step(p, [2 * p[0]!]);
    expect(p[0]).toBeCloseTo(0.8 ** 10, 14);
  });

  test('bad input → typed errors, grad untouched', () => {
    expect(() => createAdam({ lr: -1 })).toThrow(expect.objectContaining({ code: 'domain' }));
    expect(() => createAdam({ beta1: 1 })).toThrow(expect.objectContaining({ code: 'domain' }));
    expect(() => createSgd({ momentum: 1 })).toThrow(expect.objectContaining({ code: 'domain' }));
    expect(() => createSgd({ lr: Number.NaN })).toThrow(expect.objectContaining({ code: 'non-finite' }));
    const opt = createAdam();
    const g = [1, 2];
    expect(() => opt.step(new Float64Array(3), g)).toThrow(expect.objectContaining({ code: 'shape' }));
    expect(() => opt.step(new Float64Array(2), [1, Number.NaN])).toThrow(expect.objectContaining({ code: 'non-finite' }));
    opt.step(new Float64Array(2), g);
    expect(g).toEqual([1, 2]);
    expect(() => opt.step(new Float64Array(3), [1, 2, 3])).toThrow(expect.objectContaining({ code: 'shape' }));
  });

  test('explicit undefined options keep the defaults (same steps as omitting them)', () => {
    const run = (opt: ReturnType<typeof createAdam>): Float64Array => {
      const p = new Float64Array([1, -2]);
      opt.step(p, [0.3, -0.7]);
      opt.step(p, [0.1, 0.2]);
      return p;
    };
    expect(run(createAdam({ lr: 0.1, beta1: undefined, beta2: undefined, eps: undefined }))).toEqual(run(createAdam({ lr: 0.1 })));
    expect(run(createSgd({ lr: 0.1, momentum: undefined }))).toEqual(run(createSgd({ lr: 0.1 })));
  });
});
