/**
 * The kernel abstraction (notes: Gaussian Process, covariance functions).
 *
 * Every kernel is immutable. Its positive hyperparameters are exposed in log space, as in
 * scikit-learn's `Kernel.theta`: `theta = log(values of the non-fixed hyperparameters)`, with log bounds,
 * and `gradient(X)` returns $\partial K / \partial \theta_j$ (derivatives with respect to the
 * log-parameters). Rasmussen & Williams (2006), ch. 4 and §5.4.1.
 */
import { DomainError, NonFiniteError, ShapeError, describeValue } from '@notes/core-linalg';
import type { Matrix } from 'ml-matrix';
import { type Points, type PointsInput, assertSameDim, readPoints, toMatrixOut } from './points.js';

/** Bounds of a hyperparameter in natural (not log) space, or `'fixed'` to exclude it from fitting. */
export type Bounds = readonly [number, number] | 'fixed';

/**
 * Physical unit of a hyperparameter, used by `fitGP` to put default bounds and restart draws on the data's
 * scale: `'length'` scales with the inputs (ℓ, periodicity, σ₀ of the linear kernel), `'variance'` with the
 * squared targets (constant, white noise), `'inverse-square-length'` with 1/x² (arcsine weight variance),
 * `'none'` is dimensionless (RQ α, the periodic kernel's ℓ, arcsine bias variance).
 */
export type ParamUnit = 'length' | 'variance' | 'inverse-square-length' | 'none';

/** One named positive hyperparameter (a scalar, or a vector such as ARD length scales). */
export interface Hyperparameter {
  readonly name: string;
  readonly value: Float64Array;
  readonly bounds: Bounds;
  /** Unit of the value (see {@link ParamUnit}). @defaultValue 'none' */
  readonly unit?: ParamUnit;
  /**
   * True when the bounds were not given: they are then {@link DEFAULT_BOUNDS} *relative to the data's
   * scale* when `fitGP` fits them (e.g. a length scale in [1e-5, 1e5] × the inputs' spread).
   */
  readonly relative?: boolean;
}

/** JSON of one hyperparameter. */
export interface HyperparameterJSON {
  value: number[];
  bounds: [number, number] | 'fixed';
  unit?: ParamUnit;
  relative?: boolean;
}

/** Serialised kernel (see {@link kernelFromJSON}). */
export type KernelJSON =
  | { kind: string; params: Record<string, HyperparameterJSON> }
  | { kind: 'sum' | 'product'; kernels: KernelJSON[] };

/**
 * Default bounds of every hyperparameter, as scikit-learn; for parameters with a unit they are relative to
 * the data's scale when `fitGP` fits them (see {@link Hyperparameter.relative}). @defaultValue [1e-5, 1e5]
 */
export const DEFAULT_BOUNDS: readonly [number, number] = Object.freeze([1e-5, 1e5]) as readonly [number, number];

/** True for `'fixed'` or `[lower, upper]` with 0 < lower < upper < ∞. */
export function isBounds(b: unknown): b is Bounds {
  if (b === 'fixed') return true;
  if (!Array.isArray(b) || b.length !== 2 || !(0 in b) || !(1 in b)) return false;
  const [lo, hi] = b as unknown[];
  return typeof lo === 'number' && typeof hi === 'number' && lo > 0 && hi > lo && Number.isFinite(hi);
}

/** Option rule of bounds options (for core's `defineOptions`). */
export const BOUNDS_RULE = {
  type: 'custom',
  expected: "'fixed' or [lower, upper] with 0 < lower < upper < Infinity",
  check: isBounds,
} as const;

/** True for a finite number > 0 or a non-empty array of them. */
export function isPositiveValue(v: unknown): boolean {
  if (typeof v === 'number') return Number.isFinite(v) && v > 0;
  if (!(Array.isArray(v) || v instanceof Float64Array || v instanceof Float32Array) || v.length === 0) return false;
  for (let i = 0; i < v.length; i++) {
    const x = (v as ArrayLike<unknown>)[i];
    if (typeof x !== 'number' || !Number.isFinite(x) || !(x > 0)) return false;
  }
  return true;
}

/** Option rule of a positive scalar (or per-dimension vector) hyperparameter value. */
export const POSITIVE_VALUE_RULE = {
  type: 'custom',
  expected: 'a finite number > 0 or a non-empty array of them',
  check: isPositiveValue,
} as const;

/**
 * Validates a hyperparameter value and its bounds (`undefined` bounds = {@link DEFAULT_BOUNDS}, relative
 * to the data's scale for parameters with a unit).
 * @throws DomainError for non-positive or non-number values and bad bounds; NonFiniteError for NaN/±∞;
 *   ShapeError for an empty vector.
 */
export function makeParam(
  where: string,
  name: string,
  value: unknown,
  bounds: unknown,
  unit: ParamUnit = 'none',
  relative?: boolean,
): Hyperparameter {
  let v: Float64Array;
  if (typeof value === 'number') v = Float64Array.of(value);
  else if (Array.isArray(value) || value instanceof Float64Array || value instanceof Float32Array) {
    v = new Float64Array(value.length);
    for (let i = 0; i < value.length; i++) {
      const x = (value as ArrayLike<unknown>)[i];
      if (typeof x !== 'number' || (Array.isArray(value) && !(i in value))) {
        throw new DomainError(`${where}: hyperparameter '${name}' must hold numbers, got ${describeValue(x)} at [${i}]`);
      }
      v[i] = x;
    }
  } else throw new DomainError(`${where}: hyperparameter '${name}' must be a number or an array of numbers, got ${describeValue(value)}`);
  if (v.length === 0) throw new ShapeError(`${where}: hyperparameter '${name}' must not be empty`);
  for (let i = 0; i < v.length; i++) {
    if (!Number.isFinite(v[i])) throw new NonFiniteError(`${where}: hyperparameter '${name}' must be finite, got ${describeValue(v[i])}`);
    if (!(v[i] > 0)) throw new DomainError(`${where}: hyperparameter '${name}' must be > 0, got ${describeValue(v[i])}`);
  }
  const b = bounds === undefined ? DEFAULT_BOUNDS : bounds;
  if (!isBounds(b)) {
    throw new DomainError(`${where}: bounds of '${name}' must be ${BOUNDS_RULE.expected}, got ${describeValue(b)}`);
  }
  const isRelative = relative ?? (bounds === undefined && unit !== 'none');
  return Object.freeze({
    name,
    value: v,
    bounds: b === 'fixed' ? 'fixed' : (Object.freeze([b[0], b[1]]) as readonly [number, number]),
    unit,
    relative: isRelative && b !== 'fixed',
  });
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

  /**
   * $\partial K(a, b)/\partial\theta_j$ (a.n × b.n each) for every free log-parameter (white noise contributes 0,
   * as in {@link Kernel.computeMatrix} with `b`). Generic version: the gradient on the stacked points [a; b], so
   * O((a.n + b.n)²) memory; stationary, constant, white, sum and product kernels override it in O(a.n·b.n).
   * @internal used by the sparse GP
   */
  computeCrossGradient(a: Points, b: Points): Float64Array[] {
    const n = a.n + b.n;
    const d = a.d;
    const data = new Float64Array(n * d);
    data.set(a.data);
    data.set(b.data, a.n * d);
    const { grads } = this.computeGradient({ data, n, d });
    const white = this.whiteFreeIndices();
    return grads.map((G, q) => {
      const out = new Float64Array(a.n * b.n);
      if (white.has(q)) return out;
      for (let i = 0; i < a.n; i++) for (let j = 0; j < b.n; j++) out[i * b.n + j] = G[i * n + a.n + j] as number;
      return out;
    });
  }

  /**
   * $\partial k(x_i, x_i)/\partial\theta_j$ for every free log-parameter (one array of length a.n each). Generic
   * version: one 1-point gradient per row; the common kernels override it.
   * @internal used by the sparse GP
   */
  computeDiagGradient(a: Points): Float64Array[] {
    const out = Array.from({ length: this.nTheta }, () => new Float64Array(a.n));
    for (let i = 0; i < a.n; i++) {
      const { grads } = this.computeGradient({ data: a.data.subarray(i * a.d, (i + 1) * a.d), n: 1, d: a.d });
      grads.forEach((g, q) => {
        (out[q] as Float64Array)[i] = g[0] as number;
      });
    }
    return out;
  }

  /** Indices (in theta order) of free parameters of white-noise kernels. @internal */
  whiteFreeIndices(): Set<number> {
    const out = new Set<number>();
    let k = 0;
    for (const h of this.hyperparameters) {
      if (h.bounds === 'fixed') continue;
      const isWhite = h.name === 'noiseLevel' || h.name.endsWith('.noiseLevel');
      for (let i = 0; i < h.value.length; i++, k++) if (isWhite) out.add(k);
    }
    return out;
  }
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
    const where = `${this.kind}.matrix`;
    const a = readPoints(X, where, 'X');
    this.checkDim(where, a);
    if (Y === undefined) return toMatrixOut(finiteOut(where, this.computeMatrix(a)), a.n, a.n);
    const b = readPoints(Y, where, 'Y');
    assertSameDim(where, a, b);
    return toMatrixOut(finiteOut(where, this.computeMatrix(a, b)), a.n, b.n);
  }

  /** $k(x_i, x_i)$ for each row of `X`. */
  diag(X: PointsInput): Float64Array {
    const a = readPoints(X, `${this.kind}.diag`, 'X');
    this.checkDim(`${this.kind}.diag`, a);
    return finiteOut(`${this.kind}.diag`, this.computeDiag(a));
  }

  /** $\partial K(X,X)/\partial\theta_j$ for each free log-parameter $\theta_j$ (one matrix each). */
  gradient(X: PointsInput): Matrix[] {
    const a = readPoints(X, `${this.kind}.gradient`, 'X');
    this.checkDim(`${this.kind}.gradient`, a);
    const { K, grads } = this.computeGradient(a);
    finiteOut(`${this.kind}.gradient`, K);
    return grads.map((g) => toMatrixOut(finiteOut(`${this.kind}.gradient`, g), a.n, a.n));
  }

  /**
   * Throws `ShapeError` when the kernel cannot take points of dimension `a.d` (ARD length scales of another
   * length). Called by the public methods before any work. @internal
   */
  checkDim(where: string, a: Points): void {
    for (const h of this.hyperparameters) {
      if (h.name.endsWith('lengthScale') && h.value.length > 1 && h.value.length !== a.d) {
        throw new ShapeError(`${where}: ARD length scales '${h.name}' have ${h.value.length} entries but the points have ${a.d} columns`);
      }
    }
  }

  /** Helper for leaf kernels: validates a theta vector's length. */
  protected checkTheta(theta: ArrayLike<number>): void {
    if (theta === null || typeof theta !== 'object' || typeof theta.length !== 'number') {
      throw new ShapeError(`${this.kind}.withTheta: argument 'theta' must be an array of numbers, got ${describeValue(theta)}`);
    }
    if (theta.length !== this.nTheta) {
      throw new ShapeError(`${this.kind}.withTheta: argument 'theta' must have length ${this.nTheta}, got ${theta.length}`);
    }
    for (let i = 0; i < theta.length; i++) {
      const t = theta[i] as unknown;
      if (typeof t !== 'number') throw new DomainError(`${this.kind}.withTheta: argument 'theta' must hold numbers, got ${describeValue(t)} at [${i}]`);
      // exp(θ) must stay a finite, positive double
      if (!Number.isFinite(t) || Math.abs(t) > 709) {
        throw new NonFiniteError(`${this.kind}.withTheta: argument 'theta' must be finite with |θ| ≤ 709 (log-parameters), got ${describeValue(t)} at [${i}]`);
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
      return Object.freeze({ ...h, value: v });
    });
    return this.rebuild(next);
  }

  toJSON(): KernelJSON {
    const params: Record<string, HyperparameterJSON> = {};
    for (const h of this.params) {
      params[h.name] = {
        value: Array.from(h.value),
        bounds: h.bounds === 'fixed' ? 'fixed' : [h.bounds[0], h.bounds[1]],
        unit: h.unit ?? 'none',
        relative: h.relative === true,
      };
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

/**
 * Returns `out` after checking every entry is finite (inputs so large that the kernel overflows, e.g. x·x'
 * beyond 1.8e308, give a typed error instead of NaN/±∞).
 * @throws NonFiniteError naming the function.
 */
export function finiteOut(where: string, out: Float64Array): Float64Array {
  for (let i = 0; i < out.length; i++) {
    if (!Number.isFinite(out[i])) {
      throw new NonFiniteError(`${where}: the kernel value at entry ${i} is ${out[i]} (the inputs or hyperparameters overflow the kernel); rescale the inputs`);
    }
  }
  return out;
}
