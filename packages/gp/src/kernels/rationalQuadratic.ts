/**
 * Rational quadratic kernel (a scale mixture of RBFs).
 * $$k(x,x') = \Big(1 + \frac{r^2}{2\alpha}\Big)^{-\alpha},\qquad r^2 = \sum_j (x_j-x'_j)^2/\ell_j^2$$
 * With $s = r^2/(2\alpha)$: $\partial k/\partial\log\ell_j = (1+s)^{-\alpha-1}(x_j-x'_j)^2/\ell_j^2$ and
 * $\partial k/\partial\log\alpha = \alpha k\,(s/(1+s) - \log(1+s))$.
 * Rasmussen & Williams (2006), eq. 4.19; scikit-learn `RationalQuadratic`.
 */
import { defineOptions } from '@notes/core-linalg';
import { BOUNDS_RULE, type Bounds, type Hyperparameter, POSITIVE_VALUE_RULE, fmt, makeParam } from './kernel.js';
import { StationaryKernel } from './stationary.js';

/** Options of {@link rationalQuadratic}. */
export interface RationalQuadraticOptions {
  /** Length scale(s). @defaultValue 1 */
  lengthScale?: number | ArrayLike<number>;
  /** @defaultValue [1e-5, 1e5] */
  lengthScaleBounds?: Bounds;
  /** Scale-mixture parameter α. @defaultValue 1 */
  alpha?: number;
  /** @defaultValue [1e-5, 1e5] */
  alphaBounds?: Bounds;
}

const OPTIONS = defineOptions<RationalQuadraticOptions>()('rationalQuadratic', {
  lengthScale: { ...POSITIVE_VALUE_RULE, default: 1, doc: 'length scale ℓ, or one per dimension (ARD)' },
  lengthScaleBounds: { ...BOUNDS_RULE, doc: "bounds of ℓ or 'fixed'" },
  alpha: { type: 'number', greaterThan: 0, default: 1, doc: 'scale-mixture parameter α' },
  alphaBounds: { ...BOUNDS_RULE, doc: "bounds of α or 'fixed'" },
});

/** Rational-quadratic kernel object; build with {@link rationalQuadratic}. */
export class RationalQuadraticKernel extends StationaryKernel {
  readonly kind = 'rationalQuadratic';
  private get alpha(): number {
    return this.params[1].value[0];
  }
  protected f(r2: number): number {
    const a = this.alpha;
    return (1 + r2 / (2 * a)) ** -a;
  }
  protected g(r2: number): number {
    const a = this.alpha;
    return (1 + r2 / (2 * a)) ** (-a - 1);
  }
  protected override extraGrad(_name: string, r2: number, k: number): number {
    const a = this.alpha;
    const s = r2 / (2 * a);
    return a * k * (s / (1 + s) - Math.log1p(s));
  }
  protected rebuild(params: Hyperparameter[]): RationalQuadraticKernel {
    return new RationalQuadraticKernel(params);
  }
  toString(): string {
    return `RQ(lengthScale=${Array.from(this.params[0].value, fmt).join(',')}, alpha=${fmt(this.alpha)})`;
  }
}

/** Creates a rational-quadratic kernel. @throws DomainError for non-positive ℓ or α. */
export function rationalQuadratic(options: RationalQuadraticOptions = {}): RationalQuadraticKernel {
  const o = OPTIONS.parse(options);
  return new RationalQuadraticKernel([
    makeParam('rationalQuadratic', 'lengthScale', o.lengthScale, o.lengthScaleBounds, 'length'),
    makeParam('rationalQuadratic', 'alpha', o.alpha, o.alphaBounds, 'none'),
  ]);
}
