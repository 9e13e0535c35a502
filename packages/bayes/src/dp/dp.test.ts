import { createRng, normalCdf, sampleNormal } from '@notes/core-linalg';
import { describe, expect, test } from 'vitest';
import { meanAndSE } from '../testing/quadrature.js';
import { expectedClusters, samplePolyaUrn, sampleCRP } from './crp.js';
import { sampleStickBreaking } from './stick-breaking.js';

describe('Dirichlet process: stick-breaking', () => {
  test('E[G(A)] = H(A) and Var[G(A)] = H(A)(1 − H(A))/(α + 1) within sampling error', () => {
    const rng = createRng(1);
    const alpha = 2;
    const HA = normalCdf(0.5);
    const g = Float64Array.from({ length: 3000 }, () => {
      const d = sampleStickBreaking(alpha, rng, { base: (r) => sampleNormal(r) });
      let s = 0;
      d.weights.forEach((w, k) => {
        if (d.atoms[k]! <= 0.5) s += w;
      });
      return s;
    });
    const m = meanAndSE(g);
    expect(Math.abs(m.mean - HA)).toBeLessThan(4 * m.se);
    const v = meanAndSE(g.map((x) => (x - HA) ** 2));
    expect(Math.abs(v.mean - (HA * (1 - HA)) / (alpha + 1))).toBeLessThan(4 * v.se);
  });
  test('weights sum to 1; truncation and tolerance; E[π_1] = 1/(1+α)', () => {
    const rng = createRng(2);
    const d = sampleStickBreaking(1, rng, { base: () => 0, truncation: 5 });
    expect(d.weights.length).toBeLessThanOrEqual(5);
    expect(d.weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 14);
    const first = Float64Array.from({ length: 4000 }, () => sampleStickBreaking(3, rng, { base: () => 0 }).weights[0]!);
    const s = meanAndSE(first);
    expect(Math.abs(s.mean - 0.25)).toBeLessThan(4 * s.se);
    expect(() => sampleStickBreaking(0, rng, { base: () => 0 })).toThrow(/'alpha'/);
    expect(() => sampleStickBreaking(1, rng, { base: () => 0, truncation: 0 })).toThrow(/'truncation'/);
  });
});

describe('Dirichlet process: Chinese restaurant process and Pólya urn', () => {
  test.each([0.5, 2, 10])('E[#clusters] = Σ α/(α+i−1) for α = %d (CRP and urn)', (alpha) => {
    const rng = createRng(3);
    const n = 200;
    const k = Float64Array.from({ length: 1000 }, () => sampleCRP(n, alpha, rng).numClusters);
    const s = meanAndSE(k);
    const want = expectedClusters(n, alpha);
    expect(Math.abs(s.mean - want)).toBeLessThan(4 * s.se);
    const u = Float64Array.from({ length: 1000 }, () => new Set(samplePolyaUrn(n, alpha, (r) => r.uniform(), rng)).size);
    const su = meanAndSE(u);
    expect(Math.abs(su.mean - want)).toBeLessThan(4 * su.se);
  });
  test('urn marginals are H; counts add up; α log(1 + n/α) approximation; bad input', () => {
    const rng = createRng(4);
    const last = Float64Array.from({ length: 4000 }, () => (samplePolyaUrn(20, 1, (r) => sampleNormal(r), rng)[19]! <= 0.5 ? 1 : 0));
    const s = meanAndSE(last);
    expect(Math.abs(s.mean - normalCdf(0.5))).toBeLessThan(4 * s.se);
    const c = sampleCRP(50, 1, rng);
    expect(c.counts.reduce((a, b) => a + b, 0)).toBe(50);
    expect(Math.max(...c.assignments)).toBe(c.numClusters - 1);
    expect(expectedClusters(10000, 5) / (5 * Math.log(1 + 10000 / 5))).toBeCloseTo(1, 1);
    expect(() => sampleCRP(10, -1, rng)).toThrow(/'alpha'/);
    expect(() => sampleCRP(1.5, 1, rng)).toThrow(/'n'/);
  });
});
