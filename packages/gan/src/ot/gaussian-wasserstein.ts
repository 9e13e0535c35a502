import { DomainError, describeValue, normalCdf, readNumber } from '@notes/core-linalg';

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
 * @throws NonFiniteError/DomainError for non-finite means, sd ≤ 0 or p ∉ {1, 2}; DomainError when the
 *   distance exceeds 1.8e308 (e.g. means ±1e308).
 * @example gaussianWasserstein1d({ mean: 0, sd: 1 }, { mean: 3, sd: 1 }) // 3
 */
export function gaussianWasserstein1d(P: Normal1d, Q: Normal1d, p: 1 | 2 = 1): number {
  const where = 'gaussianWasserstein1d';
  for (const [name, g] of [
    ['P', P],
    ['Q', Q],
  ] as const) {
    if (typeof g !== 'object' || g === null) {
      throw new DomainError(`${where}: argument '${name}' must be an object { mean, sd }, got ${describeValue(g)}`);
    }
    readNumber(where, `${name}.mean`, g.mean);
    if (!(readNumber(where, `${name}.sd`, g.sd) > 0)) {
      throw new DomainError(`${where}: argument '${name}.sd' must be > 0, got ${describeValue(g.sd)}`);
    }
  }
  if (p !== 1 && p !== 2) throw new DomainError(`${where}: argument 'p' must be 1 or 2, got ${describeValue(p)}`);
  const dm = P.mean - Q.mean;
  const s = Math.abs(P.sd - Q.sd);
  const w = p === 2 ? Math.hypot(dm, s) : s === 0 ? Math.abs(dm) : w1(dm, s);
  if (!Number.isFinite(w)) {
    throw new DomainError(`${where}: W${p} overflows (> 1.8e308; |Δμ| = ${Math.abs(dm)}, |Δσ| = ${s}); rescale both`);
  }
  return w;
}

/** W1 = E|Δμ + Δσ Z| for Δσ = s > 0, with Δμ/s formed once (no Δμ² overflow). */
function w1(dm: number, s: number): number {
  const z = dm / s;
  return s * (Math.sqrt(2 / Math.PI) * Math.exp(-0.5 * z * z) + z * (1 - 2 * normalCdf(-z)));
}
