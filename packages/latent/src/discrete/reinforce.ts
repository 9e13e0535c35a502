/**
 * REINFORCE / score-function estimator (notes: "Reinforce estimator"; Williams 1992):
 * $g = \tfrac1M\sum_m (f(z_m)-c)\,\nabla_\varphi\log q(z_m;\varphi)$, $z_m\sim q$, unbiased for any constant
 * baseline c because $\mathbb E_q[\nabla_\varphi\log q]=0$. The notes' optimal constant (control variates, case 1)
 * minimises the total variance $\sum_j\mathrm{Var}(g_j)$:
 * $c^* = \dfrac{\sum_j\mathrm{Cov}(f s_j, s_j)}{\sum_j\mathrm{Var}(s_j)} = \dfrac{\mathbb E[f\,\|s\|^2]}{\mathbb E[\|s\|^2]}$, $s=\nabla_\varphi\log q$.
 * (The notes also state $\mathrm{Var}_{\min} = \mathrm{Var}(V) - \mathrm{Cov}^2/\mathrm{Var}^2(W)$; the correct
 * minimum is $\mathrm{Var}(V) - \mathrm{Cov}^2(V,W)/\mathrm{Var}(W)$.)
 */
import { DomainError, defineOptions, NonFiniteError, type RandomnessOptions, type Rng, readMatrix, readNumber, readVector, resolveRng, ShapeError } from '@notes/core-linalg';
import { assertFiniteResult, MAX_COUNT, RANDOMNESS_RULES, randomnessArgs } from './validate.js';
import { gumbelMaxDraw } from './gumbel.js';
import { type CategoricalObjective, callF, categoricalScore, checkObjective, oneHot } from './objective.js';

/** Options of {@link reinforceGradient}. */
export interface ReinforceOptions {
  /** Samples M averaged in one estimate. @defaultValue 1 */
  samples?: number;
  /** Constant baseline c. @defaultValue 0 */
  baseline?: number;
}

/** Defaults of {@link ReinforceOptions}. */
export const REINFORCE_DEFAULTS = { samples: 1, baseline: 0 } satisfies Required<ReinforceOptions>;

/** Option table of {@link reinforceGradient}. */
const REINFORCE_OPTIONS = defineOptions<ReinforceOptions & RandomnessOptions>()('reinforceGradient', {
  samples: { type: 'integer', min: 1, max: MAX_COUNT, default: 1 },
  baseline: { type: 'number', default: 0 },
  ...RANDOMNESS_RULES,
});

/**
 * One REINFORCE estimate (z drawn by Gumbel-max, x uniform over contexts). The randomness is either a
 * generator `rng` (advanced by the call) or, in the conventions' form, option `seed` (a fresh generator; the
 * same seed gives the same estimate) or option `rng`; neither → seed 0.
 * @example reinforceGradient(objective, [0, 0.5, -0.5], { seed: 1, samples: 1000 })
 * @throws DomainError for bad options, or for both `seed` and `rng`; ShapeError / NonFiniteError for bad logits.
 */
export function reinforceGradient(objective: CategoricalObjective, logits: ArrayLike<number>, rng: Rng, options?: ReinforceOptions): Float64Array;
/** The conventions' form: `seed` or `rng` among the options. */
export function reinforceGradient(objective: CategoricalObjective, logits: ArrayLike<number>, options?: ReinforceOptions & RandomnessOptions): Float64Array;
export function reinforceGradient(
  objective: CategoricalObjective,
  logits: ArrayLike<number>,
  rngOrOptions?: Rng | (ReinforceOptions & RandomnessOptions),
  options?: ReinforceOptions,
): Float64Array {
  const p = checkObjective('reinforceGradient', objective, logits);
  const o = REINFORCE_OPTIONS.parse(randomnessArgs('reinforceGradient', rngOrOptions, options));
  const rng = resolveRng('reinforceGradient', o, 0);
  const M = o.samples;
  const c = o.baseline;
  const K = objective.categories;
  const C = objective.contexts ?? 1;
  const g = new Float64Array(K);
  for (let m = 0; m < M; m++) {
    const x = C === 1 ? 0 : Math.min(C - 1, Math.floor(rng.uniform() * C));
    const k = gumbelMaxDraw(logits, rng);
    const w = (callF('reinforceGradient', objective, oneHot(k, K), x) - c) / M;
    for (let j = 0; j < K; j++) g[j] += w * ((j === k ? 1 : 0) - (p[j] as number));
  }
  assertFiniteResult('reinforceGradient', 'the gradient', g);
  return g;
}

/** Exact $c^* = \mathbb E[f\|s\|^2]/\mathbb E[\|s\|^2]$ by enumeration (the constant with least total variance). */
export function optimalBaseline(objective: CategoricalObjective, logits: ArrayLike<number>): number {
  const p = checkObjective('optimalBaseline', objective, logits);
  const K = objective.categories;
  const C = objective.contexts ?? 1;
  let num = 0;
  let den = 0;
  for (let x = 0; x < C; x++) {
    for (let k = 0; k < K; k++) {
      const s = categoricalScore(k, p);
      let s2 = 0;
      for (const v of s) s2 += v * v;
      const w = (p[k] as number) / C;
      num += w * callF('optimalBaseline', objective, oneHot(k, K), x) * s2;
      den += w * s2;
    }
  }
  if (!(den > 0)) throw new DomainError('optimalBaseline: every score is zero (the logits put all mass on one category), so c* is undefined');
  assertFiniteResult('optimalBaseline', 'c*', num / den);
  return num / den;
}

/**
 * Sample estimate of $c^*$ from pilot draws: $\sum_m f_m\|s_m\|^2/\sum_m\|s_m\|^2$. Use draws independent of
 * the ones the baseline is applied to, or the estimator picks up a bias of order 1/M.
 * @throws DomainError for empty or unequal inputs or all-zero scores (c* undefined); NonFiniteError for NaN/±Infinity.
 */
export function estimateOptimalBaseline(fValues: ArrayLike<number>, scores: ArrayLike<ArrayLike<number>>): number {
  const fv = readVector('estimateOptimalBaseline', 'fValues', fValues);
  const S = readMatrix('estimateOptimalBaseline', 'scores', scores);
  if (S.rows !== fv.length) throw new ShapeError(`estimateOptimalBaseline: argument 'scores' must have ${fv.length} rows (one per f value), got ${S.rows}`);
  fValues = fv;
  scores = Array.from({ length: S.rows }, (_, m) => S.data.subarray(m * S.columns, (m + 1) * S.columns));
  let num = 0;
  let den = 0;
  for (let m = 0; m < fValues.length; m++) {
    const s = scores[m] as ArrayLike<number>;
    let s2 = 0;
    for (let j = 0; j < s.length; j++) s2 += (s[j] as number) ** 2;
    const f = fValues[m] as number;
    if (!Number.isFinite(f) || !Number.isFinite(s2)) {
      throw new NonFiniteError(`estimateOptimalBaseline: draw ${m} is not finite (f = ${f}, ‖s‖² = ${s2})`);
    }
    num += f * s2;
    den += s2;
  }
  if (!(den > 0)) throw new DomainError('estimateOptimalBaseline: every score is zero, so c* = E[f‖s‖²]/E[‖s‖²] is undefined');
  assertFiniteResult('estimateOptimalBaseline', 'c*', num / den);
  return num / den;
}

/**
 * Exact total variance of one REINFORCE estimate with constant baseline c, by enumeration:
 * $\sum_j\mathrm{Var}(g_j) = \mathbb E[(f-c)^2\|s\|^2] - \|\nabla\mathcal L\|^2$ (minimised by $c^*$).
 */
export function reinforceVariance(objective: CategoricalObjective, logits: ArrayLike<number>, baseline = 0): number {
  const p = checkObjective('reinforceVariance', objective, logits);
  readNumber('reinforceVariance', 'baseline', baseline);
  const K = objective.categories;
  const C = objective.contexts ?? 1;
  const mean = new Float64Array(K);
  let second = 0;
  for (let x = 0; x < C; x++) {
    for (let k = 0; k < K; k++) {
      const s = categoricalScore(k, p);
      const w = (p[k] as number) / C;
      const fc = callF('reinforceVariance', objective, oneHot(k, K), x) - baseline;
      let s2 = 0;
      for (let j = 0; j < K; j++) {
        s2 += (s[j] as number) ** 2;
        mean[j] += w * fc * (s[j] as number);
      }
      second += w * fc * fc * s2;
    }
  }
  let m2 = 0;
  for (const v of mean) m2 += v * v;
  assertFiniteResult('reinforceVariance', 'the variance', second - m2);
  return second - m2;
}
