import { DomainError } from '@notes/core-linalg';
import { Matrix } from 'ml-matrix';
import { ChainWorkspace, backwardLog, forwardLog, nodeMarginals, pairwiseMarginals, viterbiKernel } from './kernels.js';
import { assertNoOverflow, chainInput, type ScoreInput } from './scores.js';

/**
 * Log partition function of a linear chain,
 * $$\log Z = \log \sum_{y_{1:T}} \exp\Big(\sum_{t} u_t(y_t) + \sum_{t>1} A_{y_{t-1} y_t}\Big),$$
 * by the log-space forward recursion (Sutton & McCallum 2012, §4.1; notes: Linear CRF, Z(x)).
 * @param unary T×Y scores $u_t(y)$. @param transition Y×Y scores $A_{ij}$ (from i to j).
 * @throws ShapeError on empty or non-rectangular input; NonFiniteError on NaN/+∞; DomainError when finite scores
 * overflow along a path (log Z would be +∞ or NaN).
 * @example chainLogPartition([[0, 0]], [[0, 0], [0, 0]]) // = log 2
 */
export function chainLogPartition(unary: ScoreInput, transition: ScoreInput): number {
  const { T, Y, u, A } = chainInput('chainLogPartition', unary, transition);
  const ws = new ChainWorkspace(Y, T);
  ws.setTransition(A);
  return assertNoOverflow('chainLogPartition', forwardLog(u, A, T, ws));
}

/** Result of {@link chainViterbi}. */
export interface ViterbiResult {
  /** The highest-scoring label path. */
  path: Int32Array;
  /** Its score $\sum_t u_t(y_t) + \sum_t A_{y_{t-1}y_t}$ (for an HMM: $\log p(x, y)$). */
  score: number;
}

/**
 * Most probable label path $\arg\max_y \sum_t u_t(y_t) + \sum_{t>1} A_{y_{t-1} y_t}$ by max-product
 * dynamic programming (Viterbi 1967; Rabiner 1989, §III-B). Ties go to the lower label index.
 * @throws ShapeError, NonFiniteError, DomainError (overflow) as {@link chainLogPartition}.
 */
export function chainViterbi(unary: ScoreInput, transition: ScoreInput): ViterbiResult {
  const { T, Y, u, A } = chainInput('chainViterbi', unary, transition);
  const path = new Int32Array(T);
  const score = assertNoOverflow('chainViterbi', viterbiKernel(u, A, T, Y, new Float64Array(T * Y), new Int32Array(T * Y), path));
  return { path, score };
}

/** Result of {@link chainMarginals}. */
export interface ChainMarginals {
  /** $\log Z$. */
  logZ: number;
  /** T×Y node marginals $p(y_t = y)$; each row sums to 1. */
  marginals: Matrix;
}

function run(where: string, unary: ScoreInput, transition: ScoreInput) {
  const { T, Y, u, A } = chainInput(where, unary, transition);
  const ws = new ChainWorkspace(Y, T);
  ws.setTransition(A);
  const logZ = assertNoOverflow(where, forwardLog(u, A, T, ws));
  if (logZ === Number.NEGATIVE_INFINITY) {
    throw new DomainError(`${where}: every label path has score −∞ (log Z = −∞), so marginals are undefined`);
  }
  backwardLog(u, A, T, ws);
  return { T, Y, u, ws, logZ };
}

/**
 * Node marginals $p(y_t = y) = \exp(\alpha_t(y) + \beta_t(y) - \log Z)$ by log-space forward–backward
 * (Sutton & McCallum 2012, eq. 4.8–4.12).
 * @throws ShapeError, NonFiniteError; DomainError when log Z = −∞ or the path scores overflow.
 */
export function chainMarginals(unary: ScoreInput, transition: ScoreInput): ChainMarginals {
  const { T, Y, ws, logZ } = run('chainMarginals', unary, transition);
  const flat = new Float64Array(T * Y);
  nodeMarginals(T, ws, flat);
  const m = new Matrix(T, Y);
  for (let t = 0; t < T; t++) for (let y = 0; y < Y; y++) m.set(t, y, flat[t * Y + y]);
  return { logZ, marginals: m };
}

/** Result of {@link chainPairwiseMarginals}. */
export interface ChainPairwiseMarginals {
  /** $\log Z$. */
  logZ: number;
  /** T−1 matrices Y×Y: entry [t][i][j] = $p(y_t = i, y_{t+1} = j)$ (0-based t). */
  pairwise: Matrix[];
  /** Their sum over t: expected transition counts. */
  expectedTransitions: Matrix;
}

/**
 * Pairwise marginals $p(y_{t-1}=i, y_t=j) = \exp(\alpha_{t-1}(i) + A_{ij} + u_t(j) + \beta_t(j) - \log Z)$
 * (Sutton & McCallum 2012, eq. 4.13).
 * @throws ShapeError, NonFiniteError; DomainError when log Z = −∞ or the path scores overflow.
 */
export function chainPairwiseMarginals(unary: ScoreInput, transition: ScoreInput): ChainPairwiseMarginals {
  const { T, Y, u, ws, logZ } = run('chainPairwiseMarginals', unary, transition);
  const flat = new Float64Array(Math.max(0, T - 1) * Y * Y);
  pairwiseMarginals(u, T, ws, flat, false);
  const pairwise: Matrix[] = [];
  const total = new Matrix(Y, Y);
  for (let t = 0; t < T - 1; t++) {
    const m = new Matrix(Y, Y);
    for (let i = 0; i < Y; i++) {
      for (let j = 0; j < Y; j++) {
        const v = flat[t * Y * Y + i * Y + j];
        m.set(i, j, v);
        total.set(i, j, total.get(i, j) + v);
      }
    }
    pairwise.push(m);
  }
  return { logZ, pairwise, expectedTransitions: total };
}
