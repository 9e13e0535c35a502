import { describe, expect, test } from 'vitest';
import { gradcheck } from '../gradcheck.js';
import { randn, testRng } from '../rand.testutil.js';
import { Tensor } from '../tensor.js';
import * as ops from './index.js';

const TOL = 1e-6;

describe('autodiff (support): reductions, softmax', () => {
  const rng = testRng(21);
  const axesCases: [number[], number | number[] | undefined, boolean][] = [
    [[3, 4], undefined, false],
    [[3, 4], 0, false],
    [[3, 4], 1, true],
    [[2, 3, 4], [0, 2], false],
    [[2, 1, 4], -2, true],
    [[5], 0, false],
  ];
  const red = { sum: ops.sum, mean: ops.mean, max: ops.max, logSumExp: ops.logSumExp };
  for (const [name, f] of Object.entries(red)) {
    test.each(axesCases)(`${name} gradcheck shape %j axes %j keepDims %s`, (shape, axes, keep) => {
      const r = gradcheck((x) => f(x, axes, keep), [randn(rng, shape)]);
      expect(r.maxRelError).toBeLessThan(TOL);
    });
  }

  test('reduction values against loops', () => {
    const x = Tensor.fromArray([1, 5, 3, 4, 2, 6], [2, 3]);
    expect(Array.from(ops.sum(x, 0).data)).toEqual([5, 7, 9]);
    expect(Array.from(ops.mean(x, 1).data)).toEqual([3, 4]);
    expect(Array.from(ops.max(x, 1).data)).toEqual([5, 6]);
    expect(ops.sum(x, [0, 1], true).shape).toEqual([1, 1]);
    const lse = ops.logSumExp(Tensor.fromArray([1000, 1000])).item();
    expect(lse).toBeCloseTo(1000 + Math.LN2, 10);
  });

  test.each([[[4, 5], -1], [[3, 4, 2], 1], [[6], 0]] as [number[], number][])('softmax / logSoftmax gradcheck %j axis %d', (shape, axis) => {
    expect(gradcheck((x) => ops.softmax(x, axis), [randn(rng, shape)]).maxRelError).toBeLessThan(TOL);
    expect(gradcheck((x) => ops.logSoftmax(x, axis), [randn(rng, shape)]).maxRelError).toBeLessThan(TOL);
  });

  test('softmax sums to one and is shift invariant, without overflow', () => {
    const y = ops.softmax(Tensor.fromArray([1000, 1001, 1002, 0, 1, 2], [2, 3]));
    expect(y.data[0] + y.data[1] + y.data[2]).toBeCloseTo(1, 14);
    for (let i = 0; i < 3; i++) expect(y.data[i]).toBeCloseTo(y.data[i + 3], 14);
    expect(ops.logSoftmax(Tensor.fromArray([0, -1e4])).data[1]).toBeCloseTo(-1e4, 8);
  });

  test('softmax / logSoftmax along a middle axis equal e^x / Σ e^x written out', () => {
    const x = randn(rng, [2, 3, 4]);
    const y = ops.softmax(x, 1);
    const ly = ops.logSoftmax(x, 1);
    for (let o = 0; o < 2; o++) {
      for (let j = 0; j < 4; j++) {
        let s = 0;
        for (let k = 0; k < 3; k++) s += Math.exp(x.get(o, k, j));
        for (let k = 0; k < 3; k++) {
          expect(Math.abs(y.get(o, k, j) - Math.exp(x.get(o, k, j)) / s)).toBeLessThan(1e-15);
          expect(Math.abs(ly.get(o, k, j) - (x.get(o, k, j) - Math.log(s)))).toBeLessThan(1e-14);
        }
      }
    }
  });

  test('max propagates NaN wherever it sits (it used to be dropped unless first)', () => {
    for (const v of [[Number.NaN, 1, 3], [1, Number.NaN, 3], [1, 3, Number.NaN]]) {
      expect(ops.max(new Tensor(Float64Array.from(v), [3])).item()).toBeNaN();
    }
    expect(Array.from(ops.max(new Tensor(Float64Array.of(1, Number.NaN, 2, 5), [2, 2]), 1).data)).toEqual([Number.NaN, 5]);
  });

  test('axis out of range is a domain error', () => {
    expect(() => ops.sum(Tensor.zeros([2]), 3)).toThrow(expect.objectContaining({ code: 'domain' }));
  });
});
