/**
 * Control variates for the score-function estimator (notes: "Control Variates"):
 * $g = [f(z)-b(z)]\nabla_\varphi\log q(z;\varphi) + \nabla_\varphi\mathbb E_q[b(z)]$.
 *
 * - NVIL (Mnih & Gregor 2014): input-dependent baseline $b(x)$ learned by least squares
 *   $\min_b\mathbb E_x\mathbb E_q[f(z,x)-b(x)]^2$ (here a table over contexts plus a running centre),
 *   and variance normalisation: the learning signal is divided by $\max(1,\sqrt{v})$ where $v$ is a running
 *   variance of the signal (rate α). Without normalisation the estimate is unbiased because b is set before z is drawn.
 * - MuProp (Gu et al. 2016): $b(z) = f(\bar\mu)+\nabla f(\bar\mu)^\top(z-\bar\mu)$, $\bar\mu=\mathbb E_q z=\pi$ held
 *   fixed in b, so $\nabla_\varphi\mathbb E_q b = J_\pi^\top\nabla f(\pi)$ with $J_\pi = \mathrm{diag}\,\pi-\pi\pi^\top$,
 *   the notes' $\nabla_\varphi f(\mu(\varphi))$.
 */
import { DomainError, defineOptions, type RandomnessOptions, type Rng, resolveRng } from '@notes/core-linalg';
import { assertFiniteResult, MAX_COUNT, RANDOMNESS_RULES, randomnessArgs } from './validate.js';
import { gumbelMaxDraw } from './gumbel.js';
import { type CategoricalObjective, callF, callGradF, checkObjective, oneHot } from './objective.js';

/** Option table of {@link muPropGradient}: only the randomness. */
const MUPROP_OPTIONS = defineOptions<RandomnessOptions>()('muPropGradient', RANDOMNESS_RULES);

/**
 * One MuProp estimate (single sample per call, x uniform over contexts). The randomness is a generator `rng`
 * (advanced by the call) or `{ seed }` / `{ rng }` (conventions); neither → seed 0.
 * @example muPropGradient(objective, [0, 0.5, -0.5], { seed: 2 })
 * @throws DomainError without gradF, for a bad generator or seed, or both.
 */
export function muPropGradient(objective: CategoricalObjective, logits: ArrayLike<number>, rng?: Rng | RandomnessOptions): Float64Array {
  const p = checkObjective('muPropGradient', objective, logits, true);
  const r = resolveRng('muPropGradient', MUPROP_OPTIONS.parse(randomnessArgs('muPropGradient', rng, undefined)), 0);
  const K = objective.categories;
  const C = objective.contexts ?? 1;
  const x = C === 1 ? 0 : Math.min(C - 1, Math.floor(r.uniform() * C));
  const k = gumbelMaxDraw(logits, r);
  const fmu = callF('muPropGradient', objective, p, x);
  const dmu = callGradF('muPropGradient', objective, p, x);
  // b(z) = f(π) + ∇f(π)ᵀ(e_k − π)
  let lin = dmu[k] as number;
  for (let j = 0; j < K; j++) lin -= (dmu[j] as number) * (p[j] as number);
  const signal = callF('muPropGradient', objective, oneHot(k, K), x) - fmu - lin;
  // J_πᵀ ∇f(π) = π ⊙ (∇f − πᵀ∇f)
  let pd = 0;
  for (let j = 0; j < K; j++) pd += (p[j] as number) * (dmu[j] as number);
  const g = new Float64Array(K);
  for (let j = 0; j < K; j++) g[j] = signal * ((j === k ? 1 : 0) - (p[j] as number)) + (p[j] as number) * ((dmu[j] as number) - pd);
  assertFiniteResult('muPropGradient', 'the gradient', g);
  return g;
}

/** Options of {@link createNVIL}. */
export interface NVILOptions {
  /** Number of contexts of the baseline table. @defaultValue 1 */
  contexts?: number;
  /** SGD step of the baseline. @defaultValue 0.05 */
  lr?: number;
  /** Rate of the running mean/variance of the signal. @defaultValue 0.8 */
  alpha?: number;
}

/** Defaults of {@link NVILOptions}. */
export const NVIL_DEFAULTS = { contexts: 1, lr: 0.05, alpha: 0.8 } satisfies Required<NVILOptions>;

/** One NVIL step's output. */
export interface NVILEstimate {
  /** Variance-normalised gradient, the one NVIL feeds to the optimiser (a rescaled gradient). */
  gradient: Float64Array;
  /** $[f-b(x)-c]\,\nabla\log q$ before normalisation (unbiased). */
  unbiasedGradient: Float64Array;
  /** Learning signal $f(z,x)-b(x)-c$. */
  signal: number;
}

/** Option table of {@link createNVIL}. */
const NVIL_OPTIONS = defineOptions<NVILOptions>()('createNVIL', {
  contexts: { type: 'integer', min: 1, max: MAX_COUNT, default: 1 },
  lr: { type: 'number', greaterThan: 0, default: 0.05 },
  alpha: { type: 'number', min: 0, lessThan: 1, default: 0.8 },
});

/** Options of {@link NVIL.gradient}. */
export interface NVILGradientOptions {
  /** Update b, c and the running variance after the estimate. @defaultValue true */
  learn?: boolean;
}

/** Option table of {@link NVIL.gradient}. */
const NVIL_GRADIENT_OPTIONS = defineOptions<NVILGradientOptions & RandomnessOptions>()('NVIL.gradient', {
  learn: { type: 'boolean', default: true },
  ...RANDOMNESS_RULES,
});

/** A stateful NVIL estimator with its learned baseline. */
export interface NVIL {
  /**
   * Draws x, z, returns the estimate, then (unless `learn: false`) updates b, c and the running variance.
   * The randomness is a generator `rng` (advanced by the call; use one generator across steps) or option
   * `seed` / `rng` (conventions; a fixed `seed` repeats the same draw at every call); neither → seed 0.
   */
  gradient(objective: CategoricalObjective, logits: ArrayLike<number>, rng: Rng, options?: NVILGradientOptions): NVILEstimate;
  /** The conventions' form: `seed` or `rng` among the options. */
  gradient(objective: CategoricalObjective, logits: ArrayLike<number>, options?: NVILGradientOptions & RandomnessOptions): NVILEstimate;
  /** Current baseline $b(x) + c$ per context (copy). */
  baseline(): Float64Array;
}

/** Creates an NVIL estimator (Mnih & Gregor 2014, §3.3). */
export function createNVIL(options: NVILOptions = {}): NVIL {
  const o = NVIL_OPTIONS.parse(options);
  const C = o.contexts;
  const lr = o.lr;
  const alpha = o.alpha;
  const b = new Float64Array(C);
  let c = 0;
  let v = 1;
  return {
    gradient(objective: CategoricalObjective, logits: ArrayLike<number>, rngOrOptions?: Rng | (NVILGradientOptions & RandomnessOptions), options?: NVILGradientOptions) {
      const p = checkObjective('NVIL.gradient', objective, logits);
      const opts = NVIL_GRADIENT_OPTIONS.parse(randomnessArgs('NVIL.gradient', rngOrOptions, options));
      const rng = resolveRng('NVIL.gradient', opts, 0);
      if ((objective.contexts ?? 1) !== C) throw new DomainError(`NVIL.gradient: objective.contexts must equal the baseline's ${C}`);
      const K = objective.categories;
      const x = C === 1 ? 0 : Math.min(C - 1, Math.floor(rng.uniform() * C));
      const k = gumbelMaxDraw(logits, rng);
      const fz = callF('NVIL.gradient', objective, oneHot(k, K), x);
      const signal = fz - (b[x] as number) - c;
      const scale = 1 / Math.max(1, Math.sqrt(v));
      const unbiasedGradient = new Float64Array(K);
      const gradient = new Float64Array(K);
      for (let j = 0; j < K; j++) {
        const s = (j === k ? 1 : 0) - (p[j] as number);
        unbiasedGradient[j] = signal * s;
        gradient[j] = signal * s * scale;
      }
      if (opts.learn) {
        // centre c tracks the mean signal; b(x) by SGD on (f − b(x) − c)²; running variance of the signal
        c = alpha * c + (1 - alpha) * (fz - (b[x] as number));
        v = alpha * v + (1 - alpha) * signal * signal;
        b[x] = (b[x] as number) + lr * signal;
      }
      assertFiniteResult('NVIL.gradient', 'the gradient', gradient);
      assertFiniteResult('NVIL.gradient', 'the unbiased gradient', unbiasedGradient);
      return { gradient, unbiasedGradient, signal };
    },
    baseline() {
      return b.map((bx) => bx + c);
    },
  };
}
