import {
  assertInteger,
  assertLength,
  DomainError,
  fromRowMajor,
  type MatrixInput,
  powerIteration,
  type Rng,
  toRowMajor,
} from '@notes/core-linalg';
import type { Matrix } from 'ml-matrix';

/** Options of {@link spectralNorm}. */
export interface SpectralNormOptions {
  /** Relative tolerance of the power iteration. @defaultValue 1e-13 */
  tol?: number;
  /** Iteration cap. @defaultValue 10000 */
  maxIterations?: number;
  /** Seed of the start vector. @defaultValue 0 */
  seed?: number;
}

/** Result of {@link spectralNorm}. */
export interface SpectralNormResult {
  /** σ_max(W) = sup_x ‖Wx‖₂/‖x‖₂. */
  sigma: number;
  iterations: number;
  converged: boolean;
  /** Why the power iteration stopped (core's `powerIteration`). */
  reason: 'tolerance' | 'max-iterations' | 'zero-matrix';
}

/**
 * Spectral norm σ_max(W) (notes: Lipschitz — a linear map x ↦ Wx is σ_max-Lipschitz in ‖·‖₂) by
 * power iteration on WᵀW (core's `powerIteration`, run to convergence).
 * @throws ShapeError/NonFiniteError for an empty or non-finite W.
 * @example spectralNorm([[3, 0], [0, 1]]).sigma // 3
 */
export function spectralNorm(W: MatrixInput, options: SpectralNormOptions = {}): SpectralNormResult {
  const r = powerIteration(W, {
    tol: options.tol ?? 1e-13,
    maxIterations: options.maxIterations ?? 10000,
    seed: options.seed ?? 0,
  });
  return { sigma: r.sigma, iterations: r.iterations, converged: r.converged, reason: r.reason };
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
  assertInteger('createSpectralNormState', 'rows', rows, 1);
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
  /** Power-iteration steps per call (SN-GAN uses 1 per training step). @defaultValue 1 */
  iterations?: number;
}

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
 * power iteration spread over training. The caller's W and state are not modified.
 * @throws ShapeError (u length ≠ rows of W, empty W), NonFiniteError, DomainError (W = 0, bad iterations).
 */
export function spectralNormalize(
  W: MatrixInput,
  state: SpectralNormState,
  options: SpectralNormalizeOptions = {},
): SpectralNormalizeResult {
  const where = 'spectralNormalize';
  const iterations = options.iterations ?? 1;
  assertInteger(where, 'options.iterations', iterations, 1);
  const { data, rows, cols } = toRowMajor(W, where, 'W');
  assertLength(where, 'state.u', state.u, rows, 'rows of W');
  const u = Float64Array.from(state.u);
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
  const scaled = new Float64Array(data.length);
  for (let k = 0; k < data.length; k++) scaled[k] = data[k]! / sigma;
  return { weight: fromRowMajor(scaled, rows, cols), sigma, state: { u, steps: state.steps + iterations } };
}
