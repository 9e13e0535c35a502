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

describe('autodiff (support): random broadcasting shapes', () => {
  const rng = testRng(13);
  /** A random shape of rank 1–3 (sizes 1–4) and a partner that broadcasts with it: each axis kept, set to 1, or dropped from the left. */
  function randomPair(): [number[], number[]] {
    const rank = 1 + Math.floor(3 * rng.uniform());
    const a = Array.from({ length: rank }, () => 1 + Math.floor(4 * rng.uniform()));
    const drop = Math.floor(rank * rng.uniform());
    const b = a.slice(drop).map((d) => (rng.uniform() < 0.4 ? 1 : d));
    return rng.uniform() < 0.5 ? [a, b] : [b, a];
  }
  const pairs = Array.from({ length: 12 }, randomPair);
  test.each(pairs)('add/sub/mul/div/pow/where gradcheck on %j with %j', (sa, sb) => {
    const fns = [ops.add, ops.sub, ops.mul];
    for (const f of fns) expect(gradcheck(f, [randn(rng, sa), randn(rng, sb)]).maxRelError).toBeLessThan(TOL);
    expect(gradcheck(ops.div, [randn(rng, sa), randn(rng, sb, 0.5)]).maxRelError).toBeLessThan(TOL);
    expect(gradcheck(ops.pow, [randu(rng, sa, 0.5, 2), randu(rng, sb, -1, 2)]).maxRelError).toBeLessThan(TOL);
    // forward values against explicit NumPy index mapping
    const a = randn(rng, sa);
    const b = randn(rng, sb);
    const y = ops.mul(a, b);
    const nd = y.rank;
    const at = (t: Tensor, idx: number[]) => t.get(...idx.slice(nd - t.rank).map((i, k) => (t.shape[k] === 1 ? 0 : i)));
    for (let f = 0; f < y.size; f++) {
      const idx: number[] = [];
      let r = f;
      for (let k = nd - 1; k >= 0; k--) {
        idx.unshift(r % y.shape[k]);
        r = Math.floor(r / y.shape[k]);
      }
      expect(y.data[f]).toBe(at(a, idx) * at(b, idx));
    }
    const cond = new Tensor(Float64Array.from({ length: sa.reduce((p, d) => p * d, 1) }, () => (rng.uniform() < 0.5 ? 1 : 0)), sa);
    expect(gradcheck((x, y) => ops.where(cond, x, y), [randn(rng, sa), randn(rng, sb)]).maxRelError).toBeLessThan(TOL);
  });
});
