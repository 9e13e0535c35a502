/**
 * The kernel abstraction (notes: Gaussian Process, covariance functions).
 *
 * Every kernel is immutable. Its positive hyperparameters are exposed in log space, as in
 * scikit-learn's `Kernel.theta`: `theta = log(values of the non-fixed hyperparameters)`, with log bounds,
 * and `gradient(X)` returns $\partial K / \partial \theta_j$ (derivatives with respect to the
 * log-parameters). Rasmussen & Williams (2006), ch. 4 and §5.4.1.
 */
import { DomainError, ShapeError } from '@notes/core-linalg';
import type { Matrix } from 'ml-matrix';
import { type Points, type PointsInput, assertSameDim, toMatrixOut, toPoints } from './points.js';

/** Bounds of a hyperparameter in natural (not log) space, or `'fixed'` to exclude it from fitting. */
export type Bounds = readonly [number, number] | 'fixed';

/** One named positive hyperparameter (a scalar, or a vector such as ARD length scales). */
export interface Hyperparameter {
  readonly name: string;
  readonly value: Float64Array;
  readonly bounds: Bounds;
}

/** Serialised kernel (see {@link kernelFromJSON}). */
export type KernelJSON =
  | { kind: string; params: Record<string, { value: number[]; bounds: [number, number] | 'fixed' }> }
  | { kind: 'sum' | 'product'; kernels: KernelJSON[] };

/** Default bounds of every hyperparameter, as scikit-learn. @defaultValue [1e-5, 1e5] */
export const DEFAULT_BOUNDS: readonly [number, number] = [1e-5, 1e5];

/** Validates a hyperparameter value and its bounds; throws `DomainError` for non-positive values. */
export function makeParam(where: string, name: string, value: number | ArrayLike<number>, bounds: Bounds): Hyperparameter {
  const v = typeof value === 'number' ? Float64Array.of(value) : Float64Array.from(value);
  if (v.length === 0) throw new ShapeError(`${where}: hyperparameter '${name}' must not be empty`);
  for (let i = 0; i < v.length; i++) {
    if (!Number.isFinite(v[i]) || !(v[i] > 0)) {
      throw new DomainError(`${where}: hyperparameter '${name}' must be finite and > 0, got ${v[i]}`);
    }
  }
  if (bounds !== 'fixed') {
    const [lo, hi] = bounds;
    if (!(lo > 0) || !(hi > lo) || !Number.isFinite(hi)) {
      throw new DomainError(`${where}: bounds of '${name}' must satisfy 0 < lower < upper < ∞, got [${lo}, ${hi}]`);
    }
  }
  return { name, value: v, bounds: bounds === 'fixed' ? 'fixed' : [bounds[0], bounds[1]] };
}

/** A positive-semidefinite covariance function $k(x, x')$ with log-space hyperparameters. */
export abstract class Kernel {
  /** Kernel name used in JSON (`'rbf'`, `'matern'`, `'sum'` …). */
  abstract readonly kind: string;
  /** All hyperparameters in natural space, in `theta` order (fixed ones included, flagged by bounds). */
  abstract get hyperparameters(): readonly Hyperparameter[];
  /** A copy with the free log-parameters replaced by `theta` (length {@link Kernel.nTheta}). */
  abstract withTheta(theta: ArrayLike<number>): Kernel;
  /** `a.n × b.n` row-major Gram block; `b` omitted means `b = a` (and white noise is added). */
  abstract computeMatrix(a: Points, b?: Points): Float64Array;
  /** Diagonal $k(x_i, x_i)$. */
  abstract computeDiag(a: Points): Float64Array;
  /** Gram matrix of `a` and $\partial K/\partial\theta_j$ for every free log-parameter. */
  abstract computeGradient(a: Points): { K: Float64Array; grads: Float64Array[] };
  /** JSON form; {@link kernelFromJSON} inverts it exactly. */
  abstract toJSON(): KernelJSON;
  /** Human-readable form, e.g. `1.2**2 * RBF(0.5)`. */
  abstract toString(): string;

  /** Number of free (non-fixed) scalar log-parameters. */
  get nTheta(): number {
    let n = 0;
    for (const h of this.hyperparameters) if (h.bounds !== 'fixed') n += h.value.length;
    return n;
  }

  /** $\theta = \log$ of the free hyperparameters (scikit-learn's `kernel.theta`). */
  get theta(): Float64Array {
    const out = new Float64Array(this.nTheta);
    let k = 0;
    for (const h of this.hyperparameters) {
      if (h.bounds === 'fixed') continue;
      for (const v of h.value) out[k++] = Math.log(v);
    }
    return out;
  }

  /** Log bounds of {@link Kernel.theta}: `{ lower, upper }`. */
  get bounds(): { lower: Float64Array; upper: Float64Array } {
    const lower = new Float64Array(this.nTheta);
    const upper = new Float64Array(this.nTheta);
    let k = 0;
    for (const h of this.hyperparameters) {
      if (h.bounds === 'fixed') continue;
      for (let i = 0; i < h.value.length; i++, k++) {
        lower[k] = Math.log(h.bounds[0]);
        upper[k] = Math.log(h.bounds[1]);
      }
    }
    return { lower, upper };
  }

  /** Names of the free log-parameters, e.g. `['k1.lengthScale[0]', 'k2.noiseLevel']`. */
  get thetaNames(): string[] {
    const out: string[] = [];
    for (const h of this.hyperparameters) {
      if (h.bounds === 'fixed') continue;
      if (h.value.length === 1) out.push(h.name);
      else for (let i = 0; i < h.value.length; i++) out.push(`${h.name}[${i}]`);
    }
    return out;
  }

  /**
   * Gram matrix $K_{ij} = k(x_i, y_j)$. With `Y` omitted, $K(X, X)$ (white noise on the diagonal);
   * with `Y` given, the cross-covariance (white noise contributes 0, as in scikit-learn).
   * @throws ShapeError, NonFiniteError
   */
  matrix(X: PointsInput, Y?: PointsInput): Matrix {
    const a = toPoints(X, `${this.kind}.matrix`, 'X');
    if (Y === undefined) return toMatrixOut(this.computeMatrix(a), a.n, a.n);
    const b = toPoints(Y, `${this.kind}.matrix`, 'Y');
    assertSameDim(`${this.kind}.matrix`, a, b);
    return toMatrixOut(this.computeMatrix(a, b), a.n, b.n);
  }

  /** $k(x_i, x_i)$ for each row of `X`. */
  diag(X: PointsInput): Float64Array {
    return this.computeDiag(toPoints(X, `${this.kind}.diag`, 'X'));
  }

  /** $\partial K(X,X)/\partial\theta_j$ for each free log-parameter $\theta_j$ (one matrix each). */
  gradient(X: PointsInput): Matrix[] {
    const a = toPoints(X, `${this.kind}.gradient`, 'X');
    return this.computeGradient(a).grads.map((g) => toMatrixOut(g, a.n, a.n));
  }

  /** Helper for leaf kernels: validates a theta vector's length. */
  protected checkTheta(theta: ArrayLike<number>): void {
    if (theta.length !== this.nTheta) {
      throw new ShapeError(`${this.kind}.withTheta: argument 'theta' must have length ${this.nTheta}, got ${theta.length}`);
    }
    for (let i = 0; i < theta.length; i++) {
      if (!Number.isFinite(theta[i])) {
        throw new DomainError(`${this.kind}.withTheta: argument 'theta' must be finite, got ${theta[i]} at [${i}]`);
      }
    }
  }
}

/** Base of kernels with their own named parameters (everything except sum and product). */
export abstract class LeafKernel extends Kernel {
  readonly params: readonly Hyperparameter[];
  constructor(params: readonly Hyperparameter[]) {
    super();
    this.params = params;
  }
  get hyperparameters(): readonly Hyperparameter[] {
    return this.params;
  }
  /** Builds the same kind of kernel from new parameters. */
  protected abstract rebuild(params: Hyperparameter[]): LeafKernel;

  /** Value of parameter `name` (first entry unless `all`). */
  protected p(name: string): number {
    const h = this.params.find((q) => q.name === name);
    if (!h) throw new DomainError(`${this.kind}: unknown hyperparameter '${name}'`);
    return h.value[0];
  }

  withTheta(theta: ArrayLike<number>): LeafKernel {
    this.checkTheta(theta);
    let k = 0;
    const next = this.params.map((h) => {
      if (h.bounds === 'fixed') return h;
      const v = new Float64Array(h.value.length);
      for (let i = 0; i < v.length; i++) v[i] = Math.exp(theta[k++]);
      return { name: h.name, value: v, bounds: h.bounds };
    });
    return this.rebuild(next);
  }

  toJSON(): KernelJSON {
    const params: Record<string, { value: number[]; bounds: [number, number] | 'fixed' }> = {};
    for (const h of this.params) {
      params[h.name] = { value: Array.from(h.value), bounds: h.bounds === 'fixed' ? 'fixed' : [h.bounds[0], h.bounds[1]] };
    }
    return { kind: this.kind, params };
  }
}

/** Copies the strict upper triangle of a square row-major block onto the lower one. */
export function mirrorUpper(K: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) K[i * n + j] = K[j * n + i];
}

/** Formats a number for `toString()`. */
export function fmt(x: number): string {
  return Number(x.toPrecision(4)).toString();
}
