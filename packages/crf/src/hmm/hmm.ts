import { assertInteger, assertLength, assertNonEmpty, assertProbabilityVector, DomainError, type Rng, sampleCategorical, ShapeError } from '@notes/core-linalg';
import { Matrix } from 'ml-matrix';
import { backwardLog, ChainWorkspace, forwardLog, nodeMarginals, pairwiseMarginals, viterbiKernel } from '../chain/index.js';
import {
  type DiscreteEmissionJSON,
  discreteEmission,
  type Emission,
  type FlatObs,
  type GaussianEmissionJSON,
  gaussianEmission,
  type Observations,
} from './emissions.js';

/** Parameters of a discrete-emission HMM. */
export interface HMMParams {
  /** Initial distribution π (length K). */
  initial: ArrayLike<number>;
  /** Transition matrix, row i = p(y_t = · | y_{t−1} = i) (K×K, rows sum to 1). */
  transition: readonly ArrayLike<number>[];
  /** Emission matrix, row k = p(x_t = · | y_t = k) (K×M, rows sum to 1). */
  emission: readonly ArrayLike<number>[];
}

/** Parameters of a diagonal-Gaussian-emission HMM. */
export interface GaussianHMMParams {
  initial: ArrayLike<number>;
  transition: readonly ArrayLike<number>[];
  /** K×D state means. */
  means: readonly ArrayLike<number>[];
  /** K×D state variances (> 0). */
  variances: readonly ArrayLike<number>[];
}

/** Serialised HMM (`HMM.toJSON()`). */
export interface HMMJSON {
  kind: 'hmm';
  version: 1;
  initial: number[];
  transition: number[][];
  emission: DiscreteEmissionJSON | GaussianEmissionJSON;
}

/**
 * A hidden Markov model with log-space inference (notes: HMM,
 * $p(y, x) = \prod_t p(y_t\mid y_{t-1})\,p(x_t\mid y_t)$ with $p(y_1\mid y_0) := \pi_{y_1}$). Inference maps
 * the HMM onto the chain kernels with unary $u_t(k) = \log p(x_t\mid k)$ (+ $\log\pi_k$ at t = 0) and transition
 * $A_{ij} = \log p(j \mid i)$ — exactly the notes' $\lambda_{ij}, \mu_{oi}$ weights of the HMM-as-CRF derivation.
 * Immutable; build with {@link createHMM} or {@link createGaussianHMM}. Reference: Rabiner (1989).
 */
export class HMM {
  /** Number of hidden states K. */
  readonly K: number;
  /** π. */
  readonly initial: Float64Array;
  /** Row-major K×K transition probabilities. */
  readonly transition: Float64Array;
  /** The emission model. */
  readonly emission: Emission;
  /** log π. */
  readonly logInitial: Float64Array;
  /** Row-major log transition matrix. */
  readonly logTransition: Float64Array;

  /** @internal use {@link createHMM} / {@link createGaussianHMM}. */
  constructor(initial: Float64Array, transition: Float64Array, emission: Emission) {
    this.K = initial.length;
    this.initial = initial;
    this.transition = transition;
    this.emission = emission;
    this.logInitial = initial.map(Math.log);
    this.logTransition = transition.map(Math.log);
    Object.freeze(this);
  }

  /** Unary log scores u (T×K) for a validated sequence. */
  unary(obs: FlatObs): Float64Array {
    const u = new Float64Array(obs.T * this.K);
    this.emission.logProbs(obs, u);
    for (let k = 0; k < this.K; k++) u[k] += this.logInitial[k];
    return u;
  }

  #prep(where: string, obs: Observations) {
    const flat = this.emission.flatten(where, obs);
    const u = this.unary(flat);
    const ws = new ChainWorkspace(this.K, flat.T);
    ws.setTransition(this.logTransition);
    const logZ = forwardLog(u, this.logTransition, flat.T, ws);
    return { flat, u, ws, logZ };
  }

  /** $\log p(x_{1:T}) = \log\sum_y p(y, x)$ by the forward algorithm. @throws ShapeError/DomainError on bad observations. */
  logLikelihood(obs: Observations): number {
    return this.#prep('HMM.logLikelihood', obs).logZ;
  }

  /** Most probable state path and its joint $\log p(x, y^*)$. */
  viterbi(obs: Observations): { path: Int32Array; logProbability: number } {
    const flat = this.emission.flatten('HMM.viterbi', obs);
    const u = this.unary(flat);
    const K = this.K;
    const path = new Int32Array(flat.T);
    const logProbability = viterbiKernel(u, this.logTransition, flat.T, K, new Float64Array(flat.T * K), new Int32Array(flat.T * K), path);
    return { path, logProbability };
  }

  #post(where: string, obs: Observations) {
    const p = this.#prep(where, obs);
    if (p.logZ === Number.NEGATIVE_INFINITY) throw new DomainError(`${where}: the observations have probability 0 under the model`);
    backwardLog(p.u, this.logTransition, p.flat.T, p.ws);
    return p;
  }

  /** State posteriors $\gamma_t(k) = p(y_t = k \mid x)$ (T×K Matrix). */
  posteriors(obs: Observations): Matrix {
    const { flat, ws } = this.#post('HMM.posteriors', obs);
    const g = new Float64Array(flat.T * this.K);
    nodeMarginals(flat.T, ws, g);
    return toMatrix(g, flat.T, this.K);
  }

  /** Pairwise posteriors $\xi_t(i,j) = p(y_t = i, y_{t+1} = j \mid x)$, t = 0..T−2 (K×K matrices). */
  pairwiseMarginals(obs: Observations): Matrix[] {
    const { flat, u, ws } = this.#post('HMM.pairwiseMarginals', obs);
    const K = this.K;
    const xi = new Float64Array(Math.max(0, flat.T - 1) * K * K);
    pairwiseMarginals(u, flat.T, ws, xi, false);
    return Array.from({ length: flat.T - 1 }, (_, t) => toMatrix(xi.subarray(t * K * K, (t + 1) * K * K), K, K));
  }

  /** @internal E-step statistics for Baum–Welch: log-likelihood, γ (T×K) and Σ_t ξ_t added into `xiSum`. */
  expectations(flat: FlatObs, xiSum: Float64Array): { logLikelihood: number; gamma: Float64Array } {
    const u = this.unary(flat);
    const ws = new ChainWorkspace(this.K, flat.T);
    ws.setTransition(this.logTransition);
    const logZ = forwardLog(u, this.logTransition, flat.T, ws);
    if (logZ === Number.NEGATIVE_INFINITY) throw new DomainError('fitHMM: a sequence has probability 0 under the current model');
    backwardLog(u, this.logTransition, flat.T, ws);
    const gamma = new Float64Array(flat.T * this.K);
    nodeMarginals(flat.T, ws, gamma);
    pairwiseMarginals(u, flat.T, ws, xiSum, true);
    return { logLikelihood: logZ, gamma };
  }

  /** Draws a state path and observations of length T by ancestral sampling. */
  sample(T: number, rng: Rng): { states: Int32Array; observations: number[] | number[][] } {
    assertInteger('HMM.sample', 'T', T, 1);
    const K = this.K;
    const states = new Int32Array(T);
    const obs: number[][] = [];
    for (let t = 0; t < T; t++) {
      states[t] = t === 0 ? sampleCategorical(rng, this.initial) : sampleCategorical(rng, this.transition.subarray(states[t - 1] * K, states[t - 1] * K + K));
      obs.push(this.emission.sample(states[t], rng));
    }
    const flatObs = this.emission.kind === 'discrete' || obs[0].length === 1 ? obs.map((o) => o[0]) : obs;
    return { states, observations: flatObs };
  }

  /** Plain JSON; `HMM.fromJSON(h.toJSON())` reproduces every output bit for bit. */
  toJSON(): HMMJSON {
    const K = this.K;
    return {
      kind: 'hmm',
      version: 1,
      initial: Array.from(this.initial),
      transition: Array.from({ length: K }, (_, i) => Array.from(this.transition.subarray(i * K, i * K + K))),
      emission: this.emission.toJSON(),
    };
  }

  /** Rebuilds an HMM from {@link HMM.toJSON} output (validated). */
  static fromJSON(json: HMMJSON): HMM {
    if (json?.kind !== 'hmm') throw new DomainError("HMM.fromJSON: argument 'json' must have kind 'hmm'");
    const e = json.emission;
    return e.kind === 'discrete'
      ? createHMM({ initial: json.initial, transition: json.transition, emission: e.emission })
      : createGaussianHMM({ initial: json.initial, transition: json.transition, means: e.means, variances: e.variances });
  }
}

function toMatrix(flat: Float64Array, r: number, c: number): Matrix {
  const m = new Matrix(r, c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) m.set(i, j, flat[i * c + j]);
  return m;
}

/** @internal validates π and A against K. */
export function checkMarkov(where: string, initial: ArrayLike<number>, transition: readonly ArrayLike<number>[], K: number) {
  assertNonEmpty(where, 'initial', initial);
  assertLength(where, 'initial', initial, K, 'number of states');
  assertProbabilityVector(where, 'initial', initial);
  assertLength(where, 'transition', transition, K, 'number of states');
  const A = new Float64Array(K * K);
  transition.forEach((row, i) => {
    if (!row || row.length !== K) throw new ShapeError(`${where}: argument 'transition[${i}]' must have length ${K}, got ${row?.length}`);
    assertProbabilityVector(where, `transition[${i}]`, row);
    for (let j = 0; j < K; j++) A[i * K + j] = row[j];
  });
  return { pi: Float64Array.from(initial), A };
}

/**
 * Creates a discrete-emission {@link HMM}.
 * @throws ShapeError on size mismatches; DomainError when π, a transition row or an emission row is not a
 * probability vector (tolerance 1e-8).
 * @example createHMM({ initial: [0.5, 0.5], transition: [[0.9, 0.1], [0.2, 0.8]], emission: [[0.7, 0.3], [0.1, 0.9]] })
 */
export function createHMM(params: HMMParams): HMM {
  const where = 'createHMM';
  const em = discreteEmission(where, params.emission);
  const { pi, A } = checkMarkov(where, params.initial, params.transition, em.K);
  return new HMM(pi, A, em);
}

/**
 * Creates an {@link HMM} with diagonal Gaussian emissions.
 * @throws ShapeError/DomainError as {@link createHMM}; DomainError for variances ≤ 0.
 */
export function createGaussianHMM(params: GaussianHMMParams): HMM {
  const where = 'createGaussianHMM';
  const em = gaussianEmission(where, params.means, params.variances);
  const { pi, A } = checkMarkov(where, params.initial, params.transition, em.K);
  return new HMM(pi, A, em);
}
