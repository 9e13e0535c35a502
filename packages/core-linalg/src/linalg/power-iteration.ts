/**
 * Largest singular value and vectors by power iteration on $A^\top A$.
 */
import { DomainError, ShapeError, assertFinite, assertInteger, assertPositive } from '../errors/index.js';
import { type MatrixInput, toRowMajor, toVector } from './matrix.js';
import { seededUnitVector } from './seeded-vector.js';

/** Options of {@link powerIteration}. */
export interface PowerIterationOptions {
  /** Seed of the deterministic start vector (ignored when `v0` is given). @defaultValue 0 */
  seed?: number;
  /** Stop when $\lVert A^\top u - \sigma v\rVert \le \mathrm{tol}\,\sigma$. @defaultValue 1e-12 */
  tol?: number;
  /** Iteration cap. @defaultValue 1000 */
  maxIterations?: number;
  /** Start vector (length = columns of A, not all zero). @defaultValue a seeded random unit vector */
  v0?: ArrayLike<number>;
}

/** Result of {@link powerIteration}: $A v = \sigma u$, $A^\top u \approx \sigma v$, unit u and v. */
export interface PowerIterationResult {
  sigma: number;
  u: Float64Array;
  v: Float64Array;
  iterations: number;
  converged: boolean;
  reason: 'tolerance' | 'max-iterations' | 'zero-matrix';
}

const DEFAULTS = { seed: 0, tol: 1e-12, maxIterations: 1000 } satisfies Required<
  Omit<PowerIterationOptions, 'v0'>
>;

/** Exponent e with 2^e nearest max|x_i| (0 for an all-zero x). */
function binaryExponent(x: ArrayLike<number>): number {
  let big = 0;
  for (let i = 0; i < x.length; i++) big = Math.max(big, Math.abs(x[i]!));
  return big === 0 ? 0 : Math.round(Math.log2(big));
}

/** x·2^k without intermediate overflow or underflow (two exactly representable factors). */
function scalePow2(x: number, k: number): number {
  const half = Math.trunc(k / 2);
  return x * 2 ** half * 2 ** (k - half);
}

function normalise(x: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * x[i]!;
  const nrm = Math.sqrt(s);
  if (nrm > 0) for (let i = 0; i < x.length; i++) x[i]! /= nrm;
  return nrm;
}

/**
 * Largest singular value $\sigma_1$ of A (m×n) with its singular vectors, by the power method on
 * $A^\top A$ (Golub & Van Loan, *Matrix Computations*, 4th ed., §8.2.1):
 * $w = Av_k,\ \sigma = \lVert w\rVert,\ u = w/\sigma,\ z = A^\top u,\ v_{k+1} = z/\lVert z\rVert$.
 * Converges at rate $(\sigma_2/\sigma_1)^2$; a repeated top singular value still gives the right σ.
 * The start vector comes from a small local seeded generator (`seeded-vector.ts`), so results are reproducible.
 *
 * @throws ShapeError if A is empty or `v0` has the wrong length.
 * @throws NonFiniteError if A or `v0` holds NaN/±Infinity.
 * @throws DomainError if `v0` is all zeros or an option is out of range.
 * @example powerIteration([[3, 0], [0, 1]]).sigma // 3
 */
export function powerIteration(A: MatrixInput, options: PowerIterationOptions = {}): PowerIterationResult {
  const where = 'powerIteration';
  const { data: raw, rows: m, cols: n } = toRowMajor(A, where, 'A');
  if (m === 0 || n === 0) throw new ShapeError(`${where}: argument 'A' must not be empty, got ${m}×${n}`);
  // Work on A·2^{-e} with 2^e ≈ max|a_ij| (exact in binary), so entries near the ends of the double range
  // neither overflow nor underflow in the products; σ is scaled back at the end.
  const e = binaryExponent(raw);
  const data = e === 0 ? raw : raw.map((x) => scalePow2(x, -e));
  const tol = options.tol ?? DEFAULTS.tol;
  assertPositive(where, 'options.tol', tol);
  const maxIterations = options.maxIterations ?? DEFAULTS.maxIterations;
  assertInteger(where, 'options.maxIterations', maxIterations, 1);
  const seed = options.seed ?? DEFAULTS.seed;
  assertFinite(where, 'options.seed', seed);
  let v: Float64Array;
  if (options.v0 !== undefined) {
    v = toVector(options.v0, where, 'options.v0', n, 'columns of A');
    if (normalise(v) === 0) throw new DomainError(`${where}: argument 'options.v0' must not be all zeros`);
  } else {
    v = seededUnitVector(n, seed);
  }
  const u = new Float64Array(m);
  const z = new Float64Array(n);
  let sigma = 0;
  for (let it = 1; it <= maxIterations; it++) {
    // u = A v
    for (let i = 0; i < m; i++) {
      let s = 0;
      const r = i * n;
      for (let j = 0; j < n; j++) s += data[r + j]! * v[j]!;
      u[i] = s;
    }
    sigma = normalise(u);
    if (sigma === 0) {
      u.fill(0);
      u[0] = 1;
      return { sigma: 0, u, v, iterations: it, converged: true, reason: 'zero-matrix' };
    }
    // z = Aᵀ u
    z.fill(0);
    for (let i = 0; i < m; i++) {
      const ui = u[i]!;
      const r = i * n;
      for (let j = 0; j < n; j++) z[j]! += data[r + j]! * ui;
    }
    let res = 0;
    for (let j = 0; j < n; j++) {
      const d = z[j]! - sigma * v[j]!;
      res += d * d;
    }
    const zNorm = normalise(z);
    if (Math.sqrt(res) <= tol * sigma) {
      return { sigma: scalePow2(sigma, e), u, v, iterations: it, converged: true, reason: 'tolerance' };
    }
    v.set(z);
    sigma = zNorm;
  }
  // Recompute u, σ for the final v so that A v = σ u holds exactly.
  for (let i = 0; i < m; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += data[i * n + j]! * v[j]!;
    u[i] = s;
  }
  sigma = normalise(u);
  return { sigma: scalePow2(sigma, e), u, v, iterations: maxIterations, converged: false, reason: 'max-iterations' };
}
