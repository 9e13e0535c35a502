import { assertInteger, assertNonEmpty, assertNonNegative, assertPositive, DomainError, ShapeError, withDefaults } from '@notes/core-linalg';
import { discreteEmission, type Emission, type FlatObs, gaussianEmission, normalise, type Observations } from './emissions.js';
import { HMM } from './hmm.js';

/** One labelled sequence for supervised estimation. */
export interface LabelledSequence {
  observations: Observations;
  /** State ids, same length as `observations`. */
  states: ArrayLike<number>;
}

/** Options of {@link estimateHMM}. */
export interface EstimateHMMOptions {
  /** Number of states K. */
  states: number;
  /** Discrete symbols M (required for `emission: 'discrete'`). */
  symbols?: number;
  /** Emission family. @defaultValue 'discrete' */
  emission?: 'discrete' | 'gaussian';
  /** Add-α (Laplace/Lidstone) pseudo-count on every count. @defaultValue 1 */
  smoothing?: number;
  /** Gaussian variance floor. @defaultValue 1e-6 */
  varianceFloor?: number;
}

const DEFAULTS = { emission: 'discrete', smoothing: 1, varianceFloor: 1e-6 } as const;

/**
 * Supervised maximum-likelihood (add-α smoothed) estimate of an HMM from labelled sequences:
 * $$\hat\pi_k \propto \alpha + \#\{y_1 = k\},\quad \hat A_{ij} \propto \alpha + \#\{y_{t-1}=i, y_t=j\},\quad
 * \hat B_{ko} \propto \alpha + \#\{y_t = k, x_t = o\}$$
 * (Gaussian emissions: per-state sample mean and variance, floored). This is the Baum–Welch M-step with
 * one-hot posteriors (Rabiner 1989, eq. 40).
 * @throws ShapeError on empty data or length mismatches; DomainError on state/symbol ids out of range.
 */
export function estimateHMM(data: readonly LabelledSequence[], options: EstimateHMMOptions): HMM {
  const where = 'estimateHMM';
  const o = withDefaults(DEFAULTS, options);
  assertNonEmpty(where, 'data', data);
  assertInteger(where, 'options.states', o.states, 1);
  assertNonNegative(where, 'options.smoothing', o.smoothing);
  assertPositive(where, 'options.varianceFloor', o.varianceFloor);
  const K = o.states;
  let proto: Emission;
  if (o.emission === 'discrete') {
    if (o.symbols === undefined) throw new DomainError(`${where}: options.symbols is required for discrete emissions`);
    assertInteger(where, 'options.symbols', o.symbols, 1);
    proto = discreteEmission(where, Array.from({ length: K }, () => new Float64Array(o.symbols!).fill(1 / o.symbols!)));
  } else {
    assertNonEmpty(where, 'data[0].observations', data[0].observations);
    const first = data[0].observations[0];
    const D = typeof first === 'number' ? 1 : first.length;
    proto = gaussianEmission(where, Array.from({ length: K }, () => new Float64Array(D)), Array.from({ length: K }, () => new Float64Array(D).fill(1)));
  }
  const pi = new Float64Array(K).fill(o.smoothing);
  const A = new Float64Array(K * K).fill(o.smoothing);
  const flats: FlatObs[] = [];
  const gammas: Float64Array[] = [];
  data.forEach((seq, n) => {
    const flat = proto.flatten(where, seq.observations);
    if (seq.states.length !== flat.T) {
      throw new ShapeError(`${where}: argument 'data[${n}].states' must have length ${flat.T} (observations), got ${seq.states.length}`);
    }
    const g = new Float64Array(flat.T * K);
    for (let t = 0; t < flat.T; t++) {
      const y = seq.states[t];
      assertInteger(where, `data[${n}].states[${t}]`, y, 0, K - 1);
      g[t * K + y] = 1;
      if (t === 0) pi[y] += 1;
      else A[seq.states[t - 1] * K + y] += 1;
    }
    flats.push(flat);
    gammas.push(g);
  });
  const em = proto.fit(flats, gammas, { smoothing: o.smoothing, varianceFloor: o.varianceFloor, where, dataName: 'data' });
  const Arows = new Float64Array(K * K);
  for (let i = 0; i < K; i++) Arows.set(normalise(A.subarray(i * K, i * K + K)), i * K);
  return new HMM(normalise(pi), Arows, em);
}
