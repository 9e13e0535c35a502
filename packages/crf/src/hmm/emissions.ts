import {
  assertFinite,
  assertInteger,
  assertNonEmpty,
  assertPositive,
  assertProbabilityVector,
  NonFiniteError,
  type Rng,
  sampleCategorical,
  ShapeError,
} from '@notes/core-linalg';

/** Observations of one sequence: symbol ids (discrete), numbers (1-D Gaussian) or rows (D-dim Gaussian). */
export type Observations = ArrayLike<number> | ArrayLike<ArrayLike<number>>;

/** Observations after validation: T steps, D values per step (D = 1 for discrete symbols). */
export interface FlatObs {
  T: number;
  D: number;
  data: Float64Array;
}

/** An emission model $p(x_t \mid y_t = k)$ of an HMM. */
export interface Emission {
  readonly kind: 'discrete' | 'gaussian';
  /** Number of hidden states K. */
  readonly K: number;
  /** Validates and flattens one observation sequence. */
  flatten(where: string, obs: Observations): FlatObs;
  /** Writes $\log p(x_t \mid k)$ into `out[t·K + k]`. */
  logProbs(obs: FlatObs, out: Float64Array): void;
  /** Draws one observation (length-D array) from state k. */
  sample(k: number, rng: Rng): number[];
  /**
   * Re-estimates from posteriors γ (per sequence, T×K flat): the M-step. `where`/`dataName` name the caller and
   * its data argument in errors (e.g. a Gaussian variance that overflows).
   */
  fit(
    seqs: readonly FlatObs[],
    gammas: readonly Float64Array[],
    options: { smoothing: number; varianceFloor: number; where?: string; dataName?: string },
  ): Emission;
  /** Plain-JSON parameters. */
  toJSON(): DiscreteEmissionJSON | GaussianEmissionJSON;
}

/** JSON of a discrete emission: K×M probabilities. */
export interface DiscreteEmissionJSON {
  kind: 'discrete';
  emission: number[][];
}
/** JSON of a diagonal Gaussian emission: K×D means and variances. */
export interface GaussianEmissionJSON {
  kind: 'gaussian';
  means: number[][];
  variances: number[][];
}

/** Discrete emissions $p(x_t = o \mid y_t = k) = B_{ko}$ (notes: HMM, $\mu_{oi} = \log p(x_t=o\mid y_t=i)$). */
export function discreteEmission(where: string, emission: readonly ArrayLike<number>[]): Emission {
  assertNonEmpty(where, 'emission', emission);
  const K = emission.length;
  const M = emission[0].length;
  emission.forEach((row, k) => {
    if (row.length !== M) throw new ShapeError(`${where}: argument 'emission[${k}]' must have length ${M}, got ${row.length}`);
    assertProbabilityVector(where, `emission[${k}]`, row);
  });
  const B = emission.map((r) => Float64Array.from(r));
  const logB = new Float64Array(K * M);
  for (let k = 0; k < K; k++) for (let o = 0; o < M; o++) logB[k * M + o] = Math.log(B[k][o]);
  return {
    kind: 'discrete',
    K,
    flatten(w, obs) {
      assertNonEmpty(w, 'observations', obs);
      const data = new Float64Array(obs.length);
      for (let t = 0; t < obs.length; t++) {
        const v = obs[t];
        if (typeof v !== 'number') throw new ShapeError(`${w}: argument 'observations' must hold symbol ids, got an array at [${t}]`);
        assertInteger(w, `observations[${t}]`, v, 0, M - 1);
        data[t] = v;
      }
      return { T: obs.length, D: 1, data };
    },
    logProbs(obs, out) {
      for (let t = 0; t < obs.T; t++) {
        const o = obs.data[t];
        for (let k = 0; k < K; k++) out[t * K + k] = logB[k * M + o];
      }
    },
    sample(k, rng) {
      return [sampleCategorical(rng, B[k])];
    },
    fit(seqs, gammas, { smoothing }) {
      const counts = Array.from({ length: K }, () => new Float64Array(M).fill(smoothing));
      seqs.forEach((s, n) => {
        const g = gammas[n];
        for (let t = 0; t < s.T; t++) for (let k = 0; k < K; k++) counts[k][s.data[t]] += g[t * K + k];
      });
      return discreteEmission(where, counts.map(normalise));
    },
    toJSON() {
      return { kind: 'discrete', emission: B.map((r) => Array.from(r)) };
    },
  };
}

/** Normalises a non-negative row to sum 1 (uniform if it sums to 0). */
export function normalise(row: Float64Array): Float64Array {
  let s = 0;
  for (const v of row) s += v;
  return s > 0 ? row.map((v) => v / s) : row.map(() => 1 / row.length);
}

const LOG_2PI = Math.log(2 * Math.PI);

/**
 * Diagonal Gaussian emissions $p(x_t \mid y_t = k) = \prod_d \mathcal N(x_{td}; \mu_{kd}, \sigma^2_{kd})$.
 */
export function gaussianEmission(where: string, means: readonly ArrayLike<number>[], variances: readonly ArrayLike<number>[]): Emission {
  assertNonEmpty(where, 'means', means);
  const K = means.length;
  const D = means[0].length;
  if (D === 0) throw new ShapeError(`${where}: argument 'means[0]' must not be empty`);
  if (variances.length !== K) throw new ShapeError(`${where}: argument 'variances' must have ${K} rows (states), got ${variances.length}`);
  for (let k = 0; k < K; k++) {
    if (means[k].length !== D) throw new ShapeError(`${where}: argument 'means[${k}]' must have length ${D}, got ${means[k].length}`);
    if (variances[k].length !== D) throw new ShapeError(`${where}: argument 'variances[${k}]' must have length ${D}, got ${variances[k].length}`);
    assertFinite(where, `means[${k}]`, means[k]);
    for (let d = 0; d < D; d++) assertPositive(where, `variances[${k}][${d}]`, variances[k][d]);
  }
  const mu = means.map((r) => Float64Array.from(r));
  const va = variances.map((r) => Float64Array.from(r));
  const logNorm = va.map((v) => v.reduce((s, x) => s - 0.5 * (LOG_2PI + Math.log(x)), 0));
  return {
    kind: 'gaussian',
    K,
    flatten(w, obs) {
      assertNonEmpty(w, 'observations', obs);
      const T = obs.length;
      const data = new Float64Array(T * D);
      for (let t = 0; t < T; t++) {
        const v = obs[t];
        if (typeof v === 'number') {
          if (D !== 1) throw new ShapeError(`${w}: argument 'observations[${t}]' must be a row of length ${D}, got a number`);
          data[t] = v;
        } else {
          if (v.length !== D) throw new ShapeError(`${w}: argument 'observations[${t}]' must have length ${D}, got ${v.length}`);
          for (let d = 0; d < D; d++) data[t * D + d] = v[d];
        }
      }
      assertFinite(w, 'observations', data);
      return { T, D, data };
    },
    logProbs(obs, out) {
      for (let t = 0; t < obs.T; t++) {
        for (let k = 0; k < K; k++) {
          let s = logNorm[k];
          for (let d = 0; d < D; d++) {
            const z = obs.data[t * D + d] - mu[k][d];
            s -= (0.5 * z * z) / va[k][d];
          }
          out[t * K + k] = s;
        }
      }
    },
    sample(k, rng) {
      return Array.from({ length: D }, (_, d) => mu[k][d] + Math.sqrt(va[k][d]) * rng.normal());
    },
    fit(seqs, gammas, { varianceFloor, where: caller = where, dataName = 'observations' }) {
      const w = new Float64Array(K);
      const s1 = Array.from({ length: K }, () => new Float64Array(D));
      const s2 = Array.from({ length: K }, () => new Float64Array(D));
      seqs.forEach((s, n) => {
        const g = gammas[n];
        for (let t = 0; t < s.T; t++) {
          for (let k = 0; k < K; k++) {
            const gk = g[t * K + k];
            w[k] += gk;
            for (let d = 0; d < D; d++) {
              const x = s.data[t * D + d];
              s1[k][d] += gk * x;
              s2[k][d] += gk * x * x;
            }
          }
        }
      });
      const m2 = s1.map((r, k) => r.map((v, d) => (w[k] > 0 ? v / w[k] : mu[k][d])));
      const v2 = s2.map((r, k) => r.map((v, d) => Math.max(varianceFloor, w[k] > 0 ? v / w[k] - m2[k][d] ** 2 : va[k][d])));
      v2.forEach((r, k) => {
        if (!r.every(Number.isFinite)) {
          throw new NonFiniteError(`${caller}: the variance of state ${k} overflows (Σ x² > 1.8e308); rescale argument '${dataName}'`);
        }
      });
      return gaussianEmission(caller, m2, v2);
    },
    toJSON() {
      return { kind: 'gaussian', means: mu.map((r) => Array.from(r)), variances: va.map((r) => Array.from(r)) };
    },
  };
}
