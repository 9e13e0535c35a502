/**
 * Gumbel-max and Gumbel-softmax (notes: "Gumbel-SoftMax trick"; Jang, Gu & Poole 2017; Maddison,
 * Mnih & Teh 2017). Gumbel-max: $z = \arg\max_i[\log\pi_i+\gamma_i]$, $\gamma_i\sim\mathrm{Gumbel}(0,1)$,
 * is an exact draw from $\mathrm{Cat}(\pi)$ (the notes' proof via $\zeta_i/\pi_i\sim\mathrm{Exp}(\pi_i)$).
 * Gumbel-softmax replaces argmax by $\tilde z = \mathrm{softmax}((\log\pi+\gamma)/\tau)$, a reparameterised,
 * differentiable but biased relaxation: $\nabla_\varphi f(\tilde z) = \tfrac1\tau(\mathrm{diag}\,\tilde z-\tilde z\tilde z^\top)\nabla f(\tilde z)$
 * for $\varphi$ = logits. Straight-through evaluates f (and its gradient) at the one-hot $\arg\max$ but
 * back-propagates through the soft sample.
 */
import { defineOptions, type RandomnessOptions, type Rng, resolveRng, sampleGumbel, softmax } from '@notes/core-linalg';
import { assertFiniteResult, MAX_COUNT, RANDOMNESS_RULES, randomnessArgs } from './validate.js';
import { assertLogits, type CategoricalObjective, callGradF, checkObjective, oneHot } from './objective.js';

/** Option table of {@link gumbelMax}: only the randomness. */
const GUMBEL_MAX_OPTIONS = defineOptions<RandomnessOptions>()('gumbelMax', RANDOMNESS_RULES);

/**
 * Gumbel-max draw: $\arg\max_i(\ell_i+\gamma_i)$. Logits need not be normalised. The randomness is a
 * generator `rng` (advanced by the call) or `{ seed }` / `{ rng }` (conventions); neither → seed 0.
 * @example gumbelMax([0, 1, -1], { seed: 3 })
 * @throws ShapeError for empty logits; NonFiniteError for NaN/±Infinity logits; DomainError for a bad generator
 * or seed, or both.
 */
export function gumbelMax(logits: ArrayLike<number>, rng?: Rng | RandomnessOptions): number {
  assertLogits('gumbelMax', logits);
  return gumbelMaxDraw(logits, resolveRng('gumbelMax', GUMBEL_MAX_OPTIONS.parse(randomnessArgs('gumbelMax', rng, undefined)), 0));
}

/** {@link gumbelMax} on checked logits and a resolved generator (the estimators' inner loops). @internal */
export function gumbelMaxDraw(logits: ArrayLike<number>, rng: Rng): number {
  let best = 0;
  let bv = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < logits.length; i++) {
    const v = (logits[i] as number) + sampleGumbel(rng);
    if (v > bv) {
      bv = v;
      best = i;
    }
  }
  return best;
}

/** Options of {@link gumbelSoftmax}. */
export interface GumbelSoftmaxOptions {
  /** Temperature τ > 0. @defaultValue 1 */
  temperature?: number;
}

/** A relaxed sample: soft $\tilde z$, its hard argmax, and the noise used. */
export interface GumbelSoftmaxSample {
  soft: Float64Array;
  hard: number;
  gumbel: Float64Array;
}

/**
 * $\tilde z = \mathrm{softmax}((\ell+\gamma)/\tau)$ with its argmax (the Gumbel-max sample for the same γ).
 * The randomness is a generator `rng` (advanced by the call) or option `seed` / `rng` (conventions); neither → seed 0.
 * @example gumbelSoftmax([0, 1, -1], { seed: 3, temperature: 0.5 }).soft
 * @throws ShapeError for empty logits; NonFiniteError for NaN/±Infinity logits; DomainError for τ ≤ 0, a bad
 * generator or seed, or both.
 */
export function gumbelSoftmax(logits: ArrayLike<number>, rng: Rng, options?: GumbelSoftmaxOptions): GumbelSoftmaxSample;
/** The conventions' form: `seed` or `rng` among the options. */
export function gumbelSoftmax(logits: ArrayLike<number>, options?: GumbelSoftmaxOptions & RandomnessOptions): GumbelSoftmaxSample;
export function gumbelSoftmax(
  logits: ArrayLike<number>,
  rngOrOptions?: Rng | (GumbelSoftmaxOptions & RandomnessOptions),
  options?: GumbelSoftmaxOptions,
): GumbelSoftmaxSample {
  assertLogits('gumbelSoftmax', logits);
  const o = GUMBEL_SOFTMAX_OPTIONS.parse(randomnessArgs('gumbelSoftmax', rngOrOptions, options));
  const rng = resolveRng('gumbelSoftmax', o, 0);
  return gumbelSoftmaxDraw(logits, rng, o.temperature);
}

/** {@link gumbelSoftmax} on checked logits, a resolved generator and τ (the estimators' inner loops). @internal */
function gumbelSoftmaxDraw(logits: ArrayLike<number>, rng: Rng, tau: number): GumbelSoftmaxSample {
  const K = logits.length;
  const gumbel = new Float64Array(K);
  const a = new Float64Array(K);
  let hard = 0;
  for (let i = 0; i < K; i++) {
    gumbel[i] = sampleGumbel(rng);
    a[i] = ((logits[i] as number) + (gumbel[i] as number)) / tau;
    if ((a[i] as number) > (a[hard] as number)) hard = i;
  }
  const soft = softmax(a);
  assertFiniteResult('gumbelSoftmax', 'the relaxed sample', soft);
  return { soft, hard, gumbel };
}

/** Defaults of {@link GumbelSoftmaxGradientOptions} (and of {@link GumbelSoftmaxOptions}' `temperature`). */
export const GUMBEL_SOFTMAX_DEFAULTS = { temperature: 1, straightThrough: false, samples: 1 } satisfies Required<GumbelSoftmaxGradientOptions>;

/** Options of {@link gumbelSoftmaxGradient}. */
export interface GumbelSoftmaxGradientOptions extends GumbelSoftmaxOptions {
  /** Straight-through: f and ∇f at the one-hot argmax, gradient through the soft sample. @defaultValue false */
  straightThrough?: boolean;
  /** Samples averaged in one estimate. @defaultValue 1 */
  samples?: number;
}

/** Option table of {@link gumbelSoftmax}. */
const GUMBEL_SOFTMAX_OPTIONS = defineOptions<GumbelSoftmaxOptions & RandomnessOptions>()('gumbelSoftmax', {
  temperature: { type: 'number', greaterThan: 0, default: 1 },
  ...RANDOMNESS_RULES,
});

/** Option table of {@link gumbelSoftmaxGradient}. */
const GUMBEL_GRADIENT_OPTIONS = defineOptions<GumbelSoftmaxGradientOptions & RandomnessOptions>()('gumbelSoftmaxGradient', {
  temperature: { type: 'number', greaterThan: 0, default: 1 },
  straightThrough: { type: 'boolean', default: false },
  samples: { type: 'integer', min: 1, max: MAX_COUNT, default: 1 },
  ...RANDOMNESS_RULES,
});

/**
 * Pathwise (reparameterised) gradient estimate of $\mathbb E_\gamma f(\tilde z(\gamma,\varphi), x)$ w.r.t. the
 * logits: $\tfrac1M\sum_m\tfrac1\tau(\mathrm{diag}\,\tilde z_m-\tilde z_m\tilde z_m^\top)\nabla f(\hat z_m)$,
 * $\hat z_m = \tilde z_m$ (or the one-hot argmax when straight-through). Biased for the discrete objective;
 * the bias shrinks as $\tau\to0$ while the variance grows (notes: "small τ → high variance"). The randomness is
 * a generator `rng` (advanced by the call) or option `seed` / `rng` (conventions); neither → seed 0.
 * @example gumbelSoftmaxGradient(objective, [0, 0.5, -0.5], { seed: 1, temperature: 0.5, samples: 1000 })
 * @throws DomainError without `objective.gradF`, for τ ≤ 0, a bad generator or seed, or both; ShapeError for
 * wrong logits length.
 */
export function gumbelSoftmaxGradient(objective: CategoricalObjective, logits: ArrayLike<number>, rng: Rng, options?: GumbelSoftmaxGradientOptions): Float64Array;
/** The conventions' form: `seed` or `rng` among the options. */
export function gumbelSoftmaxGradient(objective: CategoricalObjective, logits: ArrayLike<number>, options?: GumbelSoftmaxGradientOptions & RandomnessOptions): Float64Array;
export function gumbelSoftmaxGradient(
  objective: CategoricalObjective,
  logits: ArrayLike<number>,
  rngOrOptions?: Rng | (GumbelSoftmaxGradientOptions & RandomnessOptions),
  options?: GumbelSoftmaxGradientOptions,
): Float64Array {
  checkObjective('gumbelSoftmaxGradient', objective, logits, true);
  const o = GUMBEL_GRADIENT_OPTIONS.parse(randomnessArgs('gumbelSoftmaxGradient', rngOrOptions, options));
  const rng = resolveRng('gumbelSoftmaxGradient', o, 0);
  const tau = o.temperature;
  const M = o.samples;
  const K = objective.categories;
  const C = objective.contexts ?? 1;
  const g = new Float64Array(K);
  for (let m = 0; m < M; m++) {
    const x = C === 1 ? 0 : Math.min(C - 1, Math.floor(rng.uniform() * C));
    const s = gumbelSoftmaxDraw(logits, rng, tau);
    const y = s.soft;
    const z = o.straightThrough ? oneHot(s.hard, K) : y;
    const df = callGradF('gumbelSoftmaxGradient', objective, z, x);
    let ydf = 0;
    for (let k = 0; k < K; k++) ydf += (y[k] as number) * (df[k] as number);
    for (let k = 0; k < K; k++) g[k] += ((y[k] as number) * ((df[k] as number) - ydf)) / tau / M;
  }
  assertFiniteResult('gumbelSoftmaxGradient', 'the gradient', g);
  return g;
}
