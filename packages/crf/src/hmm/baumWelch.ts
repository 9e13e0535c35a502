import {
  DomainError,
  defineOptions,
  describeValue,
  type FitLoop,
  type FitProgress,
  type FitReport,
  checkMemory,
  makeFitReport,
  resolveRng,
  type Rng,
  runFit,
  runFitAsync,
  sampleDirichlet,
  stopwatch,
} from '@notes/core-linalg';
import { type FlatObs, normalise, type Observations } from './emissions.js';
import { createHMM, type FittedHMM, HMM } from './hmm.js';

/** Progress of {@link fitHMM} / {@link fitHMMAsync}, once per E-step. */
export interface BaumWelchProgress extends FitProgress {
  /** E-steps done before this one (0 = the log-likelihood of `init`). */
  readonly iteration: number;
  /** The log-likelihood $\sum_n \log p(x^n)$ of the current parameters (what Baum–Welch maximises). */
  readonly objective: number;
  /** Same as `objective`. */
  readonly logLikelihood: number;
  /** Milliseconds since the fit started. */
  readonly elapsedMs: number;
}

/** Options of {@link fitHMM} and {@link fitHMMAsync}. */
export interface FitHMMOptions {
  /** Starting model (fixes K and the emission family). Required. */
  init: HMM;
  /** Cap on M-steps. @defaultValue 200 */
  maxIterations?: number;
  /** Converged (criterion `'tol'`) when the log-likelihood rises by less than `tol`·(1 + |LL|). @defaultValue 1e-8 */
  tol?: number;
  /** Pseudo-count added in the M-step (0 = maximum likelihood; > 0 = MAP, LL alone may then dip). @defaultValue 0 */
  smoothing?: number;
  /** Gaussian variance floor. @defaultValue 1e-6 */
  varianceFloor?: number;
  /** Called after every E-step with {@link BaumWelchProgress} (milliseconds). */
  onProgress?: (info: BaumWelchProgress) => void;
  /** Stops the fit at the next iteration with `AbortError` (partial: the current parameters). */
  signal?: AbortSignal;
}

const OPTIONS = defineOptions<FitHMMOptions>()('fitHMM', {
  init: { type: 'custom', expected: 'an HMM (createHMM, createGaussianHMM, randomHMM)', check: (v) => v instanceof HMM, doc: 'starting model' },
  maxIterations: { type: 'integer', min: 1, default: 200, doc: 'cap on M-steps' },
  tol: { type: 'number', min: 0, default: 1e-8, doc: 'relative rise of the log-likelihood that stops the fit' },
  smoothing: { type: 'number', min: 0, default: 0, doc: 'M-step pseudo-count' },
  varianceFloor: { type: 'number', greaterThan: 0, default: 1e-6, doc: 'Gaussian variance floor' },
  onProgress: { type: 'function', doc: 'progress callback (ms)' },
  signal: { type: 'signal', doc: 'AbortSignal' },
});

/**
 * Baum–Welch (EM) for HMMs: E-step by log-space forward–backward (γ, ξ), M-step
 * $$\pi_k \propto \textstyle\sum_n \gamma^n_1(k),\quad A_{ij} \propto \sum_n\sum_t \xi^n_t(i,j),\quad
 * B_{ko} \propto \sum_n\sum_t \gamma^n_t(k)\,[x^n_t = o]$$
 * (Gaussian: γ-weighted means and variances). Each iteration cannot lower the likelihood (Baum et al. 1970;
 * Rabiner 1989 §III-C).
 *
 * Returns the fitted {@link HMM} itself with `report`: `reason` `'converged'` (criterion `'tol'`) or
 * `'max-iterations'`; `iterations` = M-steps; `evaluations` = E-steps; `trace` = the log-likelihood of every
 * iterate starting with `init` (non-decreasing for smoothing 0); the last entry is that of the returned model.
 * @throws ShapeError/DomainError/NonFiniteError on bad sequences or options (unknown keys name the closest one);
 * AbortError when `signal` fires (partial: the current parameters as an HMM with `report.reason` `'aborted'`).
 * @example const hmm = fitHMM(seqs, { init: randomHMM({ states: 2, symbols: 3, seed: 1 }) }); hmm.report.converged
 */
export function fitHMM(sequences: readonly Observations[], options: FitHMMOptions): FittedHMM {
  const o = OPTIONS.parse(options);
  return runFit('fitHMM', baumWelchLoop('fitHMM', sequences, o), { signal: o.signal });
}

/**
 * {@link fitHMM} run by the asynchronous driver: the same loop (same iterates, same result), yielding to the event
 * loop at least every 50 ms so an `AbortSignal` fired by a timer or a button stops it within one E-step.
 * Rejects with `AbortError` whose `partial` is the HMM at the current parameters (`report.reason` `'aborted'`).
 */
export function fitHMMAsync(sequences: readonly Observations[], options: FitHMMOptions): Promise<FittedHMM> {
  try {
    const o = OPTIONS.parse(options);
    return runFitAsync('fitHMMAsync', baumWelchLoop('fitHMMAsync', sequences, o), { signal: o.signal });
  } catch (e) {
    return Promise.reject(e);
  }
}

type ParsedHMMOptions = ReturnType<typeof OPTIONS.parse>;

/** Validates the data (eagerly) and returns the one Baum–Welch loop both drivers run. */
function baumWelchLoop(where: string, sequences: readonly Observations[], o: ParsedHMMOptions): FitLoop<FittedHMM> {
  if (o.init === undefined) throw new DomainError(`${where}: option 'init' (the starting HMM) is required`);
  if (!Array.isArray(sequences)) throw new DomainError(`${where}: argument 'sequences' must be an array of sequences, got ${describeValue(sequences)}`);
  if (sequences.length === 0) throw new DomainError(`${where}: argument 'sequences' must not be empty`);
  const init = o.init;
  const flats: FlatObs[] = [];
  for (let n = 0; n < sequences.length; n++) {
    if (!(n in sequences)) throw new DomainError(`${where}: argument 'sequences' has a hole at [${n}]`);
    flats.push(init.emission.flatten(`${where} (sequences[${n}])`, sequences[n]));
  }
  return iterate(where, init, flats, o);
}

function* iterate(where: string, init: HMM, flats: FlatObs[], o: ParsedHMMOptions): FitLoop<FittedHMM> {
  const clock = stopwatch();
  let model = init;
  const K = model.K;
  const trace: number[] = [];
  let converged = false;
  let iterations = 0;
  const finish = (m: HMM, reason: FitReport['reason']): FittedHMM =>
    m.withReport(
      makeFitReport({ reason, iterations, evaluations: trace.length, elapsedMs: clock(), trace, ...(reason === 'converged' ? { criterion: 'tol' } : {}) }),
    );
  for (;;) {
    const xi = new Float64Array(K * K);
    const pi = new Float64Array(K).fill(o.smoothing);
    const gammas: Float64Array[] = [];
    let ll = 0;
    for (const f of flats) {
      const e = model.expectations(f, xi, where);
      ll += e.logLikelihood;
      for (let k = 0; k < K; k++) pi[k] += e.gamma[k];
      gammas.push(e.gamma);
    }
    trace.push(ll);
    o.onProgress?.({ iteration: iterations, objective: ll, logLikelihood: ll, elapsedMs: clock() });
    const n = trace.length;
    if (n >= 2 && trace[n - 1] - trace[n - 2] < o.tol * (1 + Math.abs(trace[n - 1]))) {
      converged = true;
      break;
    }
    if (iterations >= o.maxIterations) break;
    const A = new Float64Array(K * K);
    for (let i = 0; i < K; i++) {
      const row = xi.slice(i * K, i * K + K).map((v) => v + o.smoothing);
      A.set(normalise(row), i * K);
    }
    const em = model.emission.fit(flats, gammas, { smoothing: o.smoothing, varianceFloor: o.varianceFloor, where, dataName: 'sequences' });
    model = new HMM(normalise(pi), A, em);
    iterations++;
    const current = model;
    yield () => finish(current, 'aborted');
  }
  return finish(model, converged ? 'converged' : 'max-iterations');
}

/** Options of {@link randomHMM}. */
export interface RandomHMMOptions {
  /** Number of hidden states K (required). */
  states: number;
  /** Number of discrete symbols M (required). */
  symbols: number;
  /** Symmetric Dirichlet concentration of every row. @defaultValue 1 */
  concentration?: number;
  /** Seed of a fresh generator (give `seed` or `rng`, not both). @defaultValue 0 */
  seed?: number;
  /** A generator from `createRng` (advanced by the call). */
  rng?: Rng;
}

const RANDOM_OPTIONS = defineOptions<RandomHMMOptions>()('randomHMM', {
  states: { type: 'integer', min: 1, doc: 'number of hidden states' },
  symbols: { type: 'integer', min: 1, doc: 'number of symbols' },
  concentration: { type: 'number', greaterThan: 0, default: 1, doc: 'Dirichlet concentration' },
  seed: { type: 'integer', min: 0, max: Number.MAX_SAFE_INTEGER, doc: 'seed of a fresh generator' },
  rng: { type: 'rng', doc: 'a generator from createRng' },
});

/**
 * A random discrete HMM for initialising {@link fitHMM}: every row drawn from a symmetric Dirichlet(concentration).
 * Randomness from `seed` (default 0) or `rng`.
 * @throws DomainError on missing/bad options (unknown keys name the closest one; `seed` and `rng` together).
 */
export function randomHMM(options: RandomHMMOptions): HMM {
  const where = 'randomHMM';
  const o = RANDOM_OPTIONS.parse(options);
  if (o.states === undefined) throw new DomainError(`${where}: option 'states' is required`);
  if (o.symbols === undefined) throw new DomainError(`${where}: option 'symbols' is required`);
  const rng = resolveRngOf(where, o);
  const K = o.states;
  checkMemory(where, 'the HMM tables', 8 * 3 * (K * K + K * o.symbols + K), { alternative: 'fewer states or symbols' });
  const draw = (n: number) => Array.from(sampleDirichlet(rng, new Float64Array(n).fill(o.concentration)));
  return createHMM({
    initial: draw(K),
    transition: Array.from({ length: K }, () => draw(K)),
    emission: Array.from({ length: K }, () => draw(o.symbols)),
  });
}

function resolveRngOf(where: string, o: { seed?: number; rng?: unknown }): Rng {
  return resolveRng(where, { ...(o.seed !== undefined ? { seed: o.seed } : {}), ...(o.rng !== undefined ? { rng: o.rng as Rng } : {}) }, 0);
}
