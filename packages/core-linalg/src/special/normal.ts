/**
 * Normal distribution functions (stdlib `@stdlib/stats-base-dists-normal-*`; the log-density is written
 * out because stdlib's `normal-logpdf` is not among the core's dependencies). The distribution
 * parameters are validated (typed errors); `x` follows IEEE semantics (NaN in → NaN out).
 */
import stdCdf from '@stdlib/stats-base-dists-normal-cdf';
import stdPdf from '@stdlib/stats-base-dists-normal-pdf';
import stdQuantile from '@stdlib/stats-base-dists-normal-quantile';
import { assertFinite, assertPositive, DomainError } from '../errors/index.js';

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

function checkParams(where: string, mu: number, sd: number): void {
  assertFinite(where, 'mu', mu);
  assertPositive(where, 'sd', sd);
}

/**
 * Normal CDF $\Phi\big(\frac{x-\mu}{\sigma}\big) = \frac12\mathrm{erfc}\big(-\frac{x-\mu}{\sigma\sqrt2}\big)$.
 * @defaultValue mu = 0, sd = 1
 * @throws NonFiniteError / DomainError unless `mu` is finite and `sd > 0`.
 */
export function normalCdf(x: number, mu = 0, sd = 1): number {
  checkParams('normalCdf', mu, sd);
  return stdCdf(x, mu, sd);
}

/**
 * Normal density $\frac{1}{\sigma\sqrt{2\pi}} e^{-(x-\mu)^2/(2\sigma^2)}$.
 * @defaultValue mu = 0, sd = 1
 * @throws NonFiniteError / DomainError unless `mu` is finite and `sd > 0`.
 */
export function normalPdf(x: number, mu = 0, sd = 1): number {
  checkParams('normalPdf', mu, sd);
  return stdPdf(x, mu, sd);
}

/**
 * Normal log-density $-\frac{(x-\mu)^2}{2\sigma^2} - \ln\sigma - \frac12\ln 2\pi$ (no underflow in the tails).
 * @defaultValue mu = 0, sd = 1
 * @throws NonFiniteError / DomainError unless `mu` is finite and `sd > 0`.
 */
export function normalLogPdf(x: number, mu = 0, sd = 1): number {
  checkParams('normalLogPdf', mu, sd);
  const z = (x - mu) / sd;
  return -0.5 * z * z - Math.log(sd) - HALF_LOG_2PI;
}

/**
 * Normal quantile $\Phi^{-1}(p)\sigma + \mu = \mu + \sigma\sqrt2\,\mathrm{erfinv}(2p-1)$; 0 → −∞, 1 → +∞.
 * @defaultValue mu = 0, sd = 1
 * @throws DomainError unless `p ∈ [0, 1]`; NonFiniteError / DomainError for bad `mu`, `sd`.
 */
export function normalQuantile(p: number, mu = 0, sd = 1): number {
  checkParams('normalQuantile', mu, sd);
  if (!(p >= 0 && p <= 1)) throw new DomainError(`normalQuantile: argument 'p' must be in [0, 1], got ${p}`);
  return stdQuantile(p, mu, sd);
}
