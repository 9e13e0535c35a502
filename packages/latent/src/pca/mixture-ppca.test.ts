import { createRng } from '@notes/core-linalg';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { fitMixturePPCA } from './mixture-ppca.js';
import { MixturePPCAModel } from './mixture-ppca-model.js';
import { fitPPCA } from './ppca.js';

// two noisy 1-D lines (different directions) in 4-D
function twoLines(n: number, seed: number) {
  const rng = createRng(seed);
  return Array.from({ length: n }, (_, i) => {
    const t = rng.normal() * 3;
    const e = () => 0.1 * rng.normal();
    return i % 2 === 0 ? [t + e(), 0.5 * t + e(), e(), e() + 10] : [e() + 8, e(), t + e(), -t + e()];
  });
}

describe('Mixture PCA: mixture of probabilistic PCA (Tipping & Bishop 1999)', () => {
  test('property: the EM bound never decreases over seeds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), (seed) => {
        const X = twoLines(80, seed);
        const m = fitMixturePPCA(X, { components: 2, latentDim: 1, seed, tol: 0, maxIterations: 30 });
        const b = m.report.trace as number[];
        for (let t = 1; t < b.length; t++) if ((b[t] as number) < (b[t - 1] as number) - 1e-10 * (1 + Math.abs(b[t - 1] as number))) return false;
        return true;
      }),
      { numRuns: 15, seed: 3 },
    );
  });

  test('separates the two subspaces, and with K = 1 equals the single PPCA MLE', () => {
    const X = twoLines(300, 5);
    const m = fitMixturePPCA(X, { components: 2, latentDim: 1, seed: 2, tol: 1e-10 });
    const lab = m.predict(X);
    for (let i = 2; i < 300; i++) expect(lab[i]).toBe(lab[i % 2]);
    expect(lab[0]).not.toBe(lab[1]);
    const one = fitMixturePPCA(X, { components: 1, latentDim: 2, seed: 1, tol: 1e-12, maxIterations: 3000 });
    const cf = fitPPCA(X, { components: 2 });
    expect(Math.abs((one.sigma2[0] as number) - cf.sigma2) / cf.sigma2).toBeLessThan(1e-5);
    expect(Math.abs(one.lowerBound - cf.lowerBound)).toBeLessThan(1e-6);
    const back = MixturePPCAModel.fromJSON(JSON.parse(JSON.stringify(m.toJSON())));
    expect(Array.from(back.scoreSamples(X))).toEqual(Array.from(m.scoreSamples(X)));
    const { Z, component } = m.posteriorMean(X.slice(0, 4));
    expect(Z.rows).toBe(4);
    expect(component[0]).toBe(lab[0]);
  });

  test('bad input', () => {
    expect(() => fitMixturePPCA([[1, 2, 3]], { components: 2, latentDim: 1 })).toThrow(expect.objectContaining({ code: 'shape' }));
    expect(() => fitMixturePPCA(twoLines(10, 1), { components: 2, latentDim: 4 })).toThrow(expect.objectContaining({ code: 'domain' }));
    expect(() => fitMixturePPCA([[1, Number.NaN, 3], [1, 2, 3]], { components: 1, latentDim: 1 })).toThrow(expect.objectContaining({ code: 'non-finite' }));
  });
});
