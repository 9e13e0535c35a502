import {
  assertInteger,
  checkMemory,
  DomainError,
  describeValue,
  type FitReport,
  type Rng,
  readFitReport,
  readMatrix,
  readVector,
  sampleCategorical,
  type RandomnessOptions,
  resolveRng,
} from '@notes/core-linalg';
import { Matrix } from 'ml-matrix';
import { backwardLog, ChainWorkspace, forwardLog, nodeMarginals, pairwiseMarginals, viterbiKernel } from '../chain/index.js';
import {
  checkProbabilityRows,
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
  /** The fit report of a fitted model (`fitHMM`, `estimateHMM`); absent for a model built with `createHMM`. */
  report?: FitReport;
}

/** An {@link HMM} returned by a fit: its `report` is always present. */
export type FittedHMM = HMM & { readonly report: FitReport };

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
  readonly #pi: Float64Array;
  readonly #A: Float64Array;
  /** The emission model. */
  readonly emission: Emission;
  readonly #logPi: Float64Array;
  readonly #logA: Float64Array;
  /**
   * How the model was fitted (`fitHMM`: Baum–Welch, `estimateHMM`: supervised counts), or `undefined` for a model
   * built from given parameters ({@link createHMM}, {@link createGaussianHMM}).
   */
  readonly report: FitReport | undefined;

  /** @internal use {@link createHMM} / {@link createGaussianHMM}; the arrays are owned by the model. */
  constructor(initial: Float64Array, transition: Float64Array, emission: Emission, report?: FitReport) {
    this.K = initial.length;
    this.#pi = initial;
    this.#A = transition;
    this.emission = emission;
    this.#logPi = initial.map(Math.log);
    this.#logA = transition.map(Math.log);
    this.report = report;
    Object.freeze(this);
  }

  /** π; a copy on every read (the model is immutable). */
  get initial(): Float64Array {
    return Float64Array.from(this.#pi);
  }

  /** Row-major K×K transition probabilities; a copy on every read. */
  get transition(): Float64Array {
    return Float64Array.from(this.#A);
  }

  /** log π; a copy on every read. */
  get logInitial(): Float64Array {
    return Float64Array.from(this.#logPi);
  }

  /** Row-major log transition matrix; a copy on every read. */
  get logTransition(): Float64Array {
    return Float64Array.from(this.#logA);
  }

  /** @internal the same parameters with another report. */
  withReport(report: FitReport): FittedHMM {
    return new HMM(this.#pi, this.#A, this.emission, report) as FittedHMM;
  }

  /** Unary log scores u (T×K) for a validated sequence. */
  unary(obs: FlatObs): Float64Array {
    const u = new Float64Array(obs.T * this.K);
    this.emission.logProbs(obs, u);
    for (let k = 0; k < this.K; k++) u[k] += this.#logPi[k];
    return u;
  }

  #prep(where: string, obs: Observations) {
    const flat = this.emission.flatten(where, obs);
    const u = this.unary(flat);
    const ws = new ChainWorkspace(this.K, flat.T);
    ws.setTransition(this.#logA);
    const logZ = forwardLog(u, this.#logA, flat.T, ws);
    this.#checkOverflow(where, logZ);
    return { flat, u, ws, logZ };
  }

  /** A Gaussian HMM's log-likelihood is never −∞ mathematically: −∞ means a log-density overflowed. */
  #checkOverflow(where: string, value: number): void {
    if (value === Number.NEGATIVE_INFINITY && this.emission.kind === 'gaussian') {
      throw new DomainError(`${where}: an observation's Gaussian log-density overflows (|x − μ|²/σ² beyond 1.8e308); rescale argument 'obs'`);
    }
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
    const logProbability = viterbiKernel(u, this.#logA, flat.T, K, new Float64Array(flat.T * K), new Int32Array(flat.T * K), path);
    this.#checkOverflow('HMM.viterbi', logProbability);
    return { path, logProbability };
  }

  #post(where: string, obs: Observations) {
    const p = this.#prep(where, obs);
    if (p.logZ === Number.NEGATIVE_INFINITY) throw new DomainError(`${where}: the observations have probability 0 under the model`);
    backwardLog(p.u, this.#logA, p.flat.T, p.ws);
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
  expectations(flat: FlatObs, xiSum: Float64Array, where = 'fitHMM'): { logLikelihood: number; gamma: Float64Array } {
    const u = this.unary(flat);
    const ws = new ChainWorkspace(this.K, flat.T);
    ws.setTransition(this.#logA);
    const logZ = forwardLog(u, this.#logA, flat.T, ws);
    if (logZ === Number.NEGATIVE_INFINITY) throw new DomainError(`${where}: a sequence has probability 0 under the current model`);
    backwardLog(u, this.#logA, flat.T, ws);
    const gamma = new Float64Array(flat.T * this.K);
    nodeMarginals(flat.T, ws, gamma);
    pairwiseMarginals(u, flat.T, ws, xiSum, true);
    return { logLikelihood: logZ, gamma };
  }

  /**
   * Draws a state path and observations of length T by ancestral sampling. Randomness: a generator from
   * `createRng` (advanced by the call), or `{ seed }` / `{ rng }` (default seed 0).
   * @throws DomainError for T not an integer ≥ 1, or bad randomness options.
   */
  sample(T: number, random?: Rng | RandomnessOptions): { states: Int32Array; observations: number[] | number[][] } {
    assertInteger('HMM.sample', 'T', T, 1);
    checkMemory('HMM.sample', `a sample of length ${T}`, 8 * T * (2 + (this.emission.kind === 'gaussian' ? 4 : 1)), { alternative: 'shorter samples' });
    const rng = readRandom('HMM.sample', random);
    const K = this.K;
    const states = new Int32Array(T);
    const obs: number[][] = [];
    for (let t = 0; t < T; t++) {
      states[t] = t === 0 ? sampleCategorical(rng, this.#pi) : sampleCategorical(rng, this.#A.subarray(states[t - 1] * K, states[t - 1] * K + K));
      obs.push(this.emission.sample(states[t], rng));
    }
    const flatObs = this.emission.kind === 'discrete' || obs[0].length === 1 ? obs.map((o) => o[0]) : obs;
    return { states, observations: flatObs };
  }

  /** Plain JSON; `HMM.fromJSON(h.toJSON())` reproduces every output bit for bit. */
  toJSON(): HMMJSON {
    const K = this.K;
    const json: HMMJSON = {
      kind: 'hmm',
      version: 1,
      initial: Array.from(this.#pi),
      transition: Array.from({ length: K }, (_, i) => Array.from(this.#A.subarray(i * K, i * K + K))),
      emission: this.emission.toJSON(),
    };
    if (this.report !== undefined) json.report = this.report;
    return json;
  }

  /**
   * Rebuilds an HMM from {@link HMM.toJSON} output. Every field is validated: `kind`, `version`, π and every
   * transition/emission row a probability vector of the right length, Gaussian means finite and variances > 0,
   * the report (if present) by core's `readFitReport`.
   * @throws DomainError/ShapeError/NonFiniteError naming the first bad field.
   */
  static fromJSON(json: HMMJSON): HMM {
    const where = 'HMM.fromJSON';
    if (typeof json !== 'object' || json === null || Array.isArray(json)) {
      throw new DomainError(`${where}: argument 'json' must be an object, got ${describeValue(json)}`);
    }
    if (json.kind !== 'hmm') throw new DomainError(`${where}: field 'kind' must be 'hmm', got ${describeValue(json.kind)}`);
    if (json.version !== 1) throw new DomainError(`${where}: field 'version' must be 1, got ${describeValue(json.version)}`);
    const e = json.emission as unknown;
    if (typeof e !== 'object' || e === null) throw new DomainError(`${where}: field 'emission' must be an object, got ${describeValue(e)}`);
    const kind = (e as { kind?: unknown }).kind;
    const report = json.report === undefined ? undefined : readFitReport(where, json.report);
    let em: Emission;
    if (kind === 'discrete') em = discreteEmission(where, (e as DiscreteEmissionJSON).emission);
    else if (kind === 'gaussian') em = gaussianEmission(where, (e as GaussianEmissionJSON).means, (e as GaussianEmissionJSON).variances);
    else throw new DomainError(`${where}: field 'emission.kind' must be 'discrete' or 'gaussian', got ${describeValue(kind)}`);
    const { pi, A } = checkMarkov(where, json.initial, json.transition, em.K);
    return new HMM(pi, A, em, report);
  }
}

function toMatrix(flat: Float64Array, r: number, c: number): Matrix {
  const m = new Matrix(r, c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) m.set(i, j, flat[i * c + j]);
  return m;
}

/**
 * @internal reads and validates π (length K) and A (K×K) with core's converters: holes, ragged rows, non-numbers
 * and NaN/±Infinity are typed errors, and every row must be a probability vector.
 */
export function checkMarkov(where: string, initial: unknown, transition: unknown, K: number) {
  const pi = readVector(where, 'initial', initial, { length: K });
  checkProbabilityRows(where, 'initial', pi, 1, K);
  const A = readMatrix(where, 'transition', transition, { rows: K, columns: K }).data;
  checkProbabilityRows(where, 'transition', A, K, K);
  return { pi, A };
}

/** @internal a generator given directly, or `{ seed }` / `{ rng }` (core's `resolveRng`, default seed 0). */
export function readRandom(where: string, random: unknown): Rng {
  if (typeof random === 'object' && random !== null && typeof (random as Rng).uniform === 'function') return random as Rng;
  if (random !== undefined && (typeof random !== 'object' || random === null || Array.isArray(random))) {
    throw new DomainError(`${where}: argument 'rng' must be a generator from createRng or { seed } / { rng }, got ${describeValue(random)}`);
  }
  const o = (random ?? {}) as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (k !== 'seed' && k !== 'rng') throw new DomainError(`${where}: unknown option '${k}'; valid options: seed, rng`);
  }
  return resolveRng(where, o as RandomnessOptions, 0);
}

function readParams(where: string, params: unknown): Record<string, unknown> {
  if (typeof params !== 'object' || params === null || Array.isArray(params)) {
    throw new DomainError(`${where}: argument 'params' must be an object, got ${describeValue(params)}`);
  }
  return params as Record<string, unknown>;
}

/**
 * Creates a discrete-emission {@link HMM}.
 * @throws ShapeError on size mismatches; DomainError when π, a transition row or an emission row is not a
 * probability vector (tolerance 1e-8).
 * @example createHMM({ initial: [0.5, 0.5], transition: [[0.9, 0.1], [0.2, 0.8]], emission: [[0.7, 0.3], [0.1, 0.9]] })
 */
export function createHMM(params: HMMParams): HMM {
  const where = 'createHMM';
  params = readParams(where, params) as unknown as HMMParams;
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
  params = readParams(where, params) as unknown as GaussianHMMParams;
  const em = gaussianEmission(where, params.means, params.variances);
  const { pi, A } = checkMarkov(where, params.initial, params.transition, em.K);
  return new HMM(pi, A, em);
}
