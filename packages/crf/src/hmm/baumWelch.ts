import {
  assertInteger,
  assertNonEmpty,
  assertNonNegative,
  assertPositive,
  type Rng,
  sampleDirichlet,
  throwIfAborted,
  withDefaults,
} from '@notes/core-linalg';
import { type FlatObs, normalise, type Observations } from './emissions.js';
import { createHMM, HMM } from './hmm.js';

/** Progress report of {@link fitHMM}. */
export interface BaumWelchProgress {
  iteration: number;
  /** Total log-likelihood of the model before this iteration's update. */
  logLikelihood: number;
  elapsed: number;
}

/** Options of {@link fitHMM}. */
export interface FitHMMOptions {
  /** Starting model (fixes K and the emission family). */
  init: HMM;
  /** Iteration cap. @defaultValue 200 */
  maxIterations?: number;
  /** Stop when the log-likelihood rises by less than `tol`·(1 + |LL|). @defaultValue 1e-8 */
  tol?: number;
  /** Pseudo-count added in the M-step (0 = maximum likelihood; > 0 = MAP, LL alone may then dip). @defaultValue 0 */
  smoothing?: number;
  /** Gaussian variance floor. @defaultValue 1e-6 */
  varianceFloor?: number;
  onProgress?: (info: BaumWelchProgress) => void;
  signal?: AbortSignal;
}

/** Result of {@link fitHMM}. */
export interface FitHMMResult {
  model: HMM;
  /** Log-likelihood of every iterate, starting with `init` (non-decreasing for smoothing 0). */
  logLikelihoodTrace: number[];
  converged: boolean;
  iterations: number;
  reason: 'tolerance' | 'max-iterations';
}

const DEFAULTS = { maxIterations: 200, tol: 1e-8, smoothing: 0, varianceFloor: 1e-6 };

/**
 * Baum–Welch (EM) for HMMs: E-step by log-space forward–backward (γ, ξ), M-step
 * $$\pi_k \propto \textstyle\sum_n \gamma^n_1(k),\quad A_{ij} \propto \sum_n\sum_t \xi^n_t(i,j),\quad
 * B_{ko} \propto \sum_n\sum_t \gamma^n_t(k)\,[x^n_t = o]$$
 * (Gaussian: γ-weighted means and variances). Each iteration cannot lower the likelihood (Baum et al. 1970;
 * Rabiner 1989 §III-C). The final log-likelihood is that of the returned model.
 * @throws ShapeError/DomainError on bad sequences; AbortError when `signal` aborts.
 */
export function fitHMM(sequences: readonly Observations[], options: FitHMMOptions): FitHMMResult {
  const where = 'fitHMM';
  const o = withDefaults(DEFAULTS, options);
  assertNonEmpty(where, 'sequences', sequences);
  assertInteger(where, 'options.maxIterations', o.maxIterations, 1);
  assertNonNegative(where, 'options.tol', o.tol);
  assertNonNegative(where, 'options.smoothing', o.smoothing);
  assertPositive(where, 'options.varianceFloor', o.varianceFloor);
  let model = o.init;
  const K = model.K;
  const flats: FlatObs[] = sequences.map((s, n) => model.emission.flatten(`${where} (sequences[${n}])`, s));
  const trace: number[] = [];
  const start = Date.now();
  let converged = false;
  let iterations = 0;
  for (;;) {
    throwIfAborted(where, o.signal);
    const xi = new Float64Array(K * K);
    const pi = new Float64Array(K).fill(o.smoothing);
    const gammas: Float64Array[] = [];
    let ll = 0;
    for (const f of flats) {
      const e = model.expectations(f, xi);
      ll += e.logLikelihood;
      for (let k = 0; k < K; k++) pi[k] += e.gamma[k];
      gammas.push(e.gamma);
    }
    trace.push(ll);
    o.onProgress?.({ iteration: iterations, logLikelihood: ll, elapsed: (Date.now() - start) / 1000 });
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
  }
  return { model, logLikelihoodTrace: trace, converged, iterations, reason: converged ? 'tolerance' : 'max-iterations' };
}

/**
 * A random discrete HMM for initialising {@link fitHMM}: every row drawn from a symmetric Dirichlet(concentration).
 */
export function randomHMM(options: { states: number; symbols: number; rng: Rng; concentration?: number }): HMM {
  const where = 'randomHMM';
  assertInteger(where, 'options.states', options.states, 1);
  assertInteger(where, 'options.symbols', options.symbols, 1);
  const c = options.concentration ?? 1;
  assertPositive(where, 'options.concentration', c);
  const K = options.states;
  const draw = (n: number) => Array.from(sampleDirichlet(options.rng, new Float64Array(n).fill(c)));
  return createHMM({
    initial: draw(K),
    transition: Array.from({ length: K }, () => draw(K)),
    emission: Array.from({ length: K }, () => draw(options.symbols)),
  });
}
