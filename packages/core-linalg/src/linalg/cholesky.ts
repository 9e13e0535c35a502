/**
 * Robust Cholesky factorisation $A = LL^\top$ with adaptive diagonal jitter.
 */
import {
  DomainError,
  NotPositiveDefiniteError,
  ShapeError,
  assertFinite,
  assertNonNegative,
  isMatrixLike,
} from '../errors/index.js';
import { type MatrixInput, toRowMajor, toVector } from './matrix.js';
import { potrfInPlace } from './potrf.js';
import { RowMajorMatrix } from './row-major-matrix.js';
import {
  backwardTransInPlace,
  backwardTransMatrixInPlace,
  forwardInPlace,
  forwardMatrixInPlace,
} from './triangular.js';

/** Options of {@link cholesky}. */
export interface CholeskyOptions {
  /**
   * `'auto'`: try without jitter, then add $\epsilon = 10^{-10}\bar d, 10^{-9}\bar d, \dots$ to the diagonal
   * ($\bar d$ = mean diagonal, or 1 if that is ≤ 0) until it factors or ε exceeds `maxJitter`.
   * A number: add exactly that (≥ 0) once, no retries.
   * @defaultValue `'auto'`
   */
  jitter?: number | 'auto';
  /** Largest jitter tried in `'auto'` mode (absolute). @defaultValue `1e-2 · mean diagonal` */
  maxJitter?: number;
}

/**
 * Defaults of {@link CholeskyOptions}: `jitter` itself, the first automatic jitter and `maxJitter` as multiples of the mean diagonal
 * (1 when the mean diagonal is ≤ 0).
 */
const DEFAULTS = { jitter: 'auto', firstJitterPerMeanDiagonal: 1e-10, maxJitterPerMeanDiagonal: 1e-2 } as const;

/**
 * A Cholesky factor $A + \epsilon I = LL^\top$ with the solves it enables.
 *
 * Its 2-D results (`L`, `solveMatrix`, `inverse`) are core's {@link RowMajorMatrix} (row-major `data`,
 * `get(i, j)`, `getRow`, `getColumn`, `to1DArray`, `to2DArray`), not ml-matrix `Matrix` objects, so that a
 * page importing `cholesky` does not download ml-matrix. Each call returns a fresh matrix the caller owns.
 * A `RowMajorMatrix` is accepted wherever a matrix is; `new Matrix(m.to2DArray())` gives an ml-matrix copy.
 */
export interface CholeskyFactor {
  /** Order of the matrix. */
  readonly n: number;
  /** The lower-triangular factor (strict upper triangle zero): a fresh {@link RowMajorMatrix} on each access. */
  readonly L: RowMajorMatrix;
  /** Jitter ε added to the diagonal before factoring (0 if none was needed). */
  readonly jitter: number;
  /** Row-major L (n·n, strict upper triangle zero). Do not modify. */
  readonly lowerData: Float64Array;
  /** $x = (LL^\top)^{-1} b$. */
  solve(b: ArrayLike<number>): Float64Array;
  /** $X = (LL^\top)^{-1} B$ for B with n rows, as a new {@link RowMajorMatrix} (B is not modified). */
  solveMatrix(B: MatrixInput): RowMajorMatrix;
  /** $x = L^{-1} b$, or $x = L^{-\top} b$ with `{ transpose: true }`. */
  solveTriangular(b: ArrayLike<number>, options?: { transpose?: boolean }): Float64Array;
  /** $\log\det(LL^\top) = 2\sum_i \log L_{ii}$. */
  logDet(): number;
  /** $(LL^\top)^{-1}$ (prefer the solves), symmetric, as a new {@link RowMajorMatrix}. */
  inverse(): RowMajorMatrix;
}

const SYM_TOL = 1e-8;

class Factor implements CholeskyFactor {
  readonly n: number;
  readonly jitter: number;
  readonly lowerData: Float64Array;
  constructor(lowerData: Float64Array, n: number, jitter: number) {
    this.n = n;
    this.jitter = jitter;
    this.lowerData = lowerData;
  }
  get L(): RowMajorMatrix {
    return new RowMajorMatrix(this.n, this.n, this.lowerData.slice());
  }
  solve(b: ArrayLike<number>): Float64Array {
    const x = toVector(b, 'CholeskyFactor.solve', 'b', this.n, 'order of the factor');
    forwardInPlace(this.lowerData, this.n, x);
    backwardTransInPlace(this.lowerData, this.n, x);
    return x;
  }
  solveMatrix(B: MatrixInput): RowMajorMatrix {
    const { data, rows, cols } = toRowMajor(B, 'CholeskyFactor.solveMatrix', 'B');
    if (rows !== this.n) {
      throw new ShapeError(`CholeskyFactor.solveMatrix: argument 'B' must have ${this.n} rows, got ${rows}×${cols}`);
    }
    forwardMatrixInPlace(this.lowerData, this.n, data, cols);
    backwardTransMatrixInPlace(this.lowerData, this.n, data, cols);
    return new RowMajorMatrix(rows, cols, data);
  }
  solveTriangular(b: ArrayLike<number>, options: { transpose?: boolean } = {}): Float64Array {
    const x = toVector(b, 'CholeskyFactor.solveTriangular', 'b', this.n, 'order of the factor');
    if (options.transpose) backwardTransInPlace(this.lowerData, this.n, x);
    else forwardInPlace(this.lowerData, this.n, x);
    return x;
  }
  logDet(): number {
    let s = 0;
    for (let i = 0; i < this.n; i++) s += Math.log(this.lowerData[i * this.n + i]!);
    return 2 * s;
  }
  inverse(): RowMajorMatrix {
    const n = this.n;
    const I = new Float64Array(n * n);
    for (let i = 0; i < n; i++) I[i * n + i] = 1;
    forwardMatrixInPlace(this.lowerData, n, I, n);
    backwardTransMatrixInPlace(this.lowerData, n, I, n);
    // Symmetrise the rounding.
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < i; j++) {
        const v = 0.5 * (I[i * n + j]! + I[j * n + i]!);
        I[i * n + j] = v;
        I[j * n + i] = v;
      }
    }
    return new RowMajorMatrix(n, n, I);
  }
}

/** True when `x` is a {@link CholeskyFactor} (e.g. to accept `MatrixInput | CholeskyFactor`). */
export function isCholeskyFactor(x: unknown): x is CholeskyFactor {
  return x instanceof Factor;
}

/**
 * Cholesky factorisation of a symmetric positive-definite matrix, $A + \epsilon I = LL^\top$.
 *
 * Blocked right-looking algorithm (Golub & Van Loan, *Matrix Computations*, 4th ed., Alg. 4.2.4;
 * LAPACK `dpotrf`) whose trailing updates run on the packed GEMM kernel of {@link matmul}.
 * Only the lower triangle is used, after checking symmetry to a relative tolerance of 1e-8.
 * With `jitter: 'auto'` (default) a failed factorisation is retried with growing diagonal jitter
 * (×10 from $10^{-10}$ times the mean diagonal up to `maxJitter`); the jitter used is reported on
 * the factor, never applied silently.
 *
 * @throws ShapeError if A is not square or is empty.
 * @throws NonFiniteError if A holds NaN or ±Infinity.
 * @throws DomainError if A is not symmetric, or an option is out of range.
 * @throws NotPositiveDefiniteError if A is not positive definite even with the largest jitter allowed.
 * @example cholesky([[4, 2], [2, 3]]).L.get(1, 1) // √2
 */
export function cholesky(A: MatrixInput, options: CholeskyOptions = {}): CholeskyFactor {
  const where = 'cholesky';
  if (!isMatrixLike(A) && !Array.isArray(A)) {
    throw new ShapeError(`${where}: argument 'A' must be a Matrix, RowMajorMatrix or number[][], got ${typeof A}`);
  }
  const { data, rows, cols } = toRowMajor(A, where, 'A');
  if (rows !== cols) throw new ShapeError(`${where}: argument 'A' must be square, got ${rows}×${cols}`);
  if (rows === 0) throw new ShapeError(`${where}: argument 'A' must not be empty`);
  const n = rows;
  const jitterOpt = options.jitter ?? DEFAULTS.jitter;
  if (jitterOpt !== 'auto') {
    if (typeof jitterOpt !== 'number') {
      throw new DomainError(`${where}: option 'jitter' must be 'auto' or a number >= 0, got ${String(jitterOpt)}`);
    }
    assertNonNegative(where, 'options.jitter', jitterOpt);
  }
  let meanDiag = 0;
  let maxAbsDiag = 0;
  for (let i = 0; i < n; i++) {
    const d = data[i * n + i]!;
    meanDiag += d / n;
    maxAbsDiag = Math.max(maxAbsDiag, Math.abs(d));
  }
  const scale = meanDiag > 0 ? meanDiag : 1;
  const maxJitter = options.maxJitter ?? DEFAULTS.maxJitterPerMeanDiagonal * scale;
  assertFinite(where, 'options.maxJitter', maxJitter);
  assertNonNegative(where, 'options.maxJitter', maxJitter);
  checkSymmetric(data, n, maxAbsDiag);

  const attempts: number[] = jitterOpt === 'auto' ? autoJitters(scale, maxJitter) : [jitterOpt];
  let lastPivot = -1;
  // The first attempt factors the validated copy in place (no extra n² copy in the common case);
  // a retry re-reads the caller's matrix, which is never modified.
  let work = data;
  for (let t = 0; t < attempts.length; t++) {
    const eps = attempts[t]!;
    if (t > 0) work = toRowMajor(A, where, 'A').data;
    if (eps > 0) for (let i = 0; i < n; i++) work[i * n + i] += eps;
    const bad = potrfInPlace(work, n);
    if (bad < 0) return new Factor(work, n, eps);
    lastPivot = bad;
  }
  const tried = attempts[attempts.length - 1]!;
  const fix = jitterOpt === 'auto' ? 'raise options.maxJitter' : "use jitter: 'auto' or a larger jitter";
  throw new NotPositiveDefiniteError(
    `${where}: argument 'A' (${n}×${n}) is not positive definite (pivot ${lastPivot} ≤ 0) even with diagonal jitter ${tried}; ${fix} or check the matrix`,
    tried,
  );
}

function autoJitters(scale: number, maxJitter: number): number[] {
  const out = [0];
  for (let eps = DEFAULTS.firstJitterPerMeanDiagonal * scale; eps <= maxJitter * (1 + 1e-12); eps *= 10) out.push(eps);
  return out;
}

function checkSymmetric(a: Float64Array, n: number, maxAbsDiag: number): void {
  const floor = Math.max(maxAbsDiag, Number.MIN_VALUE);
  const T = 32; // tile so that the transposed reads stay in cache
  for (let i0 = 0; i0 < n; i0 += T) {
    const i1 = Math.min(n, i0 + T);
    for (let j0 = 0; j0 <= i0; j0 += T) {
      for (let i = i0; i < i1; i++) {
        const j1 = Math.min(i, j0 + T);
        for (let j = j0; j < j1; j++) {
          const x = a[i * n + j]!;
          const y = a[j * n + i]!;
          if (Math.abs(x - y) > SYM_TOL * Math.max(Math.abs(x), Math.abs(y), floor)) {
            throw new DomainError(
              `cholesky: argument 'A' must be symmetric, got A[${i}, ${j}] = ${x} but A[${j}, ${i}] = ${y}`,
            );
          }
        }
      }
    }
  }
}

/**
 * Solves $Ax = b$ for symmetric positive-definite A by {@link cholesky} (default `'auto'` jitter).
 * @throws as {@link cholesky}; ShapeError if `b.length` differs from the order of A.
 * @example choleskySolve([[4, 2], [2, 3]], [2, 1]) // Float64Array [0.5, 0]
 */
export function choleskySolve(A: MatrixInput, b: ArrayLike<number>): Float64Array {
  const rows = isMatrixLike(A) ? A.rows : Array.isArray(A) ? A.length : -1;
  const x = toVector(b, 'choleskySolve', 'b', rows >= 0 ? rows : undefined, 'rows of A');
  return cholesky(A).solve(x);
}
