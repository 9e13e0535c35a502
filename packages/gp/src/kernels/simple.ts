/**
 * The linear (dot-product), constant and white-noise kernels.
 *
 * - linear: $k(x,x') = \sigma_0^2 + x^\top x'$ (R&W eq. 4.22; scikit-learn `DotProduct`), $\partial k/\partial\log\sigma_0 = 2\sigma_0^2$.
 * - constant: $k(x,x') = c$, $\partial k/\partial\log c = c$ (scikit-learn `ConstantKernel`; use it to scale other kernels).
 * - white: $k(x_i,x_j) = \sigma_n^2\,[i=j]$ on $K(X,X)$ and $0$ on a cross-covariance $K(X,Y)$, exactly as
 *   scikit-learn's `WhiteKernel`, so predictions are of the latent $f$ (noise-free) for $K(X_*,X)$.
 */
import { defineOptions } from '@notes/core-linalg';
import { BOUNDS_RULE, type Bounds, type Hyperparameter, LeafKernel, fmt, makeParam } from './kernel.js';
import type { Points } from './points.js';

/** Linear (dot-product) kernel object; build with {@link linear}. */
export class LinearKernel extends LeafKernel {
  readonly kind = 'linear';
  protected rebuild(params: Hyperparameter[]): LinearKernel {
    return new LinearKernel(params);
  }
  private dot(a: Points, i: number, b: Points, j: number): number {
    let s = 0;
    for (let t = 0; t < a.d; t++) s += a.data[i * a.d + t] * b.data[j * b.d + t];
    return s;
  }
  computeMatrix(a: Points, b: Points = a): Float64Array {
    const s0 = this.p('sigma0') ** 2;
    const K = new Float64Array(a.n * b.n);
    for (let i = 0; i < a.n; i++) for (let j = 0; j < b.n; j++) K[i * b.n + j] = s0 + this.dot(a, i, b, j);
    return K;
  }
  computeDiag(a: Points): Float64Array {
    const s0 = this.p('sigma0') ** 2;
    return Float64Array.from({ length: a.n }, (_, i) => s0 + this.dot(a, i, a, i));
  }
  computeGradient(a: Points): { K: Float64Array; grads: Float64Array[] } {
    const K = this.computeMatrix(a);
    const grads = this.params[0].bounds === 'fixed' ? [] : [new Float64Array(a.n * a.n).fill(2 * this.p('sigma0') ** 2)];
    return { K, grads };
  }
  toString(): string {
    return `Linear(sigma0=${fmt(this.p('sigma0'))})`;
  }
}

/** Options of {@link linear}. */
export interface LinearOptions {
  /** Offset σ₀ (must be > 0: it lives in log space). @defaultValue 1 */
  sigma0?: number;
  /** Bounds of σ₀ or `'fixed'`. @defaultValue [1e-5, 1e5] relative to the data's scale */
  sigma0Bounds?: Bounds;
}

const LINEAR_OPTIONS = defineOptions<LinearOptions>()('linear', {
  sigma0: { type: 'number', greaterThan: 0, default: 1, doc: 'offset σ₀' },
  sigma0Bounds: { ...BOUNDS_RULE, doc: "bounds of σ₀ or 'fixed'" },
});

/**
 * Creates $k = \sigma_0^2 + x^\top x'$. @defaultValue sigma0 = 1, bounds [1e-5, 1e5]
 * @throws DomainError for an unknown option, σ₀ ≤ 0 or bad bounds.
 */
export function linear(options: LinearOptions = {}): LinearKernel {
  const o = LINEAR_OPTIONS.parse(options);
  return new LinearKernel([makeParam('linear', 'sigma0', o.sigma0, o.sigma0Bounds, 'length')]);
}

/** Constant kernel object; build with {@link constant}. */
export class ConstantKernel extends LeafKernel {
  readonly kind = 'constant';
  protected rebuild(params: Hyperparameter[]): ConstantKernel {
    return new ConstantKernel(params);
  }
  computeMatrix(a: Points, b: Points = a): Float64Array {
    return new Float64Array(a.n * b.n).fill(this.p('value'));
  }
  computeDiag(a: Points): Float64Array {
    return new Float64Array(a.n).fill(this.p('value'));
  }
  computeGradient(a: Points): { K: Float64Array; grads: Float64Array[] } {
    const K = this.computeMatrix(a);
    return { K, grads: this.params[0].bounds === 'fixed' ? [] : [K.slice()] };
  }
  override computeCrossGradient(a: Points, b: Points): Float64Array[] {
    return this.params[0].bounds === 'fixed' ? [] : [this.computeMatrix(a, b)];
  }
  override computeDiagGradient(a: Points): Float64Array[] {
    return this.params[0].bounds === 'fixed' ? [] : [this.computeDiag(a)];
  }
  toString(): string {
    return `${fmt(Math.sqrt(this.p('value')))}**2`;
  }
}

/**
 * Creates $k = c$ (a signal variance when it multiplies another kernel).
 * @defaultValue value = 1, bounds [1e-5, 1e5] relative to the squared targets' scale
 * @throws DomainError for c ≤ 0, a non-number or bad bounds; NonFiniteError for NaN/±∞.
 */
export function constant(value = 1, bounds?: Bounds): ConstantKernel {
  return new ConstantKernel([makeParam('constant', 'value', value, bounds, 'variance')]);
}

/** White-noise kernel object; build with {@link white}. */
export class WhiteKernel extends LeafKernel {
  readonly kind = 'white';
  protected rebuild(params: Hyperparameter[]): WhiteKernel {
    return new WhiteKernel(params);
  }
  computeMatrix(a: Points, b?: Points): Float64Array {
    if (b !== undefined) return new Float64Array(a.n * b.n);
    const K = new Float64Array(a.n * a.n);
    const v = this.p('noiseLevel');
    for (let i = 0; i < a.n; i++) K[i * a.n + i] = v;
    return K;
  }
  computeDiag(a: Points): Float64Array {
    return new Float64Array(a.n).fill(this.p('noiseLevel'));
  }
  computeGradient(a: Points): { K: Float64Array; grads: Float64Array[] } {
    const K = this.computeMatrix(a);
    return { K, grads: this.params[0].bounds === 'fixed' ? [] : [K.slice()] };
  }
  override computeCrossGradient(a: Points, b: Points): Float64Array[] {
    return this.params[0].bounds === 'fixed' ? [] : [new Float64Array(a.n * b.n)];
  }
  override computeDiagGradient(a: Points): Float64Array[] {
    return this.params[0].bounds === 'fixed' ? [] : [this.computeDiag(a)];
  }
  toString(): string {
    return `White(noiseLevel=${fmt(this.p('noiseLevel'))})`;
  }
}

/**
 * Creates a white-noise kernel.
 * @defaultValue noiseLevel = 1, bounds [1e-5, 1e5] relative to the squared targets' scale
 * @throws DomainError for a level ≤ 0, a non-number or bad bounds; NonFiniteError for NaN/±∞.
 */
export function white(noiseLevel = 1, bounds?: Bounds): WhiteKernel {
  return new WhiteKernel([makeParam('white', 'noiseLevel', noiseLevel, bounds, 'variance')]);
}
