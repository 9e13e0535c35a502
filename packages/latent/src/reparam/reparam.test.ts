import { cholesky, createRng } from '@notes/core-linalg';
import { describe, expect, test } from 'vitest';
import { gradientStatistics } from '../discrete/statistics.js';
import { mvnPathwiseGradient, reparamExponential, reparamGamma, reparamLogistic, reparamMultivariateNormal, reparamNormal } from './reparam.js';

// pathwise estimates of ∇θ E[h(y)] against closed forms, within 4 standard errors
const N = 40000;
const within = (draw: () => Float64Array, exact: number[]) => expect(gradientStatistics(draw, N, exact).maxZ).toBeLessThan(4);

describe('Reparameterization trick: pathwise gradients match analytic ones', () => {
  test('normal: h = y², E = μ² + σ², ∇ = (2μ, 2σ)', () => {
    const rng = createRng(1);
    within(() => {
      const s = reparamNormal(rng, 0.7, 1.3);
      return Float64Array.of(2 * s.value * s.dMu, 2 * s.value * s.dSigma);
    }, [1.4, 2.6]);
  });

  test('exponential (rate λ): h = y², E = 2/λ², d/dλ = −4/λ³', () => {
    const rng = createRng(2);
    const lam = 1.7;
    within(() => {
      const s = reparamExponential(rng, lam);
      return Float64Array.of(2 * s.value * s.dRate);
    }, [-4 / lam ** 3]);
  });

  test('gamma via scale: h = y², E = α(α+1)β², d/dβ = 2α(α+1)β (α = 1 is the notes\' row)', () => {
    const rng = createRng(3);
    for (const alpha of [1, 2.5]) {
      const beta = 0.8;
      within(() => {
        const s = reparamGamma(rng, alpha, beta);
        return Float64Array.of(2 * s.value * s.dScale);
      }, [2 * alpha * (alpha + 1) * beta]);
    }
  });

  test('logistic: h = y², E = μ² + s²π²/3, ∇ = (2μ, 2sπ²/3)', () => {
    const rng = createRng(4);
    within(() => {
      const s = reparamLogistic(rng, -0.4, 0.9);
      return Float64Array.of(2 * s.value * s.dMu, 2 * s.value * s.dScale);
    }, [-0.8, (2 * 0.9 * Math.PI ** 2) / 3]);
  });

  test('multivariate normal via Cholesky: h = yᵀBy, ∇μ = (B+Bᵀ)μ, ∇L = tril((B+Bᵀ)L)', () => {
    const rng = createRng(5);
    const mu = [0.5, -1, 2];
    const Sigma = [
      [2, 0.6, 0.2],
      [0.6, 1, -0.3],
      [0.2, -0.3, 1.5],
    ];
    const B = [
      [1, 0.5, 0],
      [0, 2, -0.4],
      [0.3, 0, 0.7],
    ];
    const Bs = B.map((r, i) => r.map((v, j) => v + ((B[j] as number[])[i] as number)));
    const L = reparamMultivariateNormal(rng, mu, Sigma).L.to2DArray();
    const gMu = Bs.map((r) => r.reduce((s, v, j) => s + v * (mu[j] as number), 0));
    const gL: number[] = [];
    for (let a = 0; a < 3; a++) for (let b = 0; b <= a; b++) gL.push((Bs[a] as number[]).reduce((s, v, j) => s + v * ((L[j] as number[])[b] as number), 0));
    const factor = cholesky(Sigma);
    within(() => {
      const s = reparamMultivariateNormal(rng, mu, factor);
      const v = Bs.map((r) => r.reduce((acc, w, j) => acc + w * (s.value[j] as number), 0));
      const g = mvnPathwiseGradient(v, s.noise);
      const out = [...g.dMean];
      for (let a = 0; a < 3; a++) for (let b = 0; b <= a; b++) out.push(g.dL.get(a, b));
      return Float64Array.from(out);
    }, [...gMu, ...gL]);
  });

  test('bad input', () => {
    const rng = createRng(1);
    expect(() => reparamNormal(rng, 0, -1)).toThrow(expect.objectContaining({ code: 'domain' }));
    expect(() => reparamExponential(rng, 0)).toThrow(expect.objectContaining({ code: 'domain' }));
    expect(() => reparamNormal(rng, Number.NaN, 1)).toThrow(expect.objectContaining({ code: 'non-finite' }));
    expect(() => reparamMultivariateNormal(rng, [0, 0], [[1, 0, 0], [0, 1, 0], [0, 0, 1]])).toThrow(expect.objectContaining({ code: 'shape' }));
    expect(() => reparamMultivariateNormal(rng, [0, 0], [[1, 2], [2, 1]])).toThrow(expect.objectContaining({ code: 'not-positive-definite' }));
  });
});
