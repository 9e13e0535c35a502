import { checkMemory, DomainError, defineOptions, describeValue, makeFitReport, readLabels, readMatrix, ShapeError, stopwatch } from '@notes/core-linalg';
import { discreteEmission, type Emission, type FlatObs, gaussianEmission, normalise, type Observations } from './emissions.js';
import { type FittedHMM, HMM } from './hmm.js';

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

const OPTIONS = defineOptions<EstimateHMMOptions>()('estimateHMM', {
  states: { type: 'integer', min: 1, doc: 'number of states K (required)' },
  symbols: { type: 'integer', min: 1, doc: 'number of symbols M (discrete emissions)' },
  emission: { type: 'enum', values: ['discrete', 'gaussian'], default: 'discrete', doc: 'emission family' },
  smoothing: { type: 'number', min: 0, default: 1, doc: 'add-α pseudo-count' },
  varianceFloor: { type: 'number', greaterThan: 0, default: 1e-6, doc: 'Gaussian variance floor' },
});

/**
 * Supervised maximum-likelihood (add-α smoothed) estimate of an HMM from labelled sequences:
 * $$\hat\pi_k \propto \alpha + \#\{y_1 = k\},\quad \hat A_{ij} \propto \alpha + \#\{y_{t-1}=i, y_t=j\},\quad
 * \hat B_{ko} \propto \alpha + \#\{y_t = k, x_t = o\}$$
 * (Gaussian emissions: per-state sample mean and variance, floored). This is the Baum–Welch M-step with
 * one-hot posteriors (Rabiner 1989, eq. 40). Returns the {@link HMM} with `report` (`reason` `'completed'`,
 * one pass over the data: `iterations` 1).
 * @throws ShapeError on empty data or length mismatches; DomainError on state/symbol ids out of range or bad
 * options (unknown keys name the closest one).
 */
export function estimateHMM(data: readonly LabelledSequence[], options: EstimateHMMOptions): FittedHMM {
  const where = 'estimateHMM';
  const clock = stopwatch();
  const o = OPTIONS.parse(options);
  if (o.states === undefined) throw new DomainError(`${where}: option 'states' is required`);
  if (!Array.isArray(data)) throw new ShapeError(`${where}: argument 'data' must be an array of { observations, states }, got ${describeValue(data)}`);
  if (data.length === 0) throw new ShapeError(`${where}: argument 'data' must not be empty`);
  for (let n = 0; n < data.length; n++) {
    const seq = data[n] as unknown;
    if (typeof seq !== 'object' || seq === null || Array.isArray(seq)) {
      throw new DomainError(`${where}: argument 'data[${n}]' must be { observations, states }, got ${describeValue(seq)}`);
    }
  }
  const K = o.states;
  let proto: Emission;
  if (o.emission === 'discrete') {
    const M = o.symbols;
    if (M === undefined) throw new DomainError(`${where}: option 'symbols' is required for discrete emissions`);
    checkMemory(where, `the ${K}×${M} emission table`, 8 * 3 * (K * M + K * K), { alternative: 'fewer states or symbols' });
    proto = discreteEmission(where, Array.from({ length: K }, () => new Float64Array(M).fill(1 / M)));
  } else {
    const D = readMatrix(where, 'data[0].observations', data[0].observations, { vector: 'column' }).columns;
    checkMemory(where, 'the HMM tables', 8 * 3 * (K * D + K * K), { alternative: 'fewer states' });
    proto = gaussianEmission(where, Array.from({ length: K }, () => new Float64Array(D)), Array.from({ length: K }, () => new Float64Array(D).fill(1)));
  }
  const pi = new Float64Array(K).fill(o.smoothing);
  const A = new Float64Array(K * K).fill(o.smoothing);
  const flats: FlatObs[] = [];
  const gammas: Float64Array[] = [];
  data.forEach((seq, n) => {
    const flat = proto.flatten(`${where} (data[${n}])`, seq.observations);
    const states = readLabels(where, `data[${n}].states`, seq.states, { classes: K, length: flat.T });
    const g = new Float64Array(flat.T * K);
    for (let t = 0; t < flat.T; t++) {
      const y = states[t];
      g[t * K + y] = 1;
      if (t === 0) pi[y] += 1;
      else A[states[t - 1] * K + y] += 1;
    }
    flats.push(flat);
    gammas.push(g);
  });
  const em = proto.fit(flats, gammas, { smoothing: o.smoothing, varianceFloor: o.varianceFloor, where, dataName: 'data' });
  const Arows = new Float64Array(K * K);
  for (let i = 0; i < K; i++) Arows.set(normalise(A.subarray(i * K, i * K + K)), i * K);
  return new HMM(normalise(pi), Arows, em, makeFitReport({ reason: 'completed', iterations: 1, elapsedMs: clock() })) as FittedHMM;
}
