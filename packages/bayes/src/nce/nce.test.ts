import { createRng, sampleNormal } from '@notes/core-linalg';
import { describe, expect, test } from 'vitest';
import { expectAbortReportsElapsed } from '../testing/abort-partial.js';
import { meanAndSE } from '../testing/quadrature.js';
import { fitNCE } from './fit-nce.js';
import { gaussianNoise, unnormalizedGaussian } from './gaussian-model.js';

const MU = 1;
const SD = 0.5;
const TAU = 1 / (SD * SD);
const LOGZ = 0.5 * Math.log((2 * Math.PI) / TAU);

function run(seed: number, n: number, nu: number) {
  const rng = createRng(seed);
  const x = Float64Array.from({ length: n }, () => sampleNormal(rng, MU, SD));
  return fitNCE(x, { model: unnormalizedGaussian, alpha0: [0, 0], noise: gaussianNoise(0, 2), noiseRatio: nu, seed: seed + 1000 });
}

describe('Noise-contrastive estimation', () => {
  test('recovers μ, τ and log Z of a Gaussian known up to its normaliser (mean over seeds within 3 SE)', () => {
    const fits = Array.from({ length: 16 }, (_, s) => run(s, 1000, 4));
    for (const f of fits) expect(f.report.converged).toBe(true);
    const mu = meanAndSE(fits.map((f) => f.alpha[0]!));
    const lt = meanAndSE(fits.map((f) => f.alpha[1]!));
    const lz = meanAndSE(fits.map((f) => f.logZ));
    expect(Math.abs(mu.mean - MU)).toBeLessThan(3 * mu.se);
    expect(Math.abs(lt.mean - Math.log(TAU))).toBeLessThan(3 * lt.se + 2e-3); // O(1/n) bias allowance
    expect(Math.abs(lz.mean - LOGZ)).toBeLessThan(3 * lz.se + 2e-3);
    expect(lz.sd).toBeLessThan(0.1);
  });

  test('the estimate of log Z tightens as the noise ratio ν grows', () => {
    const spread = (nu: number) => meanAndSE(Array.from({ length: 10 }, (_, s) => run(100 + s, 300, nu).logZ - LOGZ).map((e) => e * e)).mean;
    expect(spread(10)).toBeLessThan(spread(1));
  });

  test("ν = 1: the estimate maximises the notes' L(θ) = 1/(2T) Σ log h(x_t) + log(1 − h(y_t)), h = p_m/(p_m + p_n)", () => {
    const rng = createRng(7);
    const x = Array.from({ length: 400 }, () => sampleNormal(rng, MU, SD));
    const f = fitNCE(x, { model: unnormalizedGaussian, alpha0: [0, 0], noise: gaussianNoise(0, 2), seed: 8 });
    const nrng = createRng(8); // fitNCE draws its noise sample first from its own rng
    const y = Array.from({ length: 400 }, () => sampleNormal(nrng, 0, 2));
    const logPn = (u: number) => -0.5 * Math.log(2 * Math.PI * 4) - (u * u) / 8;
    const L = (mu: number, lt: number, c: number) => {
      const logPm = (u: number) => -0.5 * Math.exp(lt) * (u - mu) ** 2 + c;
      const h = (u: number) => 1 / (1 + Math.exp(logPn(u) - logPm(u)));
      let s = 0;
      for (let t = 0; t < 400; t++) s += Math.log(h(x[t]!)) + Math.log(1 - h(y[t]!));
      return s / 800;
    };
    const th = [f.alpha[0]!, f.alpha[1]!, f.c] as const;
    expect(L(...th)).toBeCloseTo(f.objective / 2, 10);
    const e = 1e-5;
    for (let j = 0; j < 3; j++) {
      const up = [...th] as [number, number, number];
      const dn = [...th] as [number, number, number];
      up[j] += e;
      dn[j] -= e;
      expect(Math.abs((L(...up) - L(...dn)) / (2 * e))).toBeLessThan(1e-6);
      expect(L(...th)).toBeGreaterThanOrEqual(Math.max(L(...up), L(...dn)));
    }
  });

  test('bad input → typed errors naming the argument', () => {
    const base = { model: unnormalizedGaussian, alpha0: [0, 0], noise: gaussianNoise(0, 2) };
    expect(() => fitNCE([1, 2], { ...base, noiseRatio: 0 })).toThrow(/'noiseRatio'/);
    expect(() => fitNCE([1, 2], { ...base, alpha0: [Number.NaN, 0] })).toThrow(/'alpha0'/);
    expect(() => fitNCE([], base)).toThrow(/'data'/);
    expect(() => fitNCE([[1, 2]], base)).toThrow(/'noise'/);
    expect(() => fitNCE([1, 2], { ...base, maxIterations: -3 })).toThrow(/^fitNCE: option 'maxIterations'/);
    // progress reports every iteration with the objective the result reports (−J), and abort stops the fit
    const seen: { iteration: number; objective: number }[] = [];
    const r = fitNCE([0.1, 0.5, -0.3, 0.2], { ...base, onProgress: (i) => seen.push(i) });
    expect(seen.length).toBe(r.report.iterations);
    expect(seen.map((s) => s.iteration)).toEqual(Array.from({ length: r.report.iterations }, (_, i) => i + 1));
    expect(-seen[seen.length - 1]!.objective).toBeCloseTo(r.objective, 12);
    const c = new AbortController();
    c.abort();
    expect(() => fitNCE([1, 2], { ...base, signal: c.signal })).toThrow(expect.objectContaining({ code: 'aborted' }));
    // noise N(100, 0.01²) never comes near data at 1: J is saturated at 0 with a zero gradient, so the fit would
    // stop at alpha0 and report convergence; it is a DomainError naming the noise instead
    expect(() => fitNCE([1, 1.2, 0.8], { ...base, noise: gaussianNoise(100, 0.01) })).toThrow(
      expect.objectContaining({ code: 'domain', message: expect.stringMatching(/'noise'/) }),
    );
    expect(() => gaussianNoise(0, -1)).toThrow(expect.objectContaining({ code: 'domain', message: expect.stringMatching(/'sd'/) }));
    expect(() => gaussianNoise(Number.NaN, 1)).toThrow(expect.objectContaining({ code: 'non-finite' }));
  });

  test("an abort's partial report gives the wall-clock time spent (elapsedMs was 0)", () => {
    const rng = createRng(3);
    const x = Float64Array.from({ length: 200 }, () => sampleNormal(rng, MU, SD));
    expectAbortReportsElapsed((hooks) => fitNCE(x, { model: unnormalizedGaussian, alpha0: [0, 0], noise: gaussianNoise(0, 2), ...hooks }));
  });
});
