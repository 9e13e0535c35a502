import { defineOptions, DomainError, describeValue, NonFiniteError, readVector } from '@notes/core-linalg';
import { type DivergenceInput, resolveDivergence } from './resolve.js';

/** Options of {@link fGanBound}. */
export interface FGanBoundOptions {
  /** Weights of the P-side critic outputs (e.g. p_i on a discrete support); uniform if omitted. @defaultValue undefined */
  weightsP?: ArrayLike<number>;
  /** Weights of the Q-side critic outputs; uniform if omitted. @defaultValue undefined */
  weightsQ?: ArrayLike<number>;
}

const OPTIONS = defineOptions<FGanBoundOptions>()('fGanBound', {
  weightsP: { type: 'custom', expected: 'an array of numbers', check: isArrayLike, doc: 'weights of the P-side outputs' },
  weightsQ: { type: 'custom', expected: 'an array of numbers', check: isArrayLike, doc: 'weights of the Q-side outputs' },
});

function isArrayLike(v: unknown): boolean {
  return Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView));
}

function weightedMean(
  where: string,
  name: string,
  values: Float64Array,
  rawWeights: ArrayLike<number> | undefined,
  map: (v: number) => number,
): number {
  if (rawWeights === undefined) {
    // Σ t/n rather than (Σ t)/n: outputs near ±1.8e308 cannot overflow the sum
    let s = 0;
    for (let i = 0; i < values.length; i++) s += map(values[i]!) / values.length;
    return s;
  }
  const weights = readVector(where, `options.${name}`, rawWeights, { length: values.length });
  let big = 0;
  for (let i = 0; i < values.length; i++) {
    const wi = weights[i]!;
    if (wi < 0) throw new DomainError(`${where}: option '${name}' must be non-negative, got ${describeValue(wi)} at [${i}]`);
    big = Math.max(big, wi);
  }
  if (!(big > 0)) throw new DomainError(`${where}: option '${name}' must have a positive sum, got 0`);
  // weights relative to the largest, so Σw cannot overflow (weights near 1e308 gave ∞/∞ = NaN)
  let s = 0;
  let w = 0;
  for (let i = 0; i < values.length; i++) {
    const wi = weights[i]! / big;
    if (wi === 0) continue;
    s += wi * map(values[i]!);
    w += wi;
  }
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
  options?: FGanBoundOptions,
): number {
  const where = 'fGanBound';
  const d = resolveDivergence(where, divergence);
  const o = OPTIONS.parse(options);
  const tp = readVector(where, 'criticOnP', criticOnP);
  const tq = readVector(where, 'criticOnQ', criticOnQ);
  const ep = weightedMean(where, 'weightsP', tp, o.weightsP as ArrayLike<number> | undefined, (t) => t);
  const eq = weightedMean(where, 'weightsQ', tq, o.weightsQ as ArrayLike<number> | undefined, (t) => d.fStar(t));
  if (eq === Number.POSITIVE_INFINITY) return Number.NEGATIVE_INFINITY; // an output outside dom f*
  const bound = ep - eq;
  if (!Number.isFinite(bound)) {
    throw new NonFiniteError(`${where}: the bound overflows (E_P[T] = ${ep}, E_Q[f*(T)] = ${eq}); rescale the critic outputs`);
  }
  return bound;
}

/**
 * The optimal critic T*(x) = f'(p(x)/q(x)) at which {@link fGanBound} equals D_f, from log densities
 * (−∞ for a zero density gives the limit f'(0) or f'(∞), which may be ±∞).
 * @throws NonFiniteError for NaN or +∞ log densities; DomainError when both are −∞ or for an unknown name.
 * @example optimalCritic('kl', Math.log(0.5), Math.log(0.25)) // 1 + log 2
 */
export function optimalCritic(divergence: DivergenceInput, logP: number, logQ: number): number {
  const where = 'optimalCritic';
  const d = resolveDivergence(where, divergence);
  // log densities: −∞ (zero density) is allowed, NaN and +∞ are not
  for (const [name, v] of [
    ['logP', logP],
    ['logQ', logQ],
  ] as const) {
    if (typeof v !== 'number') throw new DomainError(`${where}: argument '${name}' must be a number, got ${describeValue(v)}`);
    if (Number.isNaN(v) || v === Number.POSITIVE_INFINITY) {
      throw new NonFiniteError(`${where}: argument '${name}' must be a log density (finite or −Infinity), got ${v}`);
    }
  }
  if (logP === Number.NEGATIVE_INFINITY && logQ === Number.NEGATIVE_INFINITY) {
    throw new DomainError(`${where}: arguments 'logP' and 'logQ' are both −Infinity; the ratio p/q is undefined there`);
  }
  return d.fPrime(Math.exp(logP - logQ));
}
