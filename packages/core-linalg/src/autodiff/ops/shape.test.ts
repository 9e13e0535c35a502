import { describe, expect, test } from 'vitest';
import { gradcheck } from '../gradcheck.js';
import { randn, testRng } from '../rand.testutil.js';
import { Tensor } from '../tensor.js';
import * as ops from './index.js';

const TOL = 1e-6;

describe('autodiff (support): shape and indexing ops', () => {
  const rng = testRng(31);
  test('reshape, permute, transpose gradcheck and values', () => {
    expect(gradcheck((x) => ops.reshape(x, [3, -1]), [randn(rng, [2, 3, 2])]).maxRelError).toBeLessThan(TOL);
    expect(gradcheck((x) => ops.permute(x, [2, 0, 1]), [randn(rng, [2, 3, 4])]).maxRelError).toBeLessThan(TOL);
    expect(gradcheck((x) => ops.transpose(x), [randn(rng, [3, 5])]).maxRelError).toBeLessThan(TOL);
    const x = Tensor.fromArray([0, 1, 2, 3, 4, 5], [1, 2, 3]);
    const p = ops.permute(x, [2, 0, 1]);
    expect(p.shape).toEqual([3, 1, 2]);
    for (let k = 0; k < 3; k++) for (let j = 0; j < 2; j++) expect(p.get(k, 0, j)).toBe(x.get(0, j, k));
    expect(() => ops.reshape(x, [4, 2])).toThrow(/\[1,2,3\].*\[4,2\]/);
    expect(gradcheck((a) => ops.broadcastTo(a, [2, 3, 4]), [randn(rng, [3, 1])]).maxRelError).toBeLessThan(TOL);
    expect(Array.from(ops.broadcastTo(Tensor.fromArray([1, 2], [2, 1]), [2, 2]).data)).toEqual([1, 1, 2, 2]);
    expect(() => ops.broadcastTo(Tensor.zeros([3]), [2, 2])).toThrow(/\[3\].*\[2,2\]/);
  });

  test('slice, concat, stack gradcheck and values', () => {
    expect(gradcheck((x) => ops.slice(x, 1, 1, 3), [randn(rng, [2, 4, 2])]).maxRelError).toBeLessThan(TOL);
    const f = (a: Tensor, b: Tensor) => ops.concat([a, b, a], 1);
    expect(gradcheck(f, [randn(rng, [2, 1, 3]), randn(rng, [2, 2, 3])]).maxRelError).toBeLessThan(TOL);
    expect(gradcheck((a, b) => ops.stack([a, b], 1), [randn(rng, [2, 3]), randn(rng, [2, 3])]).maxRelError).toBeLessThan(TOL);
    const c = ops.concat([Tensor.fromArray([1, 2], [2, 1]), Tensor.fromArray([3, 4, 5, 6], [2, 2])], 1);
    expect(Array.from(c.data)).toEqual([1, 3, 4, 2, 5, 6]);
    expect(ops.stack([Tensor.zeros([2]), Tensor.ones([2])], 1).shape).toEqual([2, 2]);
    expect(() => ops.concat([Tensor.zeros([2, 2]), Tensor.zeros([3, 3])], 0)).toThrow(/\[2,2\] and \[3,3\]/);
  });

  test('indexSelect, gather, where gradcheck and values', () => {
    expect(gradcheck((x) => ops.indexSelect(x, 0, [2, 0, 2]), [randn(rng, [3, 4])]).maxRelError).toBeLessThan(TOL);
    expect(gradcheck((x) => ops.indexSelect(x, 1, [1, 1]), [randn(rng, [2, 3, 2])]).maxRelError).toBeLessThan(TOL);
    expect(gradcheck((x) => ops.gather(x, 1, [0, 2, 1]), [randn(rng, [3, 4])]).maxRelError).toBeLessThan(TOL);
    const cond = Tensor.fromArray([1, 0, 1], [3, 1]);
    expect(gradcheck((a, b) => ops.where(cond, a, b), [randn(rng, [3, 2]), randn(rng, [2])]).maxRelError).toBeLessThan(TOL);
    const x = Tensor.fromArray([1, 2, 3, 4, 5, 6], [2, 3]);
    expect(Array.from(ops.gather(x, 1, [2, 0]).data)).toEqual([3, 4]);
    expect(Array.from(ops.indexSelect(x, 0, [1, 1]).data)).toEqual([4, 5, 6, 4, 5, 6]);
    expect(Array.from(ops.where(Tensor.fromArray([1, 0, 0]), x, -1).data)).toEqual([1, -1, -1, 4, -1, -1]);
    expect(() => ops.indexSelect(x, 0, [2])).toThrow(expect.objectContaining({ code: 'domain' }));
  });

  test('matmul (plain, batched, shared weight) gradcheck and values', () => {
    expect(gradcheck(ops.matmul, [randn(rng, [3, 4]), randn(rng, [4, 2])]).maxRelError).toBeLessThan(TOL);
    expect(gradcheck(ops.matmul, [randn(rng, [2, 3, 4]), randn(rng, [2, 4, 5])]).maxRelError).toBeLessThan(TOL);
    expect(gradcheck(ops.matmul, [randn(rng, [2, 3, 4]), randn(rng, [4, 1])]).maxRelError).toBeLessThan(TOL);
    expect(gradcheck(ops.matmul, [randn(rng, [1, 4]), randn(rng, [3, 4, 2])]).maxRelError).toBeLessThan(TOL);
    const a = randn(rng, [5, 7]);
    const b = randn(rng, [7, 3]);
    const c = ops.matmul(a, b);
    for (let i = 0; i < 5; i++) {
      for (let j = 0; j < 3; j++) {
        let s = 0;
        for (let k = 0; k < 7; k++) s += a.get(i, k) * b.get(k, j);
        expect(c.get(i, j)).toBeCloseTo(s, 12);
      }
    }
    expect(() => ops.matmul(Tensor.zeros([2, 3]), Tensor.zeros([4, 2]))).toThrow(/\[2,3\] and \[4,2\]/);
  });

  test('batched matmul values against loops, for batched, shared-left and shared-right operands', () => {
    for (const [as, bs] of [[[2, 3, 4], [2, 4, 5]], [[3, 4], [2, 4, 5]], [[2, 3, 4], [4, 5]]]) {
      const a = randn(rng, as);
      const b = randn(rng, bs);
      const c = ops.matmul(a, b);
      expect(c.shape).toEqual([2, 3, 5]);
      const A = (t: number, i: number, k: number) => (a.rank === 3 ? a.get(t, i, k) : a.get(i, k));
      const B = (t: number, k: number, j: number) => (b.rank === 3 ? b.get(t, k, j) : b.get(k, j));
      for (let t = 0; t < 2; t++) {
        for (let i = 0; i < 3; i++) {
          for (let j = 0; j < 5; j++) {
            let s = 0;
            for (let k = 0; k < 4; k++) s += A(t, i, k) * B(t, k, j);
            expect(Math.abs(c.get(t, i, j) - s)).toBeLessThan(1e-12);
          }
        }
      }
    }
  });

  test('a batch-size mismatch names both shapes and both batch sizes', () => {
    expect(() => ops.matmul(Tensor.zeros([2, 3, 4]), Tensor.zeros([3, 4, 5]))).toThrow(/\[2,3,4\] and \[3,4,5\].*batch 2 vs 3/);
  });
});
