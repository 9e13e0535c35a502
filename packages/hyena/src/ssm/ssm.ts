/**
 * State-space models (notes: State-Space model). A single-input single-output SSM
 * $$x'(t) = A x(t) + B u(t),\qquad y(t) = C x(t) + D u(t)$$
 * and its discrete counterpart $x_t = \bar A x_{t-1} + \bar B u_t$, $y_t = C x_t + D u_t$ (with
 * $x_{-1} = 0$), whose solution is the notes' $y_t = \sum_{n=0}^{t} (C\bar A^{t-n}\bar B + D\delta_{t-n}) u_n$.
 */
import { assertFinite, assertLength, assertNonEmpty, assertSquare, DomainError, toMatrix } from '@notes/core-linalg';
import type { MatrixInput } from '@notes/core-linalg';
import { EigenvalueDecomposition, type Matrix } from 'ml-matrix';

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
  /** Step size used to discretise (NaN when the discrete model was given directly). */
  readonly dt: number;
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

function checked(where: string, p: SSMParams): { A: Matrix; B: Float64Array; C: Float64Array; D: number } {
  const A = toMatrix(p.A, where, 'A');
  assertNonEmpty(where, 'A', A);
  assertSquare(where, 'A', A);
  assertLength(where, 'B', p.B, A.rows, 'rows of A');
  assertLength(where, 'C', p.C, A.rows, 'rows of A');
  assertFinite(where, 'B', p.B);
  assertFinite(where, 'C', p.C);
  const D = p.D ?? 0;
  assertFinite(where, 'D', D);
  return { A, B: Float64Array.from(p.B), C: Float64Array.from(p.C), D };
}

/** A continuous SSM; validates shapes and finiteness and copies the inputs. */
export function continuousSSM(params: SSMParams): ContinuousSSM {
  return { kind: 'continuous', ...checked('continuousSSM', params) };
}

/** A discrete SSM given directly by $(\bar A, \bar B, C, D)$. */
export function discreteSSM(params: SSMParams): DiscreteSSM {
  return { kind: 'discrete', ...checked('discreteSSM', params), dt: Number.NaN, method: 'given' };
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

/**
 * The SSM convolution kernel $h_t = C\bar A^{t}\bar B + D\delta_t$, $t = 0,\dots,L-1$ (notes: 结合 SSM 的卷积).
 * Computed by repeated products $v_{t+1} = \bar A v_t$, O(L n²).
 * @throws DomainError if `length` is not a positive integer.
 */
export function ssmKernel(ssm: DiscreteSSM, length: number): Float64Array {
  if (!Number.isInteger(length) || length < 1) {
    throw new DomainError(`ssmKernel: argument 'length' must be a positive integer, got ${length}`);
  }
  const h = new Float64Array(length);
  let v: Float64Array = ssm.B;
  for (let t = 0; t < length; t++) {
    h[t] = dot(ssm.C, v) + (t === 0 ? ssm.D : 0);
    v = matVec(ssm.A, v);
  }
  return h;
}

/**
 * The recurrent view: $x_t = \bar A x_{t-1} + \bar B u_t$, $y_t = C x_t + D u_t$, $x_{-1} = 0$. O(L n²).
 * @throws NonFiniteError if `u` holds NaN/±Infinity; ShapeError if it is empty.
 */
export function ssmScan(ssm: DiscreteSSM, u: ArrayLike<number>): Float64Array {
  assertNonEmpty('ssmScan', 'u', u);
  assertFinite('ssmScan', 'u', u);
  const n = ssm.A.rows;
  const y = new Float64Array(u.length);
  let x: Float64Array = new Float64Array(n);
  for (let t = 0; t < u.length; t++) {
    const ut = u[t] as number;
    x = matVec(ssm.A, x);
    for (let i = 0; i < n; i++) x[i] = (x[i] as number) + (ssm.B[i] as number) * ut;
    y[t] = dot(ssm.C, x) + ssm.D * ut;
  }
  return y;
}

/** Eigenvalues of A as `{ re, im }` arrays (ml-matrix's eigenvalue decomposition). */
export function eigenvalues(A: Matrix): { re: number[]; im: number[] } {
  const evd = new EigenvalueDecomposition(A);
  return { re: evd.realEigenvalues, im: evd.imaginaryEigenvalues };
}
