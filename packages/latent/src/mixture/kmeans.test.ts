import { readFileSync } from 'node:fs';
import { createRng } from '@notes/core-linalg';
import { describe, expect, test } from 'vitest';
import { readData } from '../util/data.js';
import { kmeans, kmeansPlusPlusIndices } from './kmeans.js';

const rng = createRng(5);
const centers = [
  [0, 0],
  [10, 0],
  [0, 10],
];
const X = Array.from({ length: 150 }, (_, i) => {
  const c = centers[i % 3] as number[];
  return [(c[0] as number) + rng.normal(), (c[1] as number) + rng.normal()];
});

describe('Categorical latent variables: k-means and k-means++', () => {
  test('recovers well-separated clusters exactly (up to relabelling)', () => {
    const res = kmeans(X, { components: 3, seed: 1 });
    expect(res.report.converged).toBe(true);
    for (let i = 3; i < 150; i++) expect(res.labels[i]).toBe(res.labels[i % 3]);
    expect(new Set(res.labels).size).toBe(3);
    // inertia equals the brute-force sum of squared distances to the assigned centres
    const C = res.centers.to2DArray();
    const brute = X.reduce((s, x, i) => {
      const c = C[res.labels[i] as number] as number[];
      return s + ((x[0] as number) - (c[0] as number)) ** 2 + ((x[1] as number) - (c[1] as number)) ** 2;
    }, 0);
    expect(Math.abs(res.inertia - brute)).toBeLessThan(1e-9 * brute);
  });

  test('k-means++ picks the second centre with probability D(x)²/ΣD² (chi-square, fixed seed)', () => {
    // 5 points on a line; first centre forced by seeding rng so that we condition on it.
    const pts = readData('t', 'X', [[0], [1], [2], [4], [7]]);
    const counts = new Map<string, number>();
    const r = createRng(11);
    const N = 20000;
    let firstZero = 0;
    for (let t = 0; t < N; t++) {
      const idx = kmeansPlusPlusIndices(pts, 2, r, 1);
      if (idx[0] !== 0) continue;
      firstZero += 1;
      counts.set(String(idx[1]), (counts.get(String(idx[1])) ?? 0) + 1);
    }
    const d2 = [0, 1, 4, 16, 49];
    const tot = d2.reduce((a, b) => a + b, 0);
    let chi2 = 0;
    for (let j = 1; j < 5; j++) {
      const e = (firstZero * (d2[j] as number)) / tot;
      chi2 += ((counts.get(String(j)) ?? 0) - e) ** 2 / e;
    }
    expect(counts.get('0') ?? 0).toBe(0);
    expect(chi2).toBeLessThan(16.27); // χ²₃ at p = 0.001
  });

  test('Lloyd from explicit centres equals scikit-learn KMeans (algorithm lloyd)', () => {
    const fx = JSON.parse(readFileSync(new URL('../../fixtures/kmeans.json', import.meta.url), 'utf8')) as {
      X: number[][];
      init: number[][];
      centers: number[][];
      labels: number[];
      inertia: number;
    };
    const res = kmeans(fx.X, { components: 4, init: fx.init, tol: 0 });
    expect(res.report.converged).toBe(true);
    expect(Array.from(res.labels)).toEqual(fx.labels);
    const C = res.centers.to2DArray();
    C.forEach((row, c) => {
      row.forEach((v, j) => {
        expect(Math.abs(v - ((fx.centers[c] as number[])[j] as number))).toBeLessThan(1e-10);
      });
    });
    expect(Math.abs(res.inertia - fx.inertia) / fx.inertia).toBeLessThan(1e-10);
  });

  test('explicit centres, bad input', () => {
    const res = kmeans(X, { components: 3, init: centers });
    expect(res.labels[0]).toBe(0);
    expect(res.labels[1]).toBe(1);
    expect(() => kmeans([[1, 2]], { components: 2 })).toThrow(expect.objectContaining({ code: 'shape' }));
    expect(() => kmeans([[1, Number.NaN]], { components: 1 })).toThrow(expect.objectContaining({ code: 'non-finite' }));
    expect(() => kmeans(X, { components: 3, init: [[0, 0]] })).toThrow(expect.objectContaining({ code: 'shape' }));
    expect(() => kmeans(X, { components: 0 })).toThrow(expect.objectContaining({ code: 'domain' }));
  });
});
