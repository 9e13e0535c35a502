import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { fitPCA, PCAModel } from './pca.js';

interface Case {
  whiten: boolean;
  components: number;
  X: number[][];
  expected: Record<string, number[] | number[][] | number>;
}
const fx = JSON.parse(readFileSync(new URL('../../fixtures/pca.json', import.meta.url), 'utf8')) as { cases: Case[] };
const maxAbs = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
};

describe('Mixture PCA (linear-algebra view): PCA vs scikit-learn', () => {
  for (const method of ['eigen', 'svd'] as const) {
    test.each(fx.cases.map((c) => [c.whiten, c] as const))(`${method}, whiten=%s: components up to sign, variances, transform`, (_w, c) => {
      const p = fitPCA(c.X, { components: c.components, whiten: c.whiten, method });
      const e = c.expected;
      const C = p.components.to2DArray();
      const E = e.components as number[][];
      const signs = C.map((row, r) => Math.sign(row.reduce((s, v, j) => s + v * ((E[r] as number[])[j] as number), 0)));
      C.forEach((row, r) => {
        expect(maxAbs(row.map((v) => v * (signs[r] as number)), E[r] as number[])).toBeLessThan(1e-9);
      });
      expect(maxAbs(p.explainedVariance, e.explainedVariance as number[])).toBeLessThan(1e-9);
      expect(maxAbs(p.explainedVarianceRatio, e.explainedVarianceRatio as number[])).toBeLessThan(1e-12);
      expect(maxAbs(p.mean, e.mean as number[])).toBeLessThan(1e-12);
      expect(Math.abs(p.noiseVariance - (e.noiseVariance as number))).toBeLessThan(1e-9);
      const Z = p.transform(c.X.slice(0, 5)).to2DArray();
      Z.forEach((row, i) => {
        expect(maxAbs(row.map((v, r) => v * (signs[r] as number)), (e.transform as number[][])[i] as number[])).toBeLessThan(1e-9);
      });
      const Xr = p.inverseTransform(Z).to2DArray();
      Xr.forEach((row, i) => {
        expect(maxAbs(row, (e.inverseTransform as number[][])[i] as number[])).toBeLessThan(1e-9);
      });
    });
  }

  test('JSON round-trip, bad input', () => {
    const c = fx.cases[0] as Case;
    const p = fitPCA(c.X, { components: 2 });
    const q = PCAModel.fromJSON(JSON.parse(JSON.stringify(p.toJSON())));
    expect(q.transform(c.X).to2DArray()).toEqual(p.transform(c.X).to2DArray());
    expect(() => fitPCA(c.X, { components: 7 })).toThrow(expect.objectContaining({ code: 'domain' }));
    expect(() => fitPCA([[1, 2]], { components: 1 })).toThrow(expect.objectContaining({ code: 'shape' }));
    expect(() => fitPCA([[1, Number.NaN], [1, 2]], { components: 1 })).toThrow(expect.objectContaining({ code: 'non-finite' }));
    expect(() => p.transform([[1, 2]])).toThrow(expect.objectContaining({ code: 'shape' }));
  });
});
