/**
 * A ready-made unnormalised model and noise for NCE: the Gaussian known up to its normaliser.
 */
import { assertFinite, assertPositive, readNumber, type Rng, sampleNormal } from '@notes/core-linalg';
import type { NoiseDistribution, UnnormalizedLogDensity } from './fit-nce.js';

/**
 * $\log p^0(u;\mu,\log\tau) = -\tfrac12 e^{\log\tau}(u-\mu)^2$ (1-D); its normaliser is
 * $\log Z = \tfrac12\log(2\pi/\tau)$. Gradient in (μ, log τ).
 */
export const unnormalizedGaussian: UnnormalizedLogDensity = (u, alpha) => {
  const mu = alpha[0] as number;
  const tau = Math.exp(alpha[1] as number);
  const r = (u[0] as number) - mu;
  return { value: -0.5 * tau * r * r, gradient: [tau * r, -0.5 * tau * r * r] };
};

/**
 * Gaussian noise N(mean, sd²) in 1-D for {@link fitNCE}.
 * @throws NonFiniteError if mean or sd is not finite; DomainError if sd ≤ 0
 */
export function gaussianNoise(mean: number, sd: number): NoiseDistribution {
  assertFinite('gaussianNoise', 'mean', readNumber('gaussianNoise', 'mean', mean));
  assertPositive('gaussianNoise', 'sd', readNumber('gaussianNoise', 'sd', sd));
  // log sd and (u − mean)/sd rather than sd²: sd² underflows to 0 for sd below 1e-154
  const c = -0.5 * Math.log(2 * Math.PI) - Math.log(sd);
  return {
    logPdf: (u) => c - 0.5 * (((u[0] as number) - mean) / sd) ** 2,
    sample: (rng: Rng) => Float64Array.of(sampleNormal(rng, mean, sd)),
  };
}
