import { assertFinite, assertLength, assertNonEmpty, assertNonNegative, DomainError } from '@notes/core-linalg';
import { type DivergenceInput, resolveDivergence } from './resolve.js';

/** Options of {@link fGanBound}. */
export interface FGanBoundOptions {
  /** Weights of the P-side critic outputs (e.g. p_i on a discrete support); uniform if omitted. @defaultValue undefined */
  weightsP?: ArrayLike<number>;
  /** Weights of the Q-side critic outputs; uniform if omitted. @defaultValue undefined */
  weightsQ?: ArrayLike<number>;
}

function weightedMean(
  where: string,
  name: string,
  values: ArrayLike<number>,
  weights: ArrayLike<number> | undefined,
  map: (v: number) => number,
): number {
  if (weights === undefined) {
    let s = 0;
    for (let i = 0; i < values.length; i++) s += map(values[i] as number);
    return s / values.length;
  }
  assertLength(where, name, weights, values.length, 'one weight per critic output');
  assertFinite(where, name, weights);
  let s = 0;
  let w = 0;
  for (let i = 0; i < values.length; i++) {
    const wi = weights[i] as number;
    assertNonNegative(where, `${name}[${i}]`, wi);
    if (wi === 0) continue;
    s += wi * map(values[i] as number);
    w += wi;
  }
  if (!(w > 0)) throw new DomainError(`${where}: argument '${name}' must have a positive sum, got ${w}`);
  return s / w;
}

/**
 * The f-GAN variational lower bound from critic outputs T(x) on samples of P and of Q
 * (Nguyen, Wainwright & Jordan 2010; Nowozin et al. 2016, eq. 4):
 * $$D_f(P\|Q) \ge \mathbb{E}_{P}[T(x)] - \mathbb{E}_{Q}[f^*(T(x))]$$
 * for every critic T, with equality at T*(x) = f'(p(x)/q(x)) ({@link optimalCritic}). Outputs outside
 * dom f* give −∞ (apply the divergence's `activation` to raw network outputs first). With `weightsP` /
 * `weightsQ` set to the probabilities of a discrete support the expectations are exact.
 * @throws ShapeError for empty inputs or weight length mismatch; NonFiniteError for NaN/±∞ critic outputs;
 *   DomainError for negative weights or an unknown divergence.
 * @example fGanBound('kl', [1, 1], [0, 0]) // 1 − e^{−1} ≈ 0.632
 */
export function fGanBound(
  divergence: DivergenceInput,
  criticOnP: ArrayLike<number>,
  criticOnQ: ArrayLike<number>,
  options: FGanBoundOptions = {},
): number {
  const where = 'fGanBound';
  const d = resolveDivergence(where, divergence);
  assertNonEmpty(where, 'criticOnP', criticOnP);
  assertNonEmpty(where, 'criticOnQ', criticOnQ);
  assertFinite(where, 'criticOnP', criticOnP);
  assertFinite(where, 'criticOnQ', criticOnQ);
  const ep = weightedMean(where, 'weightsP', criticOnP, options.weightsP, (t) => t);
  const eq = weightedMean(where, 'weightsQ', criticOnQ, options.weightsQ, (t) => d.fStar(t));
  return eq === Number.POSITIVE_INFINITY ? Number.NEGATIVE_INFINITY : ep - eq;
}

/**
 * The optimal critic T*(x) = f'(p(x)/q(x)) at which {@link fGanBound} equals D_f, from log densities.
 * @example optimalCritic('kl', Math.log(0.5), Math.log(0.25)) // 1 + log 2
 */
export function optimalCritic(divergence: DivergenceInput, logP: number, logQ: number): number {
  const d = resolveDivergence('optimalCritic', divergence);
  return d.fPrime(Math.exp(logP - logQ));
}
