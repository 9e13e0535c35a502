/**
 * Normal distribution functions (stdlib `@stdlib/stats-base-dists-normal-*`; the log-density is written
 * out because stdlib's `normal-logpdf` is not among the core's dependencies). The distribution
 * parameters and `x` are validated (typed errors; `x` may be ±Infinity, NaN throws).
 */
import stdCdf from '@stdlib/stats-base-dists-normal-cdf';
import stdPdf from '@stdlib/stats-base-dists-normal-pdf';
import stdQuantile from '@stdlib/stats-base-dists-normal-quantile';
import { assertPositive, DomainError, readNumber } from '../errors/index.js';
import { checkArgument } from './guard.js';

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

function checkParams(where: string, mu: number, sd: number, x: number, xName = 'x'): void {
  checkArgument(where, xName, x);
  readNumber(where, 'mu', mu);
  assertPositive(where, 'sd', sd);
}

/**
 * Normal CDF $\Phi\big(\frac{x-\mu}{\sigma}\big) = \frac12\mathrm{erfc}\big(-\frac{x-\mu}{\sigma\sqrt2}\big)$.
 * @defaultValue mu = 0, sd = 1
 * @throws NonFiniteError / DomainError unless `mu` is finite and `sd > 0`.
 */
export function normalCdf(x: number, mu = 0, sd = 1): number {
  checkParams('normalCdf', mu, sd, x);
  return stdCdf(x, mu, sd);
}

/**
 * Normal density $\frac{1}{\sigma\sqrt{2\pi}} e^{-(x-\mu)^2/(2\sigma^2)}$.
 * @defaultValue mu = 0, sd = 1
 * @throws NonFiniteError / DomainError unless `mu` is finite and `sd > 0`.
 */
export function normalPdf(x: number, mu = 0, sd = 1): number {
  checkParams('normalPdf', mu, sd, x);
  const y = stdPdf(x, mu, sd);
  if (!Number.isNaN(y)) return y;
  // stdlib's pdf is NaN when 1/sd overflows (sd ~ 1e-300): the density is then exp of the log-density
  const z = (x - mu) / sd;
  return Math.exp(-0.5 * z * z - Math.log(sd) - HALF_LOG_2PI);
}

/**
 * Normal log-density $-\frac{(x-\mu)^2}{2\sigma^2} - \ln\sigma - \frac12\ln 2\pi$ (no underflow in the tails).
 * @defaultValue mu = 0, sd = 1
 * @throws NonFiniteError / DomainError unless `mu` is finite and `sd > 0`.
 */
export function normalLogPdf(x: number, mu = 0, sd = 1): number {
  checkParams('normalLogPdf', mu, sd, x);
  const z = (x - mu) / sd;
  return -0.5 * z * z - Math.log(sd) - HALF_LOG_2PI;
}

/**
 * Normal quantile $\Phi^{-1}(p)\sigma + \mu = \mu + \sigma\sqrt2\,\mathrm{erfinv}(2p-1)$; 0 → −∞, 1 → +∞.
 * @defaultValue mu = 0, sd = 1
 * @throws DomainError unless `p ∈ [0, 1]`; NonFiniteError / DomainError for bad `mu`, `sd`.
 */
export function normalQuantile(p: number, mu = 0, sd = 1): number {
  checkParams('normalQuantile', mu, sd, p, 'p');
  if (!(p >= 0 && p <= 1)) throw new DomainError(`normalQuantile: argument 'p' must be in [0, 1], got ${p}`);
  return stdQuantile(p, mu, sd);
}
