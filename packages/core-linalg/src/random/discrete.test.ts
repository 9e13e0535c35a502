import { describe, expect, test } from 'vitest';
import { draw, moments } from './moments.testutil.js';
import { createRng, permutation, sampleCategorical, sampleCategoricalLog, sampleDirichlet } from './index.js';

describe('random: Dirichlet via gammas', () => {
  test('component means and variances within 4 SE (closed form α_i/α_0, α_i(α_0−α_i)/(α_0²(α_0+1)))', () => {
    const alpha = [0.4, 1, 2.5, 6];
    const a0 = alpha.reduce((s, v) => s + v, 0);
    const rng = createRng(31);
    const n = 40_000;
    const cols = alpha.map(() => new Float64Array(n));
    let worstSum = 0;
    for (let t = 0; t < n; t++) {
      const x = sampleDirichlet(rng, alpha);
      let sum = 0;
      for (let i = 0; i < x.length; i++) {
        sum += x[i] as number;
        (cols[i] as Float64Array)[t] = x[i] as number;
      }
      worstSum = Math.max(worstSum, Math.abs(sum - 1));
    }
    expect(worstSum).toBeLessThan(1e-12);
    alpha.forEach((a, i) => {
      const m = moments(cols[i] as Float64Array);
      expect(Math.abs(m.mean - a / a0)).toBeLessThan(4 * m.seMean);
      expect(Math.abs(m.variance - (a * (a0 - a)) / (a0 * a0 * (a0 + 1)))).toBeLessThan(4 * m.seVariance);
    });
  });

  test('tiny concentrations still give a finite point of the simplex (log-space gammas)', () => {
    const rng = createRng(2);
    for (let t = 0; t < 200; t++) {
      const x = sampleDirichlet(rng, [1e-3, 1e-4, 1e-3]);
      for (const v of x) expect(Number.isFinite(v) && v >= 0).toBe(true);
      expect(x.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
    }
  });

  test('bad alpha → typed errors; caller array untouched', () => {
    const rng = createRng(1);
    const alpha = [1, 2, 3];
    sampleDirichlet(rng, alpha);
    expect(alpha).toEqual([1, 2, 3]);
    expect(() => sampleDirichlet(rng, [])).toThrow(expect.objectContaining({ code: 'shape' }));
    expect(() => sampleDirichlet(rng, [1, 0])).toThrow(expect.objectContaining({ code: 'domain' }));
    expect(() => sampleDirichlet(rng, [1, Number.NaN])).toThrow(expect.objectContaining({ code: 'non-finite' }));
  });
});

describe('random: categorical sampling', () => {
  function frequencies(n: number, k: number, f: () => number): number[] {
    const c = new Array(k).fill(0);
    for (let i = 0; i < n; i++) c[f()]++;
    return c.map((v) => v / n);
  }
  function expectFreq(freq: number[], p: number[], n: number): void {
    p.forEach((pi, i) => {
      expect(Math.abs((freq[i] as number) - pi)).toBeLessThan(4 * Math.sqrt((pi * (1 - pi)) / n) + 1e-12);
    });
  }

  test('sampleCategorical frequencies within 4 SE; unnormalised weights are normalised; zero weights never drawn', () => {
    const rng = createRng(8);
    const n = 60_000;
    const w = [2, 0, 5, 3];
    const p = w.map((v) => v / 10);
    expectFreq(frequencies(n, 4, () => sampleCategorical(rng, w)), p, n);
  });

  test('sampleCategoricalLog samples softmax(logits) (huge and -Infinity logits are fine)', () => {
    const rng = createRng(9);
    const n = 60_000;
    const logits = [1000, 1001, Number.NEGATIVE_INFINITY, 999];
    const e = [Math.exp(-1), 1, 0, Math.exp(-2)];
    const z = e.reduce((s, v) => s + v, 0);
    expectFreq(frequencies(n, 4, () => sampleCategoricalLog(rng, logits)), e.map((v) => v / z), n);
  });

  test('bad input → typed errors', () => {
    const rng = createRng(1);
    expect(() => sampleCategorical(rng, [])).toThrow(expect.objectContaining({ code: 'shape' }));
    expect(() => sampleCategorical(rng, [0.5, -0.1])).toThrow(expect.objectContaining({ code: 'domain' }));
    expect(() => sampleCategorical(rng, [0, 0])).toThrow(expect.objectContaining({ code: 'domain' }));
    expect(() => sampleCategorical(rng, [Number.NaN])).toThrow(expect.objectContaining({ code: 'non-finite' }));
    expect(() => sampleCategoricalLog(rng, [0, Number.NaN])).toThrow(expect.objectContaining({ code: 'non-finite' }));
    expect(() => sampleCategoricalLog(rng, [Number.NEGATIVE_INFINITY])).toThrow(
      expect.objectContaining({ code: 'domain' }),
    );
  });
});

describe('random: permutation (Fisher–Yates)', () => {
  test('is a permutation; all 3! orders equally likely within 4 SE', () => {
    const rng = createRng(4);
    const n = 60_000;
    const counts = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      const key = permutation(rng, 3).join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(6);
    const se = Math.sqrt((n * (1 / 6) * (5 / 6)));
    for (const c of counts.values()) expect(Math.abs(c - n / 6)).toBeLessThan(4 * se);
    const big = permutation(rng, 1000);
    expect([...big].sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(permutation(rng, 0)).toHaveLength(0);
    expect(moments(draw(1, () => permutation(rng, 1)[0] as number)).mean).toBe(0);
  });

  test('bad n → domain error', () => {
    expect(() => permutation(createRng(1), -1)).toThrow(expect.objectContaining({ code: 'domain' }));
    expect(() => permutation(createRng(1), 1.5)).toThrow(expect.objectContaining({ code: 'domain' }));
  });
});
