import { DomainError } from '@notes/core-linalg';
import { Matrix } from 'ml-matrix';
import { chainInput, type ScoreInput } from './scores.js';

/** Result of {@link chainBruteForce}. */
export interface ChainBruteForce {
  logZ: number;
  marginals: Matrix;
  /** Summed pairwise marginals (Y×Y). */
  expectedTransitions: Matrix;
  best: { path: Int32Array; score: number };
}

/**
 * Exact answers by enumerating all $Y^T$ label paths — the independent reference for the forward–backward
 * and Viterbi tests and demos. Refuses more than 2,000,000 paths.
 * $$Z = \sum_{y \in \mathcal Y^T} \exp\Big(\sum_t u_t(y_t) + \sum_{t>1} A_{y_{t-1}y_t}\Big)$$
 * @throws DomainError when $Y^T$ > 2e6; ShapeError/NonFiniteError on bad scores.
 */
export function chainBruteForce(unary: ScoreInput, transition: ScoreInput): ChainBruteForce {
  const { T, Y, u, A } = chainInput('chainBruteForce', unary, transition);
  if (Y ** T > 2e6) throw new DomainError(`chainBruteForce: ${Y}^${T} paths is too many to enumerate (limit 2e6)`);
  const n = Y ** T;
  const y = new Int32Array(T);
  const scores = new Float64Array(n);
  let best = Number.NEGATIVE_INFINITY;
  let bestPath = new Int32Array(T);
  for (let k = 0; k < n; k++) {
    let r = k;
    for (let t = T - 1; t >= 0; t--) {
      y[t] = r % Y;
      r = Math.floor(r / Y);
    }
    let s = 0;
    for (let t = 0; t < T; t++) {
      s += u[t * Y + y[t]];
      if (t > 0) s += A[y[t - 1] * Y + y[t]];
    }
    scores[k] = s;
    if (s > best) {
      best = s;
      bestPath = y.slice();
    }
  }
  let m = Number.NEGATIVE_INFINITY;
  for (const s of scores) if (s > m) m = s;
  let z = 0;
  for (const s of scores) z += Math.exp(s - m);
  const logZ = m + Math.log(z);
  const marg = new Matrix(T, Y);
  const pair = new Matrix(Y, Y);
  for (let k = 0; k < n; k++) {
    const p = Math.exp(scores[k] - logZ);
    let r = k;
    for (let t = T - 1; t >= 0; t--) {
      y[t] = r % Y;
      r = Math.floor(r / Y);
    }
    for (let t = 0; t < T; t++) {
      marg.set(t, y[t], marg.get(t, y[t]) + p);
      if (t > 0) pair.set(y[t - 1], y[t], pair.get(y[t - 1], y[t]) + p);
    }
  }
  return { logZ, marginals: marg, expectedTransitions: pair, best: { path: bestPath, score: best } };
}
