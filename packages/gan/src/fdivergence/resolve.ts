import { DomainError, describeValue } from '@notes/core-linalg';
import { F_DIVERGENCES, type FDivergence, type FDivergenceName } from './generators.js';

/** A divergence given by name or as an {@link FDivergence} object. */
export type DivergenceInput = FDivergenceName | FDivergence;

/**
 * Looks up a divergence by name (or passes an object through).
 * @throws DomainError for an unknown name or an object without the FDivergence members.
 */
export function resolveDivergence(where: string, divergence: DivergenceInput): FDivergence {
  if (typeof divergence === 'object' && divergence !== null) {
    const d = divergence as unknown as Record<string, unknown>;
    const fns = ['f', 'fStar', 'fPrime', 'activation', 'pointwiseLog'] as const;
    if (fns.some((k) => typeof d[k] !== 'function') || typeof d.slopeAtInfinity !== 'number') {
      throw new DomainError(
        `${where}: argument 'divergence' must be a name (${Object.keys(F_DIVERGENCES).join(', ')}) or an FDivergence object with f, fStar, fPrime, activation, pointwiseLog and slopeAtInfinity, got ${describeValue(divergence)}`,
      );
    }
    return divergence;
  }
  const d = Object.hasOwn(F_DIVERGENCES, divergence) ? F_DIVERGENCES[divergence] : undefined;
  if (!d) {
    throw new DomainError(
      `${where}: argument 'divergence' must be one of ${Object.keys(F_DIVERGENCES).join(', ')}, got ${describeValue(divergence)}`,
    );
  }
  return d;
}
