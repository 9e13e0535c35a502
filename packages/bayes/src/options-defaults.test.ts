import { createRng, sampleNormal } from '@notes/core-linalg';
import { describe, expect, test } from 'vitest';
import type { DPMMBase } from './dpmm/families.js';
import { fitDPMM } from './dpmm/fit-dpmm.js';
import { mapEstimate } from './map/map-estimate.js';
import { fitNCE } from './nce/fit-nce.js';
import { gaussianNoise, unnormalizedGaussian } from './nce/gaussian-model.js';
import { fitCaviGaussian } from './variational/cavi-gaussian.js';
import { fitVariationalGMM } from './variational/vbgmm.js';

// Regression: `{ ...DEFAULTS, ...options }` let an explicit `undefined` erase a default (callers that
// forward their own optional values). Each fit with every defaulted option set to `undefined` must equal
// the fit without those keys.

/** toJSON without wall-clock times (two runs differ only there). */
function untimed(m: { toJSON(): unknown }): unknown {
  return JSON.parse(JSON.stringify(m.toJSON(), (k, v) => (k === 'elapsedMs' ? undefined : v)));
}

const rng = createRng(11);
const x1 = Array.from({ length: 60 }, () => sampleNormal(rng, 1, 0.5));
const X2 = Array.from({ length: 40 }, (_, i) => [sampleNormal(rng, i < 20 ? -3 : 3, 0.5), sampleNormal(rng, 0, 0.5)]);

describe('Mean-field variational inference: explicit undefined options keep the defaults', () => {
  test('fitCaviGaussian', () => {
    const ref = fitCaviGaussian(x1);
    expect(untimed(fitCaviGaussian(x1, { prior: undefined, maxIterations: undefined, tol: undefined }))).toEqual(untimed(ref));
  });

  test('fitVariationalGMM', () => {
    const ref = fitVariationalGMM(X2, { components: 3 });
    const unset = { meanPrecision: undefined, regCovar: undefined, maxIterations: undefined, tol: undefined, init: undefined, seed: undefined };
    expect(untimed(fitVariationalGMM(X2, { components: 3, ...unset }))).toEqual(untimed(ref));
    expect(untimed(fitVariationalGMM(X2, { components: undefined, maxIterations: 30 }))).toEqual(untimed(fitVariationalGMM(X2, { maxIterations: 30 })));
  });
});

describe('Maximum a posterior estimation: explicit undefined options keep the defaults', () => {
  test('mapEstimate', () => {
    const ll = (t: Float64Array) => ({ value: -((t[0]! - 2) ** 2), gradient: [-2 * (t[0]! - 2)] });
    const lp = (t: Float64Array) => ({ value: -0.5 * t[0]! ** 2, gradient: [-t[0]!] });
    const ref = mapEstimate(ll, lp, [0]);
    expect(untimed(mapEstimate(ll, lp, [0], { maxIterations: undefined, gradTol: undefined }))).toEqual(untimed(ref));
  });
});

describe('Dirichlet process mixture: explicit undefined options keep the defaults', () => {
  test('fitDPMM', () => {
    const base: DPMMBase = { type: 'normal', mean: [0, 0], covariance: [[25, 0], [0, 25]], noiseCovariance: [[0.25, 0], [0, 0.25]] };
    const ref = fitDPMM(X2, { base, iterations: 30, burnIn: 10 });
    const unset = { alpha: undefined, sampler: undefined, thin: undefined, initialClusters: undefined, seed: undefined };
    expect(untimed(fitDPMM(X2, { base, iterations: 30, burnIn: 10, ...unset }))).toEqual(untimed(ref));
  });
});

describe('Noise-contrastive estimation: explicit undefined options keep the defaults', () => {
  test('fitNCE', () => {
    const base = { model: unnormalizedGaussian, alpha0: [0, 0], noise: gaussianNoise(0, 2) };
    const ref = fitNCE(x1, base);
    const unset = { c0: undefined, noiseRatio: undefined, seed: undefined, maxIterations: undefined, gradTol: undefined };
    expect(untimed(fitNCE(x1, { ...base, ...unset }))).toEqual(untimed(ref));
  });
});
