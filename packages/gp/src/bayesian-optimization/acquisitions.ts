/**
 * Acquisition functions for minimisation (notes: Bayesian optimization), all to be **maximised**, from the
 * GP posterior mean μ and standard deviation σ at a point, with $f_\text{best} = \min_i f_i$:
 * - LCB, notes' form: $\alpha = -\mu + \kappa\sigma^2$; usual (GP-UCB/LCB, Srinivas et al. 2010) form: $\alpha = -\mu + \kappa\sigma$.
 * - EI: $\alpha = \Delta\,\Phi(\Delta/\sigma) + \sigma\,\varphi(\Delta/\sigma)$, $\Delta = f_\text{best} - \mu - \xi$ (the notes' formula, ξ = 0).
 * - PI: $\alpha = P(f(x) < f_\text{best} - \xi) = \Phi\big((f_\text{best} - \xi - \mu)/\sigma\big)$.
 *   **Correction to the notes:** they write $\gamma = (\mu - f_\text{best})/\sigma$ and $\Phi(\gamma)$, which is the
 *   probability that f is *above* $f_\text{best}$ (of getting worse). For minimisation $P(f < f_\text{best}) = \Phi((f_\text{best}-\mu)/\sigma)$,
 *   which is what is implemented here.
 * At σ = 0 the limits are used: EI = max(Δ, 0), PI = [Δ > 0].
 */
import { DomainError, NonFiniteError, defineOptions, describeValue, normalCdf, normalPdf, readNumber } from '@notes/core-linalg';

/** Boundary check shared by the acquisitions: finite numbers μ and parameters, finite σ ≥ 0. */
function check(where: string, mu: number, sigma: number, extra: Record<string, number>): void {
  readNumber(where, 'mu', mu);
  readNumber(where, 'sigma', sigma);
  if (sigma < 0) throw new DomainError(`${where}: argument 'sigma' must be >= 0, got ${describeValue(sigma)}`);
  for (const [name, v] of Object.entries(extra)) readNumber(where, name, v);
}

/** Which acquisition to use. */
export type AcquisitionKind = 'ei' | 'pi' | 'lcb' | 'lcb-notes';

/** Parameters of the acquisitions. */
export interface AcquisitionParams {
  /** Incumbent best (lowest) observed value. */
  fBest: number;
  /** Exploration weight κ of LCB. @defaultValue 2 */
  kappa?: number;
  /** Improvement margin ξ of EI and PI. @defaultValue 0 */
  xi?: number;
}

/**
 * Expected improvement below `fBest` of $f\sim\mathcal N(\mu,\sigma^2)$.
 * @throws NonFiniteError for NaN/±Infinity arguments; DomainError for σ < 0.
 */
export function expectedImprovement(mu: number, sigma: number, fBest: number, xi = 0): number {
  check('expectedImprovement', mu, sigma, { fBest, xi });
  const delta = fBest - mu - xi;
  if (!(sigma > 0)) return Math.max(delta, 0);
  const z = delta / sigma;
  return delta * normalCdf(z) + sigma * normalPdf(z);
}

/**
 * Probability of improvement $\Phi((f_\text{best} - \xi - \mu)/\sigma)$ (the notes' γ has the wrong sign for minimisation).
 * @throws NonFiniteError for NaN/±Infinity arguments; DomainError for σ < 0.
 */
export function probabilityOfImprovement(mu: number, sigma: number, fBest: number, xi = 0): number {
  check('probabilityOfImprovement', mu, sigma, { fBest, xi });
  const delta = fBest - mu - xi;
  if (!(sigma > 0)) return delta > 0 ? 1 : 0;
  return normalCdf(delta / sigma);
}

/**
 * LCB acquisition: `'standard'` $-\mu + \kappa\sigma$, `'notes'` $-\mu + \kappa\sigma^2$.
 * @throws NonFiniteError for NaN/±Infinity arguments; DomainError for σ < 0.
 */
export function lowerConfidenceBound(mu: number, sigma: number, kappa = 2, variant: 'standard' | 'notes' = 'standard'): number {
  check('lowerConfidenceBound', mu, sigma, { kappa });
  if (variant !== 'standard' && variant !== 'notes') {
    throw new DomainError(`lowerConfidenceBound: argument 'variant' must be 'standard' or 'notes', got ${describeValue(variant)}`);
  }
  const v = variant === 'notes' ? -mu + kappa * sigma * sigma : -mu + kappa * sigma;
  if (!Number.isFinite(v)) throw new NonFiniteError(`lowerConfidenceBound: the value overflows (${v}) for mu ${mu}, sigma ${sigma}, kappa ${kappa}`);
  return v;
}

const TABLE: Record<AcquisitionKind, (mu: number, sigma: number, p: AcquisitionParams) => number> = {
  ei: (mu, s, p) => expectedImprovement(mu, s, p.fBest, p.xi ?? 0),
  pi: (mu, s, p) => probabilityOfImprovement(mu, s, p.fBest, p.xi ?? 0),
  lcb: (mu, s, p) => lowerConfidenceBound(mu, s, p.kappa ?? 2, 'standard'),
  'lcb-notes': (mu, s, p) => lowerConfidenceBound(mu, s, p.kappa ?? 2, 'notes'),
};

/** Acquisition value of kind `kind` at (μ, σ). @throws DomainError for an unknown kind. */
export function acquisition(kind: AcquisitionKind, mu: number, sigma: number, params: AcquisitionParams): number {
  const f = typeof kind === 'string' && Object.hasOwn(TABLE, kind) ? TABLE[kind] : undefined;
  if (!f) throw new DomainError(`acquisition: argument 'kind' must be one of ${Object.keys(TABLE).join(', ')}, got ${describeValue(kind)}`);
  const p = PARAMS.parse(params);
  if (p.fBest === undefined) throw new DomainError("acquisition: option 'fBest' is required");
  return f(mu, sigma, p as AcquisitionParams);
}

const PARAMS = defineOptions<Partial<AcquisitionParams>>()('acquisition', {
  fBest: { type: 'number', doc: 'incumbent best value' },
  kappa: { type: 'number', min: 0 },
  xi: { type: 'number', min: 0 },
});
