import { createRng } from '@notes/core-linalg';
import { Matrix } from 'ml-matrix';
import { describe, expect, test } from 'vitest';
import { fitGaussianMixture } from '../mixture/gaussian-mixture.js';
import { kmeans } from '../mixture/kmeans.js';
import { fitMixturePPCA } from '../pca/mixture-ppca.js';
import { fitPCA } from '../pca/pca.js';
import { fitPPCA } from '../pca/ppca.js';

const rng = createRng(5);
const X = Array.from({ length: 60 }, (_, i) => [rng.normal() + (i % 2) * 5, rng.normal(), rng.normal()]);
// finite entries whose squared deviations overflow float64 (1e160² = 1e320 > 1.8e308)
const huge = X.map((r) => r.map((v) => v * 1e160));
const domain = expect.objectContaining({ code: 'domain', message: expect.stringContaining('overflow') });

describe('Latent variable models: finite inputs too large for float64 give typed errors, not NaN or crashes', () => {
  test('every fit rejects data whose squared deviations overflow, naming the argument', () => {
    expect(() => fitGaussianMixture(huge, { components: 2 })).toThrow(domain);
    expect(() => kmeans(huge, { components: 2 })).toThrow(domain);
    expect(() => fitPCA(huge, { components: 2 })).toThrow(domain);
    expect(() => fitPPCA(huge, { components: 1 })).toThrow(domain);
    const withMissing = huge.map((r) => [...r]);
    (withMissing[3] as number[])[1] = Number.NaN;
    expect(() => fitPPCA(withMissing, { components: 1, method: 'em', missing: 'nan' })).toThrow(domain);
    expect(() => fitMixturePPCA(huge, { components: 2, latentDim: 1 })).toThrow(domain);
  });

  test('the same data scaled by 1e60 (scatter ≈ 1e122, below MAX_DECOMPOSABLE_SCATTER) fits', () => {
    const big = X.map((r) => r.map((v) => v * 1e60));
    expect(Number.isFinite(fitPCA(big, { components: 2 }).explainedVariance[0] as number)).toBe(true);
    expect(Number.isFinite(kmeans(big, { components: 2 }).inertia)).toBe(true);
    // mixtures and k-means only need finite variances: 1e150 (scatter ≈ 1e302) still fits
    const bigger = X.map((r) => r.map((v) => v * 1e150));
    expect(Number.isFinite(fitGaussianMixture(bigger, { components: 2 }).lowerBound)).toBe(true);
    expect(Number.isFinite(kmeans(bigger, { components: 2 }).inertia)).toBe(true);
  });

  test('a Gaussian-mixture query point whose density underflows under every component throws instead of returning NaN', () => {
    const gm = fitGaussianMixture(X, { components: 2, seed: 1 });
    const far = [[1e200, 0, 0]];
    expect(() => gm.scoreSamples(far)).toThrow(domain);
    expect(() => gm.predictProba(far)).toThrow(domain);
    // a far but representable point still has a finite (very negative) log-density
    const v = gm.scoreSamples([[1e50, 0, 0]])[0] as number;
    expect(Number.isFinite(v)).toBe(true);
    expect(v).toBeLessThan(-1e99);
  });
});

describe('Latent variable models: fits never mutate the caller’s data', () => {
  test('number[][] with missing values, Matrix input and explicit k-means centres are left as they were', () => {
    const withMissing = X.map((r) => [...r]);
    (withMissing[2] as number[])[0] = Number.NaN;
    (withMissing[7] as number[])[2] = Number.NaN;
    const before = JSON.stringify(withMissing);
    fitPPCA(withMissing, { components: 1, method: 'em', missing: 'nan', maxIterations: 20 });
    expect(JSON.stringify(withMissing)).toBe(before);
    const M = new Matrix(X);
    const copy = M.to2DArray();
    fitPCA(M, { components: 2, whiten: true }).transform(M);
    fitPPCA(M, { components: 2 }).posteriorMean(M);
    fitMixturePPCA(M, { components: 2, latentDim: 1, maxIterations: 10 }).predict(M);
    const gm = fitGaussianMixture(M, { components: 2, maxIterations: 10 });
    gm.predictProba(M);
    gm.scoreSamples(M);
    expect(M.to2DArray()).toEqual(copy);
    const init = [X[0] as number[], X[1] as number[]].map((r) => [...r]);
    const initCopy = init.map((r) => [...r]);
    kmeans(M, { components: 2, init });
    expect(init).toEqual(initCopy);
    expect(M.to2DArray()).toEqual(copy);
  });
});
