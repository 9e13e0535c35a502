import { DomainError, NonFiniteError, type Rng, readLabels, readMatrix, sampleCategorical } from '@notes/core-linalg';

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
export function discreteEmission(where: string, emission: unknown): Emission {
  const E = readMatrix(where, 'emission', emission);
  const K = E.rows;
  const M = E.columns;
  checkProbabilityRows(where, 'emission', E.data, K, M);
  const B = Array.from({ length: K }, (_, k) => E.data.slice(k * M, (k + 1) * M));
  const logB = new Float64Array(K * M);
  for (let k = 0; k < K; k++) for (let o = 0; o < M; o++) logB[k * M + o] = Math.log(B[k][o]);
  return {
    kind: 'discrete',
    K,
    flatten(w, obs) {
      const ids = readLabels(w, 'observations', obs, { classes: M });
      return { T: ids.length, D: 1, data: Float64Array.from(ids) };
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

/**
 * Checks that every row of a row-major `rows`×`cols` table is a probability vector (entries ≥ 0, sum 1 within
 * 1e-8). The entries are already finite (read by core's `readMatrix`/`readVector`).
 * @throws DomainError naming `name[i]` and the offending entry or sum.
 */
export function checkProbabilityRows(where: string, name: string, data: Float64Array, rows: number, cols: number, tol = 1e-8): void {
  for (let i = 0; i < rows; i++) {
    let sum = 0;
    for (let j = 0; j < cols; j++) {
      const v = data[i * cols + j];
      if (v < 0) throw new DomainError(`${where}: argument '${rows === 1 ? name : `${name}[${i}]`}' must be non-negative, got ${v} at [${j}]`);
      sum += v;
    }
    if (!(Math.abs(sum - 1) <= tol)) {
      throw new DomainError(`${where}: argument '${rows === 1 ? name : `${name}[${i}]`}' must sum to 1 (±${tol}), got ${sum}`);
    }
  }
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
export function gaussianEmission(where: string, means: unknown, variances: unknown): Emission {
  const Mu = readMatrix(where, 'means', means);
  const K = Mu.rows;
  const D = Mu.columns;
  const Va = readMatrix(where, 'variances', variances, { rows: K, columns: D });
  for (let i = 0; i < K * D; i++) {
    if (!(Va.data[i] > 0)) {
      throw new DomainError(`${where}: argument 'variances' must be > 0, got ${Va.data[i]} at [${Math.floor(i / D)}, ${i % D}]`);
    }
  }
  const mu = Array.from({ length: K }, (_, k) => Mu.data.slice(k * D, (k + 1) * D));
  const va = Array.from({ length: K }, (_, k) => Va.data.slice(k * D, (k + 1) * D));
  const logNorm = va.map((v) => v.reduce((s, x) => s - 0.5 * (LOG_2PI + Math.log(x)), 0));
  return {
    kind: 'gaussian',
    K,
    flatten(w, obs) {
      const X = readMatrix(w, 'observations', obs, { vector: D === 1 ? 'column' : 'error', columns: D });
      return { T: X.rows, D, data: X.data };
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
