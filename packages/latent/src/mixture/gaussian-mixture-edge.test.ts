import { createRng } from '@notes/core-linalg';
import { describe, expect, test } from 'vitest';
import { fitGaussianMixture } from './gaussian-mixture.js';

const rng = createRng(9);
const X = Array.from({ length: 120 }, (_, i) => [(i % 2) * 6 + rng.normal(), rng.normal() * 2]);

describe('Categorical latent variables: Gaussian mixture edge cases', () => {
  test('bad input gives typed errors before any work', () => {
    expect(() => fitGaussianMixture(X.slice(0, 2), { components: 3 })).toThrow(expect.objectContaining({ code: 'shape' }));
    expect(() => fitGaussianMixture(X.map((r) => [r[0] as number, 5]), { components: 2 })).toThrow(expect.objectContaining({ code: 'domain' }));
    const withNaN = X.map((r) => [...r]);
    (withNaN[4] as number[])[1] = Number.NaN;
    expect(() => fitGaussianMixture(withNaN, { components: 2 })).toThrow(expect.objectContaining({ code: 'non-finite' }));
    const notPD = { weights: [0.5, 0.5], means: [[0, 0], [6, 0]], precisions: [[[1, 2], [2, 1]], [[1, 0], [0, 1]]] };
    expect(() => fitGaussianMixture(X, { components: 2, init: notPD })).toThrow(expect.objectContaining({ code: 'not-positive-definite' }));
    expect(() => fitGaussianMixture(X, { components: 2, init: { ...notPD, weights: [0.5] } })).toThrow(expect.objectContaining({ code: 'shape' }));
    expect(() => fitGaussianMixture(X, { components: 2, covariance: 'banana' as never })).toThrow(expect.objectContaining({ code: 'domain' }));
    expect(() => fitGaussianMixture(X, { components: 2, regCovar: -1 })).toThrow(expect.objectContaining({ code: 'domain' }));
    expect(() => fitGaussianMixture([[1, 2], [3]], { components: 1 })).toThrow(expect.objectContaining({ code: 'shape' }));
    expect(() => fitGaussianMixture([], { components: 1 })).toThrow(expect.objectContaining({ code: 'shape' }));
    const inf = X.map((r) => [...r]);
    (inf[0] as number[])[0] = Number.POSITIVE_INFINITY;
    expect(() => fitGaussianMixture(inf, { components: 2 })).toThrow(expect.objectContaining({ code: 'non-finite' }));
    const gm = fitGaussianMixture(X, { components: 2 });
    expect(() => gm.predict([[1, 2, 3]])).toThrow(expect.objectContaining({ code: 'shape' }));
  });

  test('an empty component is re-seeded on the worst-explained sample and reported', () => {
    const init = {
      weights: [0.5, 0.49, 0.01],
      means: [[0, 0], [6, 0], [1e4, 1e4]],
      precisions: [[[1, 0], [0, 1]], [[1, 0], [0, 1]], [[1, 0], [0, 1]]],
    };
    const gm = fitGaussianMixture(X, { components: 3, init, tol: 1e-8, maxIterations: 200 });
    expect(gm.emptyComponentsReseeded).toBeGreaterThanOrEqual(1);
    const ll = gm.scoreSamples(X);
    for (const v of ll) expect(Number.isFinite(v)).toBe(true);
    for (const m of gm.means.to1DArray()) expect(Math.abs(m)).toBeLessThan(20);
    expect(Number.isFinite(gm.lowerBound)).toBe(true);
  });

  test('restarts keep the best bound; same seed gives the same model; sample() follows the fit', () => {
    const a = fitGaussianMixture(X, { components: 2, seed: 4, restarts: 2 });
    const b = fitGaussianMixture(X, { components: 2, seed: 4, restarts: 2 });
    const strip = (m: typeof a) => ({ ...m.toJSON(), report: { ...m.report, elapsedMs: 0 } });
    expect(strip(a)).toEqual(strip(b));
    const one = fitGaussianMixture(X, { components: 2, seed: 4, restarts: 0 });
    expect(a.lowerBound).toBeGreaterThanOrEqual(one.lowerBound - 1e-12);
    const { X: S, labels } = a.sample(4000, { seed: 1 });
    // sample mean within 4 SE of the mixture mean Σ π_k μ_k
    const w = a.weights;
    const mu = a.means;
    for (let j = 0; j < 2; j++) {
      const col = S.getColumn(j);
      const mean = col.reduce((s, v) => s + v, 0) / col.length;
      const sd = Math.sqrt(col.reduce((s, v) => s + (v - mean) ** 2, 0) / col.length);
      const want = (w[0] as number) * mu.get(0, j) + (w[1] as number) * mu.get(1, j);
      expect(Math.abs(mean - want)).toBeLessThan((4 * sd) / Math.sqrt(col.length));
    }
    expect(labels.length).toBe(4000);
  });

  test('onProgress sees every iteration and the abort signal stops the fit', () => {
    const seen: number[] = [];
    const gm = fitGaussianMixture(X, { components: 2, onProgress: (p) => seen.push(p.objective) });
    expect(seen.length).toBe(gm.report.iterations);
    const ctrl = new AbortController();
    ctrl.abort();
    expect(() => fitGaussianMixture(X, { components: 2, signal: ctrl.signal })).toThrow(expect.objectContaining({ code: 'aborted' }));
  });
});
