/**
 * Monte-Carlo KL divergence and the evidence lower bound (notes: Evidence lower bound,
 * $\log p(X) = \mathcal L(q) + KL(q\|p(\theta\mid X))$).
 */
import { assertInteger, DomainError, monteCarlo, readNumber, type Rng } from '@notes/core-linalg';
import { type RngInput, rngOf } from '../internal/fit.js';

function checkFunctions(where: string, fns: Record<string, unknown>): void {
  for (const [name, f] of Object.entries(fns)) {
    if (typeof f !== 'function') throw new DomainError(`${where}: argument '${name}' must be a function`);
  }
}

/** A Monte-Carlo estimate with its standard error. */
export interface Estimate {
  estimate: number;
  standardError: number;
  n: number;
}

/**
 * $$\widehat{KL}(q\|p) = \frac1n\sum_{s=1}^n[\log q(\theta_s) - \log p(\theta_s)],\quad \theta_s\sim q,$$
 * with standard error $\hat\sigma/\sqrt n$.
 * @throws DomainError if `n` is not an integer ≥ 2
 */
export function monteCarloKL<T>(
  logQ: (theta: T) => number,
  logP: (theta: T) => number,
  sampleQ: (rng: Rng) => T,
  n: number,
  rng: RngInput,
): Estimate {
  assertInteger('monteCarloKL', 'n', readNumber('monteCarloKL', 'n', n), 2);
  checkFunctions('monteCarloKL', { logQ, logP, sampleQ });
  return monteCarlo((t: T) => logQ(t) - logP(t), sampleQ, n, rngOf('monteCarloKL', rng));
}

/**
 * Evidence lower bound by Monte Carlo:
 * $$\mathcal L(q) = \mathbb E_q[\log p(X,\theta) - \log q(\theta)] = \mathbb E_q\log p(X\mid\theta) - KL(q\|p(\theta)).$$
 * `logJoint(θ)` is $\log p(X\mid\theta) + \log p(\theta)$.
 * @throws DomainError if `n` is not an integer ≥ 2
 */
export function elbo<T>(
  logJoint: (theta: T) => number,
  logQ: (theta: T) => number,
  sampleQ: (rng: Rng) => T,
  n: number,
  rng: RngInput,
): Estimate {
  assertInteger('elbo', 'n', readNumber('elbo', 'n', n), 2);
  checkFunctions('elbo', { logJoint, logQ, sampleQ });
  return monteCarlo((t: T) => logJoint(t) - logQ(t), sampleQ, n, rngOf('elbo', rng));
}
