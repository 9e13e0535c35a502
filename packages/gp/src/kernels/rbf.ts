/**
 * Squared-exponential (RBF) kernel with one length scale or one per input dimension (ARD).
 * $$k(x,x') = \exp\!\big(-\tfrac12 \textstyle\sum_j (x_j-x'_j)^2/\ell_j^2\big)$$
 * Rasmussen & Williams (2006), eq. 4.9; scikit-learn `RBF`. Multiply by {@link constant} for a signal variance.
 */
import { defineOptions } from '@notes/core-linalg';
import { BOUNDS_RULE, type Bounds, type Hyperparameter, POSITIVE_VALUE_RULE, fmt, makeParam } from './kernel.js';
import { StationaryKernel } from './stationary.js';

/** Options of {@link rbf}. */
export interface RBFOptions {
  /** Length scale ℓ, or one per dimension for ARD. @defaultValue 1 */
  lengthScale?: number | ArrayLike<number>;
  /** Bounds of ℓ (natural space) or `'fixed'`. @defaultValue [1e-5, 1e5] relative to the data's scale (see `DEFAULT_BOUNDS`) */
  lengthScaleBounds?: Bounds;
}

const OPTIONS = defineOptions<RBFOptions>()('rbf', {
  lengthScale: { ...POSITIVE_VALUE_RULE, default: 1, doc: 'length scale ℓ, or one per dimension (ARD)' },
  lengthScaleBounds: { ...BOUNDS_RULE, doc: "bounds of ℓ or 'fixed'" },
});

/** RBF kernel object; build with {@link rbf}. */
export class RBFKernel extends StationaryKernel {
  readonly kind = 'rbf';
  protected f(r2: number): number {
    return Math.exp(-0.5 * r2);
  }
  protected g(r2: number): number {
    return Math.exp(-0.5 * r2);
  }
  protected rebuild(params: Hyperparameter[]): RBFKernel {
    return new RBFKernel(params);
  }
  toString(): string {
    return `RBF(lengthScale=${Array.from(this.params[0].value, fmt).join(',')})`;
  }
}

/**
 * Creates an RBF kernel.
 * @example rbf({ lengthScale: [1, 2] }).matrix([[0, 0], [1, 1]])
 * @throws DomainError for an unknown option, non-positive length scales or bad bounds.
 */
export function rbf(options: RBFOptions = {}): RBFKernel {
  const o = OPTIONS.parse(options);
  return new RBFKernel([makeParam('rbf', 'lengthScale', o.lengthScale, o.lengthScaleBounds, 'length')]);
}
