/**
 * Failing-first tests of the issue-15 fixes in @notes/bayes (each failed on the commit before its fix).
 */
import { createRng, sampleNormal } from '@notes/core-linalg';
import { describe, expect, test } from 'vitest';
import { expectedClusters } from '../dp/crp.js';
import type { DPMMBase } from '../dpmm/families.js';
import { fitDPMM, fitDPMMAsync } from '../dpmm/fit-dpmm.js';
import { klBernoulli } from '../kl/discrete.js';
import { gaussianNoise } from '../nce/gaussian-model.js';
import { fitVariationalGMM, fitVariationalGMMAsync } from '../variational/vbgmm.js';
import { VariationalGMMModel } from '../variational/vbgmm-model.js';

function clusters(n: number, seed: number, scale = 1): number[][] {
  const rng = createRng(seed);
  const centers = [[-4, 0], [4, 0], [0, 5]];
  return Array.from({ length: n }, (_, i) => (centers[i % 3] as number[]).map((m) => scale * sampleNormal(rng, m, 0.7)));
}
const NW: DPMMBase = { type: 'normal-wishart', mean: [0, 0], kappa: 0.1, df: 4, scale: [[0.5, 0], [0, 0.5]] };

describe('issue 15 fixes', () => {
  test('fitDPMM rejects thin > iterations − burnIn (it kept 0 samples and failed later)', () => {
    const X = clusters(20, 1);
    expect(() => fitDPMM(X, { base: NW, iterations: 10, burnIn: 5, thin: 6 })).toThrow(/option 'thin' must be at most iterations − burnIn = 5/);
    expect(fitDPMM(X, { base: NW, iterations: 10, burnIn: 5, thin: 5 }).samples.length).toBe(1);
  });

  test("klBernoulli([], []) is a typed error, not NaN (an empty array passed the [0, 1] range check)", () => {
    expect(() => klBernoulli([] as never, [] as never)).toThrow(expect.objectContaining({ code: 'domain' }));
    expect(() => klBernoulli({} as never, 0.5)).toThrow(expect.objectContaining({ code: 'domain' }));
  });

  test('expectedClusters with a tiny α: α + (i − 1), not (α + i) − 1 (was Infinity for α = 1e-300)', () => {
    expect(expectedClusters(20, 1e-300)).toBeCloseTo(1, 12);
    // the digamma form for large n agrees with the sum
    let s = 0;
    for (let i = 1; i <= 200_000; i++) s += 1.5 / (1.5 + (i - 1));
    expect(expectedClusters(200_000, 1.5)).toBeCloseTo(s, 9);
  });

  test('gaussianNoise with sd = 1e-300: sd² underflowed and logPdf was NaN', () => {
    const g = gaussianNoise(0, 1e-300);
    expect(g.logPdf(Float64Array.of(1e-300))).toBeCloseTo(-0.5 * Math.log(2 * Math.PI) + 300 * Math.LN10 - 0.5, 9);
  });

  // before: ×1e-150 and ×1e150 already worked, ×1e-155 and ×1e-160 ran 500 iterations without converging, ×1e-170 and
  // ×1e155 threw (the empirical covariance under/overflowed); the JSON round trip keeps the fit at every scale
  test('fitVariationalGMM: data ×1e-150 … ×1e-300, ×2^-500, ×1e150, ×1e200 fit as well as unit-scale data', () => {
    const X = clusters(90, 2);
    const unit = fitVariationalGMM(X, { components: 5, seed: 1 });
    for (const c of [1e-150, 1e-160, 1e-170, 1e-200, 1e-300, 2 ** -500, 1e150, 1e200]) {
      const m = fitVariationalGMM(X.map((r) => r.map((v) => v * c)), { components: 5, seed: 1 });
      expect(m.report.reason).toBe(unit.report.reason);
      expect(Array.from(m.predict(X.map((r) => r.map((v) => v * c))))).toEqual(Array.from(unit.predict(X)));
      for (let k = 0; k < 5; k++) {
        expect(m.weights[k]).toBeCloseTo(unit.weights[k]!, 9);
        expect(m.means.get(k, 0) / c).toBeCloseTo(unit.means.get(k, 0), 6);
        // covariances in data units exist in float64 only while c² does (the model keeps them scaled)
        if (c * c > 1e-300 && c * c < 1e300) expect(m.covariances[k]!.get(0, 0) / (c * c)).toBeCloseTo(unit.covariances[k]!.get(0, 0), 6);
      }
      expect(Array.from(VariationalGMMModel.fromJSON(JSON.parse(JSON.stringify(m))).predict(X.map((r) => r.map((v) => v * c))))).toEqual(
        Array.from(unit.predict(X)),
      );
      // ELBO of X·c = ELBO of X − n·d·log c
      expect(m.elbo).toBeCloseTo(unit.elbo - 90 * 2 * Math.log(c), 4);
    }
    // a power of two is exact: bit-identical responsibilities
    const exact = fitVariationalGMM(X.map((r) => r.map((v) => v * 2 ** -500)), { components: 5, seed: 1 });
    expect(exact.weights).toEqual(unit.weights);
  });

  test('fitDPMM: data ×1e-150 with the base measure on the same scale give the same partitions', () => {
    const X = clusters(30, 3);
    const c = 1e-150;
    const base: DPMMBase = { type: 'normal-wishart', mean: [0, 0], kappa: 0.1, df: 4, scale: [[0.5 / (c * c), 0], [0, 0.5 / (c * c)]] };
    const a = fitDPMM(X, { base: NW, iterations: 20, burnIn: 5, seed: 4 });
    const b = fitDPMM(X.map((r) => r.map((v) => v * c)), { base, iterations: 20, burnIn: 5, seed: 4 });
    expect(b.samples.map((z) => Array.from(z))).toEqual(a.samples.map((z) => Array.from(z)));
  });

  test('abort partials: fitDPMMAsync gives the chain so far, fitVariationalGMMAsync the model so far', async () => {
    const X = clusters(60, 5);
    const c1 = new AbortController();
    let err: { partial?: unknown; code?: string } = {};
    await fitDPMMAsync(X, { base: NW, iterations: 1_000_000, burnIn: 2, seed: 1, signal: c1.signal, onProgress: (p) => p.iteration === 5 && c1.abort() }).catch((e) => {
      err = e;
    });
    expect(err.code).toBe('aborted');
    const part = err.partial as { iterations: number; samples: Int32Array[]; logJointTrace: number[] };
    expect(part.iterations).toBe(5);
    expect(part.samples.length).toBe(3);
    expect(part.logJointTrace.length).toBe(5);
    const c2 = new AbortController();
    err = {};
    await fitVariationalGMMAsync(X, { components: 6, tol: 1e-300, maxIterations: 1000, signal: c2.signal, onProgress: (p) => p.iteration === 3 && c2.abort() }).catch((e) => {
      err = e;
    });
    const model = err.partial as { report: { reason: string; iterations: number }; weights: Float64Array };
    expect(model.report).toMatchObject({ reason: 'aborted', iterations: 3 });
    expect(model.weights.length).toBe(6);
  });
});
