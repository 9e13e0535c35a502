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

/**
 * The density ratio behind an f-GAN critic value: log r with f'(r) = T, i.e. log (f')⁻¹(T), the inverse
 * of {@link optimalCritic} (at the optimal critic T*(x) = f'(p(x)/q(x)) it returns log p(x)/q(x)):
 *
 * | divergence | f'(r) | log r from T | T must lie in |
 * |---|---|---|---|
 * | kl | 1 + log r | T − 1 | ℝ |
 * | reverse-kl | −1/r | −log(−T) | (−∞, 0) |
 * | jensen-shannon | ½ log(2r/(r + 1)) | 2T − log(2 − e^{2T}) | (−∞, ½ log 2) |
 * | pearson | 2(r − 1) | log(1 + T/2) | (−2, ∞) |
 * | hellinger | 1 − 1/√r | −2 log(1 − T) | (−∞, 1) |
 *
 * Total variation has f'(r) = ½·sign(r − 1): it is not invertible (the critic only says whether r > 1), so
 * it throws. Values outside the open range f'((0, ∞)) correspond to no ratio and throw as well.
 * @throws DomainError for total variation, an unknown name, T outside the range above or not a number;
 *   NonFiniteError for NaN/±∞ T.
 * @example logDensityRatio('kl', optimalCritic('kl', Math.log(0.5), Math.log(0.25))) // log 2
 */
export function logDensityRatio(divergence: DivergenceInput, T: number): number {
  const where = 'logDensityRatio';
  const d = resolveDivergence(where, divergence);
  if (typeof T !== 'number') throw new DomainError(`${where}: argument 'T' must be a number, got ${describeValue(T)}`);
  if (!Number.isFinite(T)) throw new NonFiniteError(`${where}: argument 'T' must be finite, got ${T}`);
  const outside = (range: string): never => {
    throw new DomainError(`${where}: argument 'T' = ${T} is outside f'((0, ∞)) = ${range} of '${d.name}'; no density ratio has this critic value`);
  };
  switch (d.name) {
    case 'kl':
      return T - 1;
    case 'reverse-kl':
      return T < 0 ? -Math.log(-T) : outside('(−∞, 0)');
    case 'jensen-shannon': {
      if (!(T < 0.5 * Math.LN2)) return outside('(−∞, ½ log 2)');
      // 2 − e^{2T} = −expm1(2T) + 1: written with expm1 so T near ½ log 2 keeps its digits
      return 2 * T - Math.log(1 - Math.expm1(2 * T));
    }
    case 'pearson':
      return T > -2 ? Math.log1p(T / 2) : outside('(−2, ∞)');
    case 'hellinger':
      return T < 1 ? -2 * Math.log1p(-T) : outside('(−∞, 1)');
    default:
      throw new DomainError(
        `${where}: the '${d.name}' critic f'(r) = ½·sign(r − 1) is not invertible; it gives no density ratio (use kl, reverse-kl, jensen-shannon, pearson or hellinger)`,
      );
  }
}
