import { assertFinite, assertNonEmpty, DomainError } from '../errors/index.js';
import { type Rng, assertRng } from './rng.js';
import { gammaOf, prngOf } from './stdlib-streams.js';

/**
 * Dirichlet draw by normalising independent gammas:
 * $g_i \sim \mathrm{Gamma}(\alpha_i, 1)$, $x_i = g_i / \sum_j g_j$, so $\mathbb E[x_i] = \alpha_i/\alpha_0$ and
 * $\mathrm{Var}[x_i] = \alpha_i(\alpha_0-\alpha_i)/(\alpha_0^2(\alpha_0+1))$ (Devroye 1986, §XI.4).
 *
 * Works in log space so that tiny concentrations (α ≪ 1, where a gamma draw underflows to 0) still give
 * a valid point of the simplex: for $\alpha<1$, $\log g = \log g' + \log(u)/\alpha$ with
 * $g' \sim \mathrm{Gamma}(\alpha+1, 1)$, $u \sim U(0,1]$ (Marsaglia & Tsang's boost), then $x = \mathrm{softmax}(\log g)$.
 *
 * @param alpha - concentrations, each finite and > 0 (not mutated).
 * @throws ShapeError if `alpha` is empty; NonFiniteError / DomainError for bad concentrations.
 * @example sampleDirichlet(createRng(1), [1, 2, 3]) // Float64Array summing to 1
 */
export function sampleDirichlet(rng: Rng, alpha: ArrayLike<number>): Float64Array {
  assertRng('sampleDirichlet', rng);
  assertNonEmpty('sampleDirichlet', 'alpha', alpha);
  assertFinite('sampleDirichlet', 'alpha', alpha);
  for (let i = 0; i < alpha.length; i++) {
    if (!((alpha[i] as number) > 0)) {
      throw new DomainError(`sampleDirichlet: argument 'alpha' must be > 0, got ${alpha[i]} at [${i}]`);
    }
  }
  const gamma = gammaOf(rng);
  const prng = prngOf(rng);
  const k = alpha.length;
  const logG = new Float64Array(k);
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < k; i++) {
    const a = alpha[i] as number;
    let lg: number;
    if (a >= 1) {
      lg = Math.log(gamma(a, 1));
    } else {
      lg = Math.log(gamma(a + 1, 1)) + Math.log(1 - prng()) / a; // 1 - u ∈ (0, 1]
    }
    logG[i] = lg;
    if (lg > max) max = lg;
  }
  let sum = 0;
  for (let i = 0; i < k; i++) {
    const e = Math.exp((logG[i] as number) - max);
    logG[i] = e;
    sum += e;
  }
  for (let i = 0; i < k; i++) logG[i] = (logG[i] as number) / sum;
  return logG;
}
