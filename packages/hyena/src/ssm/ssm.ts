/**
 * State-space models (notes: State-Space model). A single-input single-output SSM
 * $$x'(t) = A x(t) + B u(t),\qquad y(t) = C x(t) + D u(t)$$
 * and its discrete counterpart $x_t = \bar A x_{t-1} + \bar B u_t$, $y_t = C x_t + D u_t$ (with
 * $x_{-1} = 0$), whose solution is the notes' $y_t = \sum_{n=0}^{t} (C\bar A^{t-n}\bar B + D\delta_{t-n}) u_n$.
 */
import { assertInteger, checkMemory, defineOptions, DomainError, readMatrix, readVector, ShapeError } from '@notes/core-linalg';
import type { MatrixInput } from '@notes/core-linalg';
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { readSSMRecord } from '../validate.js';

/** A continuous-time SISO state-space model; `A` is n×n, `B` and `C` have length n. */
export interface ContinuousSSM {
  readonly kind: 'continuous';
  readonly A: Matrix;
  readonly B: Float64Array;
  readonly C: Float64Array;
  readonly D: number;
}

/** A discrete-time SISO state-space model obtained by {@link discretize} (or given directly). */
export interface DiscreteSSM {
  readonly kind: 'discrete';
  readonly A: Matrix;
  readonly B: Float64Array;
  readonly C: Float64Array;
  readonly D: number;
  /** Step size used to discretise (`null` when the discrete model was given directly). */
  readonly dt: number | null;
  readonly method: 'zoh' | 'bilinear' | 'given';
}

/** Parameters of an SSM: A (n×n), B, C (length n), D (default 0). */
export interface SSMParams {
  A: MatrixInput;
  B: ArrayLike<number>;
  C: ArrayLike<number>;
  /** Feed-through term. @defaultValue 0 */
  D?: number;
}

const anyValue = { type: 'custom', expected: 'a value', check: () => true } as const;
const SPEC = {
  A: { ...anyValue, doc: 'state matrix, n×n' },
  B: { ...anyValue, doc: 'input vector, length n' },
  C: { ...anyValue, doc: 'output vector, length n' },
  D: { type: 'number', default: 0, doc: 'feed-through term' },
} as const;
const CONTINUOUS = defineOptions<SSMParams>()('continuousSSM', SPEC);
const DISCRETE = defineOptions<SSMParams>()('discreteSSM', SPEC);

function checked(where: string, params: SSMParams, parser: typeof CONTINUOUS): { A: Matrix; B: Float64Array; C: Float64Array; D: number } {
  if (params === undefined || params === null) throw new DomainError(`${where}: argument 'params' must be { A, B, C, D? }, got ${String(params)}`);
  const p = parser.parse(params);
  const a = readMatrix(where, 'A', p.A);
  if (a.rows !== a.columns) throw new ShapeError(`${where}: argument 'A' must be square, got ${a.rows}×${a.columns}`);
  const n = a.rows;
  const B = readVector(where, 'B', p.B);
  if (B.length !== n) throw new ShapeError(`${where}: argument 'B' must have length ${n} (rows of A), got ${B.length}`);
  const C = readVector(where, 'C', p.C);
  if (C.length !== n) throw new ShapeError(`${where}: argument 'C' must have length ${n} (rows of A), got ${C.length}`);
  const A = new Matrix(Array.from({ length: n }, (_, i) => Array.from(a.data.subarray(i * n, (i + 1) * n))));
  return { A, B, C, D: p.D };
}

/**
 * A continuous SSM; validates shapes and finiteness (core's `readMatrix`/`readVector`) and copies the inputs.
 * @throws DomainError for an unknown key (naming the closest) or a non-number entry; ShapeError for a
 *   non-square A or B, C of the wrong length; NonFiniteError for NaN/±Infinity.
 */
export function continuousSSM(params: SSMParams): ContinuousSSM {
  return { kind: 'continuous', ...checked('continuousSSM', params, CONTINUOUS) };
}

/** A discrete SSM given directly by $(\bar A, \bar B, C, D)$ (`dt` is `null`); validated as {@link continuousSSM}. */
export function discreteSSM(params: SSMParams): DiscreteSSM {
  return { kind: 'discrete', ...checked('discreteSSM', params, DISCRETE), dt: null, method: 'given' };
}

/** Applies the discrete state matrix to a vector: $\bar A v$. */
export function matVec(A: Matrix, v: Float64Array): Float64Array {
  const n = A.rows;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += A.get(i, j) * (v[j] as number);
    out[i] = s;
  }
  return out;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

/** Throws a DomainError when a result computed from finite input overflowed (an unstable or huge system). @internal */
export function assertNoOverflow(where: string, y: ArrayLike<number>): Float64Array {
  for (let i = 0; i < y.length; i++) {
    const v = y[i] as number;
    if (v - v !== 0) {
      throw new DomainError(`${where}: the result overflowed (${v} at [${i}]); the system is unstable or its entries are too large for this length`);
    }
  }
  return y as Float64Array;
}

/**
 * The SSM convolution kernel $h_t = C\bar A^{t}\bar B + D\delta_t$, $t = 0,\dots,L-1$ (notes: 结合 SSM 的卷积).
 * Computed by repeated products $v_{t+1} = \bar A v_t$, O(L n²).
 * @throws DomainError if `length` is not a positive integer, `ssm` is not a valid discrete SSM, or the kernel
 *   overflows (unstable $\bar A$).
 */
export function ssmKernel(ssm: DiscreteSSM, length: number): Float64Array {
  const s = readSSMRecord('ssmKernel', 'ssm', ssm, 'discrete');
  assertInteger('ssmKernel', 'length', length, 1);
  checkMemory('ssmKernel', `a kernel of length ${length}`, 8 * length);
  return kernelOf(s, length, 'ssmKernel');
}

/** {@link ssmKernel} on a checked record. @internal */
export function kernelOf(ssm: { A: Matrix; B: Float64Array; C: Float64Array; D: number }, length: number, where: string): Float64Array {
  const h = new Float64Array(length);
  let v: Float64Array = ssm.B;
  for (let t = 0; t < length; t++) {
    h[t] = dot(ssm.C, v) + (t === 0 ? ssm.D : 0);
    v = matVec(ssm.A, v);
  }
  return assertNoOverflow(where, h);
}

/**
 * The recurrent view: $x_t = \bar A x_{t-1} + \bar B u_t$, $y_t = C x_t + D u_t$, $x_{-1} = 0$. O(L n²).
 * @throws NonFiniteError if `u` holds NaN/±Infinity; ShapeError if it is empty or not a vector;
 *   DomainError if `ssm` is not a valid discrete SSM or the state overflows.
 */
export function ssmScan(ssm: DiscreteSSM, u: ArrayLike<number>): Float64Array {
  const s = readSSMRecord('ssmScan', 'ssm', ssm, 'discrete');
  const uu = readVector('ssmScan', 'u', u);
  const n = s.A.rows;
  const y = new Float64Array(uu.length);
  let x: Float64Array = new Float64Array(n);
  for (let t = 0; t < uu.length; t++) {
    const ut = uu[t] as number;
    x = matVec(s.A, x);
    for (let i = 0; i < n; i++) x[i] = (x[i] as number) + (s.B[i] as number) * ut;
    y[t] = dot(s.C, x) + s.D * ut;
  }
  return assertNoOverflow('ssmScan', y);
}

/**
 * Eigenvalues of a square A as `{ re, im }` arrays (ml-matrix's eigenvalue decomposition).
 * @throws ShapeError for a non-square or malformed A; NonFiniteError for NaN/±Infinity entries.
 */
export function eigenvalues(A: MatrixInput): { re: number[]; im: number[] } {
  const a = readMatrix('eigenvalues', 'A', A);
  if (a.rows !== a.columns) throw new ShapeError(`eigenvalues: argument 'A' must be square, got ${a.rows}×${a.columns}`);
  const n = a.rows;
  const evd = new EigenvalueDecomposition(new Matrix(Array.from({ length: n }, (_, i) => Array.from(a.data.subarray(i * n, (i + 1) * n)))));
  return { re: evd.realEigenvalues, im: evd.imaginaryEigenvalues };
}
