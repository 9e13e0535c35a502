// SVGP proofs: one natural-gradient step with γ = 1 on the full data lands on the optimal q(u), whose ELBO is
// Titsias' collapsed bound; every other q(u) has a lower ELBO; seeded minibatch steps approach the bound.
import { createRng, sampleNormalArray } from '@notes/core-linalg';
import { describe, expect, test } from 'vitest';
import { constant, product, rbf } from '../kernels/index.js';
import type { Points } from '../kernels/points.js';
import { sgprBound } from './sgpr.js';
import { type SVGPState, svgpElbo, svgpNaturalStep, svgpPrior } from './svgp.js';

const rng = createRng(21);
const n = 60;
const X: Points = { data: Float64Array.from({ length: 2 * n }, () => 4 * rng.uniform()), n, d: 2 };
const e = sampleNormalArray(rng, n, 0, 0.1);
const y = Float64Array.from({ length: n }, (_, i) => Math.sin(X.data[2 * i] as number) * Math.cos(X.data[2 * i + 1] as number) + (e[i] as number));
const Z: Points = { data: Float64Array.from({ length: 2 * 9 }, () => 4 * rng.uniform()), n: 9, d: 2 };
const kernel = product(constant(0.9), rbf({ lengthScale: [0.8, 1.2] }));
const noise = 0.04;
const jitter = 1e-8;
const all = Array.from({ length: n }, (_, i) => i);
const bound = sgprBound(kernel, X, y, Z, noise, jitter, 16, false).value;

describe('SVGP natural gradients (Hensman et al. 2013)', () => {
  test('from the prior, one step with γ = 1 on the full data gives ELBO = the collapsed SGPR bound (1e-9 relative)', () => {
    const q = svgpNaturalStep(kernel, Z, X, y, noise, jitter, svgpPrior(kernel, Z, jitter), all, 1);
    expect(Math.abs(svgpElbo(kernel, Z, X, y, noise, jitter, q) - bound) / Math.abs(bound)).toBeLessThan(1e-9);
  });

  test('from an arbitrary q(u), the γ = 1 step lands on the same optimum; every other q has a lower ELBO', () => {
    const r = createRng(3);
    let q: SVGPState = svgpPrior(kernel, Z, jitter);
    for (let t = 0; t < 5; t++) {
      const idx = Array.from({ length: 7 }, () => Math.floor(r.uniform() * n));
      q = svgpNaturalStep(kernel, Z, X, y, noise, jitter, q, idx, 0.7);
      expect(svgpElbo(kernel, Z, X, y, noise, jitter, q)).toBeLessThan(bound);
    }
    const opt = svgpNaturalStep(kernel, Z, X, y, noise, jitter, q, all, 1);
    expect(Math.abs(svgpElbo(kernel, Z, X, y, noise, jitter, opt) - bound) / Math.abs(bound)).toBeLessThan(1e-9);
  });

  test('seeded minibatch natural-gradient steps (γ = 0.1, batches of 10) approach the bound', () => {
    const r = createRng(5);
    let q: SVGPState = svgpPrior(kernel, Z, jitter);
    const start = svgpElbo(kernel, Z, X, y, noise, jitter, q);
    for (let t = 0; t < 150; t++) {
      const idx = Array.from({ length: 10 }, () => Math.floor(r.uniform() * n));
      q = svgpNaturalStep(kernel, Z, X, y, noise, jitter, q, idx, 0.1);
    }
    const end = svgpElbo(kernel, Z, X, y, noise, jitter, q);
    expect(end).toBeLessThan(bound);
    expect(bound - end).toBeLessThan(0.05 * (bound - start));
  });
});
