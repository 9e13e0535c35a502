/**
 * `seed` or `rng`: every stochastic function of @notes accepts either.
 */
import { describeValue } from '../errors/describe.js';
import { DomainError } from '../errors/index.js';
import { createRng, type Rng } from './rng.js';

/** The two ways to give a stochastic function its randomness. */
export interface RandomnessOptions {
  /** Seed of a fresh generator (an integer in [0, 2^53)). */
  seed?: number;
  /** A generator from {@link createRng}; it is advanced by the call. */
  rng?: Rng;
}

/**
 * The generator a stochastic function should use: `options.rng` if given, else a new generator seeded
 * with `options.seed`, else one seeded with `defaultSeed` (documented by each function).
 * @throws DomainError when both are given, or either is malformed.
 */
export function resolveRng(where: string, options: RandomnessOptions | undefined, defaultSeed = 0): Rng {
  const seed = options?.seed;
  const rng = options?.rng;
  if (seed !== undefined && rng !== undefined) {
    throw new DomainError(`${where}: give either option 'seed' or option 'rng', not both`);
  }
  if (rng !== undefined) {
    if (typeof rng !== 'object' || rng === null || typeof rng.uniform !== 'function' || typeof rng.normal !== 'function') {
      throw new DomainError(`${where}: option 'rng' must be a generator from createRng, got ${describeValue(rng)}`);
    }
    return rng;
  }
  const s = seed ?? defaultSeed;
  if (typeof s !== 'number' || !Number.isInteger(s) || s < 0 || s > Number.MAX_SAFE_INTEGER) {
    throw new DomainError(`${where}: option 'seed' must be an integer in [0, 2^53), got ${describeValue(s)}`);
  }
  return createRng(s);
}
