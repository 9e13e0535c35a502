/**
 * The small categorical problem the tests and the demo use to compare estimators, and the variance table
 * builder. K = 5 categories, C = 4 contexts, $f(z,x) = a_x + t_x^\top z + \tfrac\beta2(u^\top z)^2$:
 * a context offset $a_x$ that only an input-dependent baseline can remove (NVIL), a linear part that
 * MuProp's Taylor baseline removes exactly, and a small curvature so no estimator is exact.
 */
import { createRng, readNumber } from '@notes/core-linalg';
import { readCount } from './validate.js';
import { createNVIL, muPropGradient } from './control-variates.js';
import { gumbelSoftmaxGradient } from './gumbel.js';
import { type CategoricalObjective, exactGradient } from './objective.js';
import { optimalBaseline, reinforceGradient, reinforceVariance } from './reinforce.js';
import { gradientStatistics } from './statistics.js';

const A = [-6, -2, 3, 8];
const T = [
  [1, -1, 0.5, 2, 0],
  [0, 2, -1, 1, 0.5],
  [-1, 0, 1.5, -0.5, 1],
  [2, 1, 0, -2, -1],
];
const U = [1, -0.5, 0.8, 0.2, -1];
const BETA = 1;

/** Logits used with {@link exampleObjective}. */
export const EXAMPLE_LOGITS: readonly number[] = Object.freeze([0.5, -0.3, 0.1, 1.0, -1.2]);

/** Builds the example objective (optionally shifted by a constant, to show REINFORCE's shift sensitivity). */
export function exampleObjective(shift = 0): CategoricalObjective {
  readNumber('exampleObjective', 'shift', shift);
  return {
    categories: 5,
    contexts: 4,
    f(z, x) {
      let lin = 0;
      let uz = 0;
      const t = T[x] as number[];
      for (let k = 0; k < 5; k++) {
        lin += (t[k] as number) * (z[k] as number);
        uz += (U[k] as number) * (z[k] as number);
      }
      return shift + (A[x] as number) + lin + 0.5 * BETA * uz * uz;
    },
    gradF(z, x) {
      let uz = 0;
      for (let k = 0; k < 5; k++) uz += (U[k] as number) * (z[k] as number);
      const t = T[x] as number[];
      return Float64Array.from(t, (tk, k) => tk + BETA * uz * (U[k] as number));
    },
  };
}

/** One row of the estimator comparison. */
export interface EstimatorRow {
  estimator: string;
  /** $\sum_j\mathrm{Var}(g_j)$ of a single-sample estimate. */
  totalVariance: number;
  /** $\|\bar g - \nabla\mathcal L\|_2$ */
  biasNorm: number;
  /** $\max_j|\bar g_j-\nabla_j\mathcal L|/\mathrm{SE}_j$ */
  maxZ: number;
  /** Exact total variance by enumeration (constant-baseline REINFORCE rows only, else null). */
  exactVariance: number | null;
}

/**
 * Runs every estimator `n` times on {@link exampleObjective} and returns the variance/bias table
 * (NVIL's baseline is first trained for `n/2` steps and then frozen).
 */
export function estimatorVarianceTable(n = 20000, seed = 1): EstimatorRow[] {
  readCount('estimatorVarianceTable', 'n', n, 4);
  readCount('estimatorVarianceTable', 'seed', seed, 0, Number.MAX_SAFE_INTEGER);
  const obj = exampleObjective();
  const phi = EXAMPLE_LOGITS;
  const exact = exactGradient(obj, phi).gradient;
  const rng = createRng(seed);
  const cStar = optimalBaseline(obj, phi);
  const nvil = createNVIL({ contexts: 4, lr: 0.05 });
  for (let t = 0; t < n / 2; t++) nvil.gradient(obj, phi, rng);
  const Ef = exactGradient(obj, phi).value;
  const shifted = exampleObjective(10);
  const exactVar: Record<string, number> = {
    REINFORCE: reinforceVariance(obj, phi, 0),
    'REINFORCE, f + 10': reinforceVariance(shifted, phi, 0),
    'REINFORCE + c = E[f]': reinforceVariance(obj, phi, Ef),
    'REINFORCE + c*': reinforceVariance(obj, phi, cStar),
  };
  const rows: [string, () => Float64Array][] = [
    ['REINFORCE', () => reinforceGradient(obj, phi, rng)],
    ['REINFORCE, f + 10', () => reinforceGradient(shifted, phi, rng)],
    ['REINFORCE + c = E[f]', () => reinforceGradient(obj, phi, rng, { baseline: Ef })],
    ['REINFORCE + c*', () => reinforceGradient(obj, phi, rng, { baseline: cStar })],
    ['NVIL (b(x), unnormalised)', () => nvil.gradient(obj, phi, rng, { learn: false }).unbiasedGradient],
    ['MuProp', () => muPropGradient(obj, phi, rng)],
    ['Gumbel-softmax τ=2', () => gumbelSoftmaxGradient(obj, phi, rng, { temperature: 2 })],
    ['Gumbel-softmax τ=1', () => gumbelSoftmaxGradient(obj, phi, rng, { temperature: 1 })],
    ['Gumbel-softmax τ=0.5', () => gumbelSoftmaxGradient(obj, phi, rng, { temperature: 0.5 })],
    ['Gumbel-softmax τ=0.25', () => gumbelSoftmaxGradient(obj, phi, rng, { temperature: 0.25 })],
    ['Straight-through τ=1', () => gumbelSoftmaxGradient(obj, phi, rng, { temperature: 1, straightThrough: true })],
  ];
  return rows.map(([estimator, draw]) => {
    const s = gradientStatistics(draw, n, exact);
    let b2 = 0;
    for (let j = 0; j < exact.length; j++) b2 += ((s.mean[j] as number) - (exact[j] as number)) ** 2;
    return { estimator, totalVariance: s.totalVariance, biasNorm: Math.sqrt(b2), maxZ: s.maxZ, exactVariance: exactVar[estimator] ?? null };
  });
}
