/**
 * Normal samplers. They draw only through `rng.normal()`, so unlike `univariate.ts` they import no stdlib
 * sampler: a bundle that uses them (and {@link createRng}) stays free of stdlib-js's CommonJS packages.
 */
import { assertInteger, assertPositive, readNumber } from '../errors/index.js';
import { type Rng, assertRng } from './rng.js';

/**
 * Normal draw $x = \mu + \sigma z$, $z \sim \mathcal N(0,1)$ (the improved ziggurat of Doornik 2005, the same draws as stdlib's `random-base-normal`).
 * @defaultValue mean = 0, sd = 1
 * @throws NonFiniteError for a non-finite mean; DomainError unless `sd > 0`.
 */
export function sampleNormal(rng: Rng, mean = 0, sd = 1): number {
  assertRng('sampleNormal', rng);
  readNumber('sampleNormal', 'mean', mean);
  assertPositive('sampleNormal', 'sd', sd);
  return mean + sd * rng.normal();
}

/**
 * `n` independent normal draws $\mathcal N(\mu, \sigma^2)$ as a `Float64Array`.
 * @defaultValue mean = 0, sd = 1
 * @throws DomainError unless `n` is a non-negative integer and `sd > 0`.
 */
export function sampleNormalArray(rng: Rng, n: number, mean = 0, sd = 1): Float64Array {
  assertRng('sampleNormalArray', rng);
  assertInteger('sampleNormalArray', 'n', n, 0);
  readNumber('sampleNormalArray', 'mean', mean);
  assertPositive('sampleNormalArray', 'sd', sd);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = mean + sd * rng.normal();
  return out;
}
