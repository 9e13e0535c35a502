/**
 * Coordinate-ascent variational inference for the univariate Gaussian with unknown mean and
 * precision (notes: Mean field approximation, $\log q_j = \mathbb E_{q_{i\ne j}}\log p(X,\theta) + \text{const}$).
 */
import { assertInteger, assertPositive, digamma, gammaln, NonFiniteError, readVector, throwIfAborted, withDefaults } from '@notes/core-linalg';
import { normalGamma, type NormalGammaParams } from '../conjugate/normal-gamma.js';

/** Options of {@link fitCaviGaussian}. */
export interface CaviGaussianOptions {
  /** Normal–Gamma prior μ | τ ~ N(mean, 1/(κτ)), τ ~ Gamma(shape, rate). @defaultValue { mean: 0, kappa: 1, shape: 1, rate: 1 } */
  prior?: NormalGammaParams;
  /** Cap on sweeps (each sweep = update q(τ), then q(μ)). @defaultValue 200 */
  maxIterations?: number;
  /** Converged when the ELBO gain of a sweep is ≤ tol·(1 + |ELBO|). @defaultValue 1e-12 */
  tol?: number;
  onProgress?: (info: { iteration: number; elbo: number; elapsed: number }) => void;
  signal?: AbortSignal;
}

const DEFAULTS = {
  prior: { mean: 0, kappa: 1, shape: 1, rate: 1 },
  maxIterations: 200,
  tol: 1e-12,
} satisfies Pick<Required<CaviGaussianOptions>, 'prior' | 'maxIterations' | 'tol'>;

/** The mean-field posterior q(μ)q(τ) = N(μ | mean, variance) · Gamma(τ | shape, rate). */
export interface CaviGaussianResult {
  readonly qMu: { readonly mean: number; readonly variance: number };
  readonly qTau: { readonly shape: number; readonly rate: number };
  /** Final ELBO. */
  readonly elbo: number;
  /** ELBO after the initialisation and after every single coordinate update (2 per sweep). */
  readonly elboTrace: readonly number[];
  readonly converged: boolean;
  readonly iterations: number;
  readonly reason: 'tol' | 'maxIterations';
}

const LOG_2PI = Math.log(2 * Math.PI);

/**
 * CAVI for $x_i\sim\mathcal N(\mu,\tau^{-1})$ with a Normal–Gamma prior and $q(\mu,\tau)=q(\mu)q(\tau)$ (Bishop 2006, §10.1.3):
 * $$q(\mu)=\mathcal N\big(\mu_N, (\kappa_0+n)^{-1}\mathbb E[\tau]^{-1}\big),\ \mu_N=\tfrac{\kappa_0\mu_0+n\bar x}{\kappa_0+n};\qquad
 *   q(\tau)=\mathrm{Gamma}\big(a_0+\tfrac{n+1}2,\ b_0+\tfrac12\mathbb E_\mu[\textstyle\sum_i(x_i-\mu)^2+\kappa_0(\mu-\mu_0)^2]\big).$$
 * The ELBO $\mathbb E_q[\log p(X,\mu,\tau)] + H[q]$ is computed in closed form after every update, so the
 * trace shows the monotone ascent the notes' algorithm promises.
 * @throws DomainError / ShapeError on empty or non-finite data or invalid prior parameters; NonFiniteError when the
 *   data are so large that Σ(x − x̄)² overflows
 */
export function fitCaviGaussian(data: ArrayLike<number>, options: CaviGaussianOptions = {}): CaviGaussianResult {
  const W = 'fitCaviGaussian';
  const x = readVector(W, 'data', data);
  const o = withDefaults(DEFAULTS, options);
  normalGamma(o.prior); // validates the prior
  assertInteger(W, 'maxIterations', o.maxIterations, 1);
  assertPositive(W, 'tol', o.tol);
  const { mean: m0, kappa: k0, shape: a0, rate: b0 } = o.prior;
  const n = x.length;
  let sum = 0;
  for (const v of x) sum += v;
  const muN = (k0 * m0 + sum) / (k0 + n);
  let ssN = 0; // Σ (x_i − μ_N)²
  for (const v of x) ssN += (v - muN) ** 2;
  if (!Number.isFinite(ssN) || !Number.isFinite(muN)) {
    // |x| near 1e154 or more: Σ(x − μ_N)² overflows and every ELBO would be NaN
    throw new NonFiniteError(`${W}: argument 'data' overflows (sum of squared deviations is ${ssN}); rescale the data`);
  }
  const aN = a0 + (n + 1) / 2;
  // initialise q(τ) at the prior mean of τ
  let bN = (aN * b0) / a0;
  let lamN = (k0 + n) * (aN / bN);
  const elboOf = () => {
    const eTau = aN / bN;
    const eLogTau = digamma(aN) - Math.log(bN);
    const vMu = 1 / lamN;
    const lik = (n / 2) * (eLogTau - LOG_2PI) - (eTau / 2) * (ssN + n * vMu);
    const pMu = 0.5 * (Math.log(k0) - LOG_2PI + eLogTau) - ((k0 * eTau) / 2) * ((muN - m0) ** 2 + vMu);
    const pTau = a0 * Math.log(b0) - gammaln(a0) + (a0 - 1) * eLogTau - b0 * eTau;
    const hMu = 0.5 * (1 + LOG_2PI - Math.log(lamN));
    const hTau = aN - Math.log(bN) + gammaln(aN) + (1 - aN) * digamma(aN);
    return lik + pMu + pTau + hMu + hTau;
  };
  const trace = [elboOf()];
  const start = Date.now();
  let converged = false;
  let it = 0;
  while (it < o.maxIterations) {
    throwIfAborted(W, o.signal);
    it++;
    const prev = trace[trace.length - 1] as number;
    // q(τ) update: E_μ[Σ(x−μ)² + κ0(μ−μ0)²] = ssN + n/λN + κ0((μN−μ0)² + 1/λN)
    bN = b0 + 0.5 * (ssN + n / lamN + k0 * ((muN - m0) ** 2 + 1 / lamN));
    trace.push(elboOf());
    // q(μ) update
    lamN = (k0 + n) * (aN / bN);
    const e = elboOf();
    trace.push(e);
    o.onProgress?.({ iteration: it, elbo: e, elapsed: Date.now() - start });
    if (e - prev <= o.tol * (1 + Math.abs(e))) {
      converged = true;
      break;
    }
  }
  return Object.freeze({
    qMu: Object.freeze({ mean: muN, variance: 1 / lamN }),
    qTau: Object.freeze({ shape: aN, rate: bN }),
    elbo: trace[trace.length - 1] as number,
    elboTrace: Object.freeze(trace),
    converged,
    iterations: it,
    reason: converged ? ('tol' as const) : ('maxIterations' as const),
  });
}
