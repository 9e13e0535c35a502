import { assertFinite, assertPositive, DomainError, normalCdf } from '@notes/core-linalg';

/** A univariate Gaussian N(mean, sd²). */
export interface Normal1d {
  mean: number;
  sd: number;
}

/**
 * W_p between two univariate Gaussians in closed form. The optimal map is monotone,
 * T(x) = μ_2 + (σ_2/σ_1)(x − μ_1), so W_p^p = E|Δμ + Δσ Z|^p with Z ~ N(0, 1):
 * $$W_1 = s\sqrt{2/\pi}\,e^{-\Delta\mu^2/2s^2} + \Delta\mu\,(1 - 2\Phi(-\Delta\mu/s)),\ s = |\Delta\sigma|;\qquad
 *   W_2 = \sqrt{\Delta\mu^2 + \Delta\sigma^2}$$
 * With equal variances both equal |μ_1 − μ_2| (the notes' example of a metric that, unlike JS, keeps
 * decreasing as two distributions approach).
 * @throws NonFiniteError/DomainError for non-finite means, sd ≤ 0 or p ∉ {1, 2}.
 * @example gaussianWasserstein1d({ mean: 0, sd: 1 }, { mean: 3, sd: 1 }) // 3
 */
export function gaussianWasserstein1d(P: Normal1d, Q: Normal1d, p: 1 | 2 = 1): number {
  const where = 'gaussianWasserstein1d';
  assertFinite(where, 'P.mean', P.mean);
  assertFinite(where, 'Q.mean', Q.mean);
  assertPositive(where, 'P.sd', P.sd);
  assertPositive(where, 'Q.sd', Q.sd);
  const dm = P.mean - Q.mean;
  const s = Math.abs(P.sd - Q.sd);
  if (p === 2) return Math.hypot(dm, s);
  if (p !== 1) throw new DomainError(`${where}: argument 'p' must be 1 or 2, got ${p}`);
  if (s === 0) return Math.abs(dm);
  return s * Math.sqrt(2 / Math.PI) * Math.exp(-(dm * dm) / (2 * s * s)) + dm * (1 - 2 * normalCdf(-dm / s));
}
