import { describe, expect, test } from 'vitest';
import { gradcheck } from '../gradcheck.js';
import { randn, randu, testRng } from '../rand.testutil.js';
import { Tensor } from '../tensor.js';
import * as ops from './index.js';

const TOL = 1e-6;

describe('autodiff (support): broadcasting binary ops', () => {
  const rng = testRng(11);
  const cases: [string, number[], number[]][] = [
    ['same shape', [3, 4], [3, 4]],
    ['row vector', [5, 3], [3]],
    ['column (size-1 axis)', [4, 3], [4, 1]],
    ['scalar', [2, 3], []],
    ['both stretched', [3, 1, 2], [1, 4, 1]],
    ['size-1 everywhere', [1, 1], [1]],
  ];
  const binOps = { add: ops.add, sub: ops.sub, mul: ops.mul, div: ops.div };
  for (const [name, f] of Object.entries(binOps)) {
    test.each(cases)(`${name} gradcheck: %s`, (_label, sa, sb) => {
      const a = randn(rng, sa);
      const b = name === 'div' ? randn(rng, sb, 0.5) : randn(rng, sb);
      const r = gradcheck(f, [a, b]);
      expect(r.maxRelError).toBeLessThan(TOL);
    });
  }
  test.each(cases)('pow gradcheck (positive base): %s', (_l, sa, sb) => {
    const r = gradcheck(ops.pow, [randu(rng, sa, 0.5, 2), randu(rng, sb, -1.5, 2.5)]);
    expect(r.maxRelError).toBeLessThan(TOL);
  });

  test('values follow NumPy broadcasting', () => {
    const a = Tensor.fromArray([1, 2, 3, 4, 5, 6], [2, 3]);
    const b = Tensor.fromArray([10, 20], [2, 1]);
    expect(Array.from(ops.add(a, b).data)).toEqual([11, 12, 13, 24, 25, 26]);
    expect(Array.from(ops.sub(a, 1).data)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(Array.from(ops.div(6, Tensor.fromArray([1, 2, 3])).data)).toEqual([6, 3, 2]);
    expect(ops.pow(Tensor.fromArray([2]), 10).data[0]).toBe(1024);
  });

  test('mismatched shapes name both shapes', () => {
    const a = Tensor.zeros([2, 3]);
    const b = Tensor.zeros([4]);
    expect(() => ops.add(a, b)).toThrow(/\[2,3\] and \[4\]/);
    expect(() => ops.mul(a, b)).toThrow(expect.objectContaining({ code: 'shape' }));
  });
});

describe('autodiff (support): unary ops', () => {
  const rng = testRng(12);
  const shapes = [[7], [2, 3], [1, 1, 4]];
  const smooth = { neg: ops.neg, exp: ops.exp, square: ops.square, tanh: ops.tanh, sigmoid: ops.sigmoid, softplus: ops.softplus, sin: ops.sin, cos: ops.cos };
  for (const [name, f] of Object.entries(smooth)) {
    test.each(shapes)(`${name} gradcheck on shape %j`, (...shape) => {
      expect(gradcheck(f, [randn(rng, shape)]).maxRelError).toBeLessThan(TOL);
    });
  }
  const kinked = { abs: ops.abs, relu: ops.relu };
  for (const [name, f] of Object.entries(kinked)) {
    test(`${name} gradcheck away from the kink`, () => {
      expect(gradcheck(f, [randn(rng, [3, 5], 0.1)]).maxRelError).toBeLessThan(TOL);
    });
  }
  const positive = { log: ops.log, sqrt: ops.sqrt, log1p: ops.log1p };
  for (const [name, f] of Object.entries(positive)) {
    test(`${name} gradcheck on positive inputs`, () => {
      expect(gradcheck(f, [randu(rng, [4, 3], 0.2, 3)]).maxRelError).toBeLessThan(TOL);
    });
  }
  test('closed forms', () => {
    const x = Tensor.fromArray([-800, -1, 0, 1, 800]);
    const sp = ops.softplus(x).data;
    expect(sp[0]).toBe(0);
    expect(sp[4]).toBe(800);
    expect(sp[2]).toBeCloseTo(Math.LN2, 15);
    const s = ops.sigmoid(x).data;
    expect(s[0]).toBe(0);
    expect(s[4]).toBe(1);
    expect(s[3]).toBeCloseTo(1 / (1 + Math.exp(-1)), 15);
    expect(Array.from(ops.relu(x).data)).toEqual([0, 0, 0, 1, 800]);
  });
});
