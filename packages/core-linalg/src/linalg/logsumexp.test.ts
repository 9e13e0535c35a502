import { describe, expect, test } from 'vitest';
import { logSoftmax, logSumExp, softmax } from './logsumexp.js';

describe('support: logsumexp and softmax', () => {
  test('matches the direct formula where it does not overflow', () => {
    const x = [0.3, -1.2, 2.5, 0];
    const direct = Math.log(x.reduce((s, v) => s + Math.exp(v), 0));
    expect(logSumExp(x)).toBeCloseTo(direct, 14);
    const p = softmax(x);
    x.forEach((v, i) => {
      expect(p[i]).toBeCloseTo(Math.exp(v - direct), 15);
    });
    logSoftmax(x).forEach((v, i) => {
      expect(v).toBeCloseTo(x[i]! - direct, 14);
    });
  });
  test('stable for huge and tiny logits', () => {
    expect(logSumExp([1000, 1000])).toBeCloseTo(1000 + Math.LN2, 12);
    expect(logSumExp([-1000, -1000])).toBeCloseTo(-1000 + Math.LN2, 12);
    expect(Array.from(softmax([1000, 1000]))).toEqual([0.5, 0.5]);
    expect(logSoftmax([1e308, 0])[1]).toBe(-1e308);
  });
  test('-Infinity means weight 0', () => {
    const ninf = Number.NEGATIVE_INFINITY;
    expect(logSumExp([ninf, 0])).toBe(0);
    expect(logSumExp([ninf, ninf])).toBe(ninf);
    expect(Array.from(softmax([ninf, 0]))).toEqual([0, 1]);
    expect(Array.from(logSoftmax([ninf, 0]))).toEqual([ninf, 0]);
  });
  test('softmax sums to 1 and is shift-invariant', () => {
    const x = [3, 1, 4, 1, 5, 9, 2, 6];
    const p = softmax(x);
    expect(p.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 15);
    const q = softmax(x.map((v) => v + 123.5));
    p.forEach((v, i) => {
      expect(q[i]).toBeCloseTo(v, 14);
    });
  });
  test('bad input → typed errors', () => {
    expect(() => logSumExp([])).toThrow(expect.objectContaining({ code: 'shape' }));
    expect(() => logSumExp([1, Number.NaN])).toThrow(expect.objectContaining({ code: 'non-finite' }));
    expect(() => softmax([Number.POSITIVE_INFINITY])).toThrow(expect.objectContaining({ code: 'non-finite' }));
    expect(() => softmax([Number.NEGATIVE_INFINITY])).toThrow(expect.objectContaining({ code: 'domain' }));
    expect(() => logSoftmax([Number.NEGATIVE_INFINITY])).toThrow(expect.objectContaining({ code: 'domain' }));
  });
});
