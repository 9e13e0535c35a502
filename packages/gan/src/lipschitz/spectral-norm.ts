import {
  defineOptions,
  DomainError,
  describeValue,
  fromRowMajor,
  type MatrixInput,
  powerIteration,
  readMatrix,
  readVector,
  type Rng,
} from '@notes/core-linalg';
import type { Matrix } from 'ml-matrix';

/** Options of {@link spectralNorm}. */
export interface SpectralNormOptions {
  /** Relative tolerance of the power iteration (‖Wᵀu − σv‖ ≤ tol·σ). @defaultValue 1e-13 */
  tol?: number;
  /** Iteration cap, 1 … 1e7. @defaultValue 10000 */
  maxIterations?: number;
  /** Seed of the start vector (an integer ≥ 0). @defaultValue 0 */
  seed?: number;
}

/** Defaults of {@link spectralNorm}. */
const OPTIONS = defineOptions<SpectralNormOptions>()('spectralNorm', {
  tol: { type: 'number', greaterThan: 0, default: 1e-13, doc: 'relative tolerance of the power iteration' },
  maxIterations: { type: 'integer', min: 1, max: 1e7, default: 10000, doc: 'iteration cap (≤ 1e7)' },
  seed: { type: 'integer', min: 0, max: Number.MAX_SAFE_INTEGER, default: 0, doc: 'seed of the start vector' },
});

/** Result of {@link spectralNorm}. */
export interface SpectralNormResult {
  /** σ_max(W) = sup_x ‖Wx‖₂/‖x‖₂. */
  sigma: number;
  iterations: number;
  converged: boolean;
  /** Why the power iteration stopped (core's `powerIteration`). */
  reason: 'tolerance' | 'max-iterations' | 'zero-matrix';
}

/** x·2^k without overflow of 2^k itself (two exact power-of-two factors). */
function times2Pow(x: number, k: number): number {
  const h = Math.trunc(k / 2);
  return x * 2 ** h * 2 ** (k - h);
}

/**
 * Exponent k with max|data|·2^−k in [1, 2) (0 for a zero matrix). Dividing by 2^k is exact and σ is
 * homogeneous, σ(W) = 2^k σ(2^−k W), so the iteration runs on entries of order 1: squares of entries
 * near 1e±160 no longer overflow to ∞ or underflow to 0.
 */
function pow2Exponent(data: Float64Array): number {
  let big = 0;
  for (let k = 0; k < data.length; k++) big = Math.max(big, Math.abs(data[k]!));
  if (big === 0) return 0;
  let e = Math.floor(Math.log2(big));
  if (times2Pow(big, -e) >= 2) e++; // log2 rounding at the top of a binade
  else if (times2Pow(big, -e) < 1) e--;
  return e;
}

function scaled(data: Float64Array, e: number): Float64Array {
  const out = new Float64Array(data.length);
  for (let k = 0; k < data.length; k++) out[k] = times2Pow(data[k]!, -e);
  return out;
}

/**
 * Spectral norm σ_max(W) (notes: Lipschitz — a linear map x ↦ Wx is σ_max-Lipschitz in ‖·‖₂) by
 * power iteration on WᵀW (core's `powerIteration`, run to convergence) on W rescaled by a power of
 * two, so the result is accurate for entries of any finite magnitude (σ itself may overflow to ∞ only
 * when it exceeds 1.8e308).
 * @throws ShapeError/NonFiniteError for an empty or non-finite W; DomainError for bad options.
 * @example spectralNorm([[3, 0], [0, 1]]).sigma // 3
 */
export function spectralNorm(W: MatrixInput, options?: SpectralNormOptions): SpectralNormResult {
  const where = 'spectralNorm';
  const { tol, maxIterations, seed } = OPTIONS.parse(options);
  const { data, rows, columns: cols } = readMatrix(where, 'W', W, { vector: 'row' });
  const e = pow2Exponent(data);
  const r = powerIteration(fromRowMajor(scaled(data, e), rows, cols), { tol, maxIterations, seed });
  return { sigma: times2Pow(r.sigma, e), iterations: r.iterations, converged: r.converged, reason: r.reason };
}

/** The persistent left singular-vector estimate of spectral normalisation (immutable; each call returns a new one). */
export interface SpectralNormState {
  /** Unit vector of length rows(W). */
  readonly u: Float64Array;
  /** Power-iteration steps taken so far. */
  readonly steps: number;
}

/**
 * Starts a spectral-normalisation state with a random unit vector u ~ N(0, I)/‖·‖ (Miyato et al. 2018, Alg. 1).
 * @throws DomainError if rows is not a positive integer.
 */
export function createSpectralNormState(rows: number, rng: Rng): SpectralNormState {
  const where = 'createSpectralNormState';
  if (typeof rows !== 'number' || !Number.isInteger(rows) || rows < 1 || rows > 2 ** 31) {
    throw new DomainError(`${where}: argument 'rows' must be an integer in [1, 2^31], got ${describeValue(rows)}`);
  }
  if (typeof rng !== 'object' || rng === null || typeof rng.normal !== 'function') {
    throw new DomainError(`${where}: argument 'rng' must be a generator from createRng, got ${describeValue(rng)}`);
  }
  const u = new Float64Array(rows);
  let s = 0;
  for (let i = 0; i < rows; i++) {
    u[i] = rng.normal();
    s += u[i]! * u[i]!;
  }
  const nrm = Math.sqrt(s);
  for (let i = 0; i < rows; i++) u[i] = u[i]! / nrm;
  return { u, steps: 0 };
}

/** Options of {@link spectralNormalize}. */
export interface SpectralNormalizeOptions {
  /** Power-iteration steps per call, 1 … 1e6 (SN-GAN uses 1 per training step). @defaultValue 1 */
  iterations?: number;
}

const NORMALIZE_OPTIONS = defineOptions<SpectralNormalizeOptions>()('spectralNormalize', {
  iterations: { type: 'integer', min: 1, max: 1e6, default: 1, doc: 'power-iteration steps per call (≤ 1e6)' },
});

/** Result of {@link spectralNormalize}. */
export interface SpectralNormalizeResult {
  /** W / σ̂. */
  weight: Matrix;
  /** The estimate σ̂ = uᵀWv. */
  sigma: number;
  /** State to pass to the next call. */
  state: SpectralNormState;
}

/**
 * Spectral normalisation W̄ = W/σ̂(W) with a persistent vector (notes: A := A/σ_max; Miyato et al.,
 * *Spectral Normalization for GANs*, 2018, Alg. 1): each call does `iterations` steps
 * $$v \leftarrow W^\top u/\|W^\top u\|,\quad u \leftarrow W v/\|W v\|,\quad \hat\sigma = u^\top W v$$
 * starting from the previous u, so across calls (while W changes slowly) σ̂ tracks σ_max like a
 * power iteration spread over training. Runs on W rescaled by a power of two (exact), so entries of
 * any finite magnitude work. The caller's W and state are not modified.
 * @throws ShapeError (u length ≠ rows of W, empty W), NonFiniteError (W or state.u), DomainError (W = 0,
 *   bad iterations).
 */
export function spectralNormalize(
  W: MatrixInput,
  state: SpectralNormState,
  options?: SpectralNormalizeOptions,
): SpectralNormalizeResult {
  const where = 'spectralNormalize';
  const { iterations } = NORMALIZE_OPTIONS.parse(options);
  const raw = readMatrix(where, 'W', W, { vector: 'row' });
  const { rows, columns: cols } = raw;
  if (typeof state !== 'object' || state === null) {
    throw new DomainError(`${where}: argument 'state' must be a state from createSpectralNormState, got ${describeValue(state)}`);
  }
  const u0 = readVector(where, 'state.u', state.u, { length: rows });
  const steps = state.steps;
  if (typeof steps !== 'number' || !Number.isInteger(steps) || steps < 0) {
    throw new DomainError(`${where}: argument 'state.steps' must be an integer >= 0, got ${describeValue(steps)}`);
  }
  // iterate on 2^−e W (exact; entries of order 1), so ‖Wᵀu‖² cannot overflow or underflow; σ̂ = 2^e σ̂(2^−e W)
  const e = pow2Exponent(raw.data);
  const data = scaled(raw.data, e);
  const u = u0;
  const v = new Float64Array(cols);
  let sigma = 0;
  for (let k = 0; k < iterations; k++) {
    v.fill(0);
    for (let i = 0; i < rows; i++) {
      const ui = u[i]!;
      for (let j = 0; j < cols; j++) v[j] = v[j]! + data[i * cols + j]! * ui;
    }
    let nv = 0;
    for (let j = 0; j < cols; j++) nv += v[j]! * v[j]!;
    nv = Math.sqrt(nv);
    if (!(nv > 0)) throw new DomainError(`${where}: Wᵀu = 0 (W is zero or u is orthogonal to its range); restart the state`);
    for (let j = 0; j < cols; j++) v[j] = v[j]! / nv;
    let nu = 0;
    for (let i = 0; i < rows; i++) {
      let s = 0;
      for (let j = 0; j < cols; j++) s += data[i * cols + j]! * v[j]!;
      u[i] = s;
      nu += s * s;
    }
    sigma = Math.sqrt(nu); // uᵀWv with u = Wv/‖Wv‖
    if (!(sigma > 0)) throw new DomainError(`${where}: W v = 0; W must not be zero`);
    for (let i = 0; i < rows; i++) u[i] = u[i]! / sigma;
  }
  const normalised = new Float64Array(data.length);
  for (let k = 0; k < data.length; k++) normalised[k] = data[k]! / sigma; // (2^−e W)/(2^−e σ̂) = W/σ̂
  return {
    weight: fromRowMajor(normalised, rows, cols),
    sigma: times2Pow(sigma, e),
    state: Object.freeze({ u, steps: steps + iterations }),
  };
}
