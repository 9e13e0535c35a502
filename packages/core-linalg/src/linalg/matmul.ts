/**
 * Dense row-major matrix products on contiguous `Float64Array`s.
 * The kernels live in `gemm.ts`; this file validates and dispatches.
 */
import type { Matrix } from 'ml-matrix';
import { ShapeError, assertInteger, checkMemory, describeValue, DEFAULT_MAX_MEMORY_BYTES } from '../errors/index.js';
import { gemm } from './gemm.js';
import { type MatrixInput, fromRowMajor, toRowMajor } from './matrix.js';

function checkDims(where: string, m: number, k: number, n: number): void {
  assertInteger(where, 'm', m, 0);
  assertInteger(where, 'k', k, 0);
  assertInteger(where, 'n', n, 0);
}

function checkArray(where: string, name: string, x: Float64Array, len: number, what: string): void {
  if (!(x instanceof Float64Array)) {
    throw new ShapeError(`${where}: argument '${name}' must be a Float64Array, got ${describeValue(x)}`);
  }
  if (x.length < len) {
    throw new ShapeError(`${where}: argument '${name}' must have length >= ${len} (${what}), got ${x.length}`);
  }
}

function prepareOut(where: string, out: Float64Array | undefined, m: number, n: number): Float64Array {
  if (out === undefined) {
    if (8 * m * n > DEFAULT_MAX_MEMORY_BYTES) checkMemory(where, `the ${m}×${n} product`, 8 * m * n);
    return new Float64Array(m * n);
  }
  checkArray(where, 'out', out, m * n, 'm·n');
  return out;
}

function run(
  where: string,
  a: Float64Array,
  b: Float64Array,
  m: number,
  k: number,
  n: number,
  out: Float64Array | undefined,
  transA: boolean,
  transB: boolean,
): Float64Array {
  checkDims(where, m, k, n);
  checkArray(where, 'a', a, m * k, transA ? 'k·m, A stored k×m' : 'm·k');
  checkArray(where, 'b', b, k * n, transB ? 'n·k, B stored n×k' : 'k·n');
  const c = prepareOut(where, out, m, n);
  if (c === a || c === b) {
    throw new ShapeError(`${where}: argument 'out' must not alias 'a' or 'b'`);
  }
  // lda/ldb are the row strides of A and B as stored; β = 0: C's old contents are never read (k = 0 gives zeros)
  gemm(m, n, k, a, transA ? m : k, transA, b, transB ? k : n, transB, c, n, 0);
  return c;
}

/**
 * Row-major dense product $C = A B$ with $A \in \mathbb R^{m\times k}$, $B \in \mathbb R^{k\times n}$.
 *
 * Cache-blocked (panels of B packed to fit L2, A packed into 4-row slivers) with a 4×4 register-tiled
 * micro-kernel, the Goto–van de Geijn layout (Goto & van de Geijn, "Anatomy of high-performance matrix
 * multiplication", ACM TOMS 34(3), 2008). The micro-kernel is WebAssembly SIMD (f64x2) where the runtime
 * supports it and plain JavaScript otherwise. Inputs are not validated for finiteness (hot path);
 * shapes are. Not re-entrant across threads that share the module (the packing buffers are module-level).
 *
 * @param a - row-major A, length ≥ m·k.
 * @param b - row-major B, length ≥ k·n.
 * @param out - optional output (length ≥ m·n), overwritten; must not alias `a` or `b`.
 * @returns C (row-major m×n), `out` if given.
 * @throws ShapeError if an array is too short, not a Float64Array, or `out` aliases an input.
 * @throws DomainError if m, k or n is not a non-negative integer.
 * @example matmul(new Float64Array([1, 2]), new Float64Array([3, 4]), 1, 2, 1) // Float64Array [11]
 */
export function matmul(
  a: Float64Array,
  b: Float64Array,
  m: number,
  k: number,
  n: number,
  out?: Float64Array,
): Float64Array {
  return run('matmul', a, b, m, k, n, out, false, false);
}

/**
 * $C = A^\top B$ where A is stored row-major as k×m and B as k×n; C is m×n.
 * Same kernel as {@link matmul} (the transpose is absorbed by the packing step).
 * @throws ShapeError, DomainError as {@link matmul}.
 */
export function matmulTransA(
  a: Float64Array,
  b: Float64Array,
  m: number,
  k: number,
  n: number,
  out?: Float64Array,
): Float64Array {
  return run('matmulTransA', a, b, m, k, n, out, true, false);
}

/**
 * $C = A B^\top$ where A is stored row-major as m×k and B as n×k; C is m×n.
 * Same kernel as {@link matmul} (the transpose is absorbed by the packing step).
 * @throws ShapeError, DomainError as {@link matmul}.
 */
export function matmulTransB(
  a: Float64Array,
  b: Float64Array,
  m: number,
  k: number,
  n: number,
  out?: Float64Array,
): Float64Array {
  return run('matmulTransB', a, b, m, k, n, out, false, true);
}

/**
 * Matrix product of two public matrices through the fast kernel: $C = AB$.
 * @throws ShapeError if `A.columns !== B.rows` or an input is not rectangular.
 * @throws NonFiniteError if an entry is NaN or ±Infinity.
 * @example matmulMatrix([[1, 2]], [[3], [4]]).get(0, 0) // 11
 */
export function matmulMatrix(A: MatrixInput, B: MatrixInput): Matrix {
  const a = toRowMajor(A, 'matmulMatrix', 'A');
  const b = toRowMajor(B, 'matmulMatrix', 'B');
  if (a.cols !== b.rows) {
    throw new ShapeError(
      `matmulMatrix: argument 'B' must have ${a.cols} rows (columns of A), got ${b.rows}×${b.cols}`,
    );
  }
  if (8 * a.rows * b.cols > DEFAULT_MAX_MEMORY_BYTES) checkMemory('matmulMatrix', `the ${a.rows}×${b.cols} product`, 8 * a.rows * b.cols);
  const c = new Float64Array(a.rows * b.cols);
  if (a.rows > 0 && b.cols > 0 && a.cols > 0) gemm(a.rows, b.cols, a.cols, a.data, a.cols, false, b.data, b.cols, false, c, b.cols);
  return fromRowMajor(c, a.rows, b.cols);
}
