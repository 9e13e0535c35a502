/**
 * The f-divergence generators of the notes' GAN chapter and of f-GAN (Nowozin, Cseke & Tomioka 2016,
 * Tables 1–2): the convex generator f with f(1) = 0, its convex conjugate f*, its derivative f' (the
 * optimal critic is T*(x) = f'(p(x)/q(x))) and an output activation that maps ℝ into dom f*.
 *
 * $$D_f(P\|Q) = \int q(x)\, f\!\left(\frac{p(x)}{q(x)}\right) dx,\qquad f^*(s) = \sup_{t>0}\, s t - f(t)$$
 *
 * Jensen–Shannon is scaled so that D_f is the Jensen–Shannon divergence itself (bounded by log 2, as
 * in the notes' "Optimal transport" section): f(t) = ½[t log t − (t+1) log((t+1)/2)]. f-GAN's Table 1
 * lists the same divergence with the unscaled generator, whose D_f is 2·JSD.
 */

/** Names of the supported f-divergences. */
export type FDivergenceName = 'kl' | 'reverse-kl' | 'jensen-shannon' | 'total-variation' | 'pearson' | 'hellinger';

/** An f-divergence: generator, conjugate and what f-GAN needs. */
export interface FDivergence {
  /** Identifier. */
  readonly name: FDivergenceName;
  /** Generator f(t), t ≥ 0 (f(0) is the limit t → 0⁺, possibly +∞). Convex with f(1) = 0. */
  f(t: number): number;
  /** Convex conjugate f*(s) = sup_t s·t − f(t); +∞ outside its domain. */
  fStar(s: number): number;
  /** Derivative f'(t) (a subgradient where f is not differentiable). */
  fPrime(t: number): number;
  /** Output activation g_f: ℝ → dom f* (f-GAN Table 2). */
  activation(v: number): number;
  /** lim_{t→∞} f(t)/t: the weight of mass of P where Q has none (+∞ for KL and χ²). */
  readonly slopeAtInfinity: number;
  /**
   * q·f(p/q) from log densities `lp = log p`, `lq = log q` (−∞ for zero mass), computed without
   * forming p/q so tails do not overflow. 0·f(0/0) = 0 and q → 0 gives p·slopeAtInfinity.
   */
  pointwiseLog(lp: number, lq: number): number;
}

const LOG2 = Math.LN2;

/** log(exp(a) + exp(b)) for a, b ∈ [−∞, ∞). */
function logAddExp(a: number, b: number): number {
  if (a === Number.NEGATIVE_INFINITY) return b;
  if (b === Number.NEGATIVE_INFINITY) return a;
  const m = Math.max(a, b);
  return m + Math.log1p(Math.exp(-Math.abs(a - b)));
}

/** x·log(x) with 0·log 0 = 0. */
function xlogx(x: number): number {
  return x === 0 ? 0 : x * Math.log(x);
}

const NEG_INF = Number.NEGATIVE_INFINITY;
const POS_INF = Number.POSITIVE_INFINITY;

/** KL(P‖Q): f(t) = t log t, f*(s) = e^{s−1}. */
export const kl: FDivergence = {
  name: 'kl',
  f: (t) => xlogx(t),
  fStar: (s) => Math.exp(s - 1),
  fPrime: (t) => 1 + Math.log(t),
  activation: (v) => v,
  slopeAtInfinity: POS_INF,
  pointwiseLog(lp, lq) {
    if (lp === NEG_INF) return 0;
    if (lq === NEG_INF) return POS_INF;
    return Math.exp(lp) * (lp - lq); // p log(p/q)
  },
};

/** Reverse KL, KL(Q‖P): f(t) = −log t, f*(s) = −1 − log(−s) for s < 0. */
export const reverseKl: FDivergence = {
  name: 'reverse-kl',
  f: (t) => -Math.log(t),
  fStar: (s) => (s < 0 ? -1 - Math.log(-s) : POS_INF),
  fPrime: (t) => -1 / t,
  activation: (v) => -Math.exp(-v),
  slopeAtInfinity: 0,
  pointwiseLog(lp, lq) {
    if (lq === NEG_INF) return 0;
    if (lp === NEG_INF) return POS_INF;
    return Math.exp(lq) * (lq - lp); // q log(q/p)
  },
};

/**
 * Jensen–Shannon: f(t) = ½[t log t − (t+1) log((t+1)/2)], so D_f = ½KL(P‖M) + ½KL(Q‖M), M = (P+Q)/2.
 * f*(s) = −½ log(2 − e^{2s}) for s < ½ log 2.
 */
export const jensenShannon: FDivergence = {
  name: 'jensen-shannon',
  f: (t) => 0.5 * (xlogx(t) - (t + 1) * Math.log((t + 1) / 2)),
  fStar: (s) => (s < 0.5 * LOG2 ? -0.5 * Math.log(2 - Math.exp(2 * s)) : POS_INF),
  // ½ log(2t/(t+1)) written as ½(log 2 − log1p(1/t)): the limits ½ log 2 (t = ∞) and −∞ (t = 0) instead of NaN
  fPrime: (t) => 0.5 * (LOG2 - Math.log1p(1 / t)),
  // ½(log 2 − softplus(−v)) ∈ (−∞, ½ log 2)
  activation: (v) => 0.5 * (LOG2 - (v > 0 ? Math.log1p(Math.exp(-v)) : -v + Math.log1p(Math.exp(v)))),
  slopeAtInfinity: 0.5 * LOG2,
  pointwiseLog(lp, lq) {
    const lm = logAddExp(lp, lq) - LOG2; // log of the midpoint density
    const a = lp === NEG_INF ? 0 : Math.exp(lp) * (lp - lm);
    const b = lq === NEG_INF ? 0 : Math.exp(lq) * (lq - lm);
    return 0.5 * (a + b);
  },
};

/** Total variation (the notes' ½|t − 1|): f*(s) = s on [−½, ½], +∞ outside. D_f = ½∫|p − q|. */
export const totalVariation: FDivergence = {
  name: 'total-variation',
  f: (t) => 0.5 * Math.abs(t - 1),
  fStar: (s) => (Math.abs(s) <= 0.5 ? s : POS_INF),
  fPrime: (t) => (t > 1 ? 0.5 : t < 1 ? -0.5 : 0),
  activation: (v) => 0.5 * Math.tanh(v),
  slopeAtInfinity: 0.5,
  pointwiseLog(lp, lq) {
    if (lp === NEG_INF && lq === NEG_INF) return 0;
    const hi = Math.max(lp, lq);
    const d = Math.abs(lp - lq);
    return 0.5 * Math.exp(hi) * -Math.expm1(-d); // ½|p − q|
  },
};

/** Pearson χ²: f(t) = (t − 1)², f*(s) = s²/4 + s. D_f = ∫(p − q)²/q. */
export const pearson: FDivergence = {
  name: 'pearson',
  f: (t) => (t - 1) * (t - 1),
  fStar: (s) => 0.25 * s * s + s,
  fPrime: (t) => 2 * (t - 1),
  activation: (v) => v,
  slopeAtInfinity: POS_INF,
  pointwiseLog(lp, lq) {
    if (lq === NEG_INF) return lp === NEG_INF ? 0 : POS_INF;
    if (lp === NEG_INF) return Math.exp(lq);
    const e = Math.expm1(lp - lq); // r − 1
    return Math.exp(lq) * e * e;
  },
};

/** Squared Hellinger (f-GAN's convention): f(t) = (√t − 1)², f*(s) = s/(1 − s) for s < 1. D_f = ∫(√p − √q)². */
export const hellinger: FDivergence = {
  name: 'hellinger',
  f: (t) => (Math.sqrt(t) - 1) * (Math.sqrt(t) - 1),
  fStar: (s) => (s < 1 ? s / (1 - s) : POS_INF),
  fPrime: (t) => 1 - 1 / Math.sqrt(t),
  activation: (v) => -Math.expm1(-v),
  slopeAtInfinity: 1,
  pointwiseLog(lp, lq) {
    if (lp === NEG_INF && lq === NEG_INF) return 0;
    const hi = Math.max(lp, lq);
    const e = Math.expm1(-0.5 * Math.abs(lp - lq));
    return Math.exp(hi) * e * e; // (√p − √q)²
  },
};

/** All divergences by name (a lookup table, not a switch). */
export const F_DIVERGENCES: Readonly<Record<FDivergenceName, FDivergence>> = Object.freeze({
  kl,
  'reverse-kl': reverseKl,
  'jensen-shannon': jensenShannon,
  'total-variation': totalVariation,
  pearson,
  hellinger,
});
