import { DomainError } from '@notes/core-linalg';
import { F_DIVERGENCES, type FDivergence, type FDivergenceName } from './generators.js';

/** A divergence given by name or as an {@link FDivergence} object. */
export type DivergenceInput = FDivergenceName | FDivergence;

/**
 * Looks up a divergence by name (or passes an object through).
 * @throws DomainError for an unknown name.
 */
export function resolveDivergence(where: string, divergence: DivergenceInput): FDivergence {
  if (typeof divergence === 'object' && divergence !== null) return divergence;
  const d = Object.hasOwn(F_DIVERGENCES, divergence) ? F_DIVERGENCES[divergence] : undefined;
  if (!d) {
    throw new DomainError(
      `${where}: argument 'divergence' must be one of ${Object.keys(F_DIVERGENCES).join(', ')}, got ${String(divergence)}`,
    );
  }
  return d;
}
