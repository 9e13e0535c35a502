/**
 * Periodic (exp-sine-squared) kernel:
 * $$k(x,x') = \exp\!\Big(-\frac{2}{\ell^2}\sum_j \sin^2\!\big(\pi (x_j - x'_j)/p\big)\Big)$$
 * In 1-D this is scikit-learn's `ExpSineSquared`. For d > 1 we sum over dimensions instead of using the
 * Euclidean distance (as scikit-learn does): the Euclidean form is *not* positive semidefinite in general
 * (our PSD property test finds counter-examples), while the sum is an RBF on the warped input
 * $u(x) = (\cos(2\pi x_j/p), \sin(2\pi x_j/p))_j$ and so PSD (MacKay 1998; R&W §4.2.3).
 * Gradients with $a_j = \pi (x_j-x'_j)/p$: $\partial k/\partial\log\ell = 4k\sum_j\sin^2 a_j/\ell^2$,
 * $\partial k/\partial\log p = 4k\sum_j a_j\sin a_j\cos a_j/\ell^2$.
 * Rasmussen & Williams (2006), eq. 4.31; scikit-learn `ExpSineSquared`.
 */
import { defineOptions } from '@notes/core-linalg';
import { BOUNDS_RULE, type Bounds, type Hyperparameter, LeafKernel, fmt, makeParam, mirrorUpper } from './kernel.js';
import type { Points } from './points.js';

/** Options of {@link periodic}. */
export interface PeriodicOptions {
  /** Length scale ℓ. @defaultValue 1 */
  lengthScale?: number;
  /** @defaultValue [1e-5, 1e5] */
  lengthScaleBounds?: Bounds;
  /** Period p. @defaultValue 1 */
  periodicity?: number;
  /** @defaultValue [1e-5, 1e5] */
  periodicityBounds?: Bounds;
}

const OPTIONS = defineOptions<PeriodicOptions>()('periodic', {
  lengthScale: { type: 'number', greaterThan: 0, default: 1, doc: 'length scale ℓ (dimensionless: it divides sin², not x)' },
  lengthScaleBounds: { ...BOUNDS_RULE, doc: "bounds of ℓ or 'fixed'" },
  periodicity: { type: 'number', greaterThan: 0, default: 1, doc: 'period p (scikit-learn periodicity)' },
  periodicityBounds: { ...BOUNDS_RULE, doc: "bounds of p or 'fixed'" },
});

/** $\sum_j \sin^2 a_j$ and $\sum_j a_j \sin a_j \cos a_j$ with $a_j = \pi(x_j - y_j)/p$. */
function sines(a: Points, i: number, b: Points, j: number, per: number, out: Float64Array): void {
  let s2 = 0;
  let asc = 0;
  for (let t = 0; t < a.d; t++) {
    const arg = (Math.PI * (a.data[i * a.d + t] - b.data[j * b.d + t])) / per;
    const s = Math.sin(arg);
    s2 += s * s;
    asc += arg * s * Math.cos(arg);
  }
  out[0] = s2;
  out[1] = asc;
}

/** Periodic kernel object; build with {@link periodic}. */
export class PeriodicKernel extends LeafKernel {
  readonly kind = 'periodic';
  protected rebuild(params: Hyperparameter[]): PeriodicKernel {
    return new PeriodicKernel(params);
  }
  computeMatrix(a: Points, b?: Points): Float64Array {
    const l2 = this.p('lengthScale') ** 2;
    const per = this.p('periodicity');
    const w = new Float64Array(2);
    const bb = b ?? a;
    const K = new Float64Array(a.n * bb.n);
    for (let i = 0; i < a.n; i++) {
      for (let j = b ? 0 : i; j < bb.n; j++) {
        sines(a, i, bb, j, per, w);
        K[i * bb.n + j] = Math.exp((-2 * w[0]) / l2);
      }
    }
    if (!b) mirrorUpper(K, a.n);
    return K;
  }
  computeDiag(a: Points): Float64Array {
    return new Float64Array(a.n).fill(1);
  }
  computeGradient(a: Points): { K: Float64Array; grads: Float64Array[] } {
    const n = a.n;
    const l = this.p('lengthScale');
    const per = this.p('periodicity');
    const freeL = this.params[0].bounds !== 'fixed';
    const freeP = this.params[1].bounds !== 'fixed';
    const K = new Float64Array(n * n);
    const gL = freeL ? new Float64Array(n * n) : null;
    const gP = freeP ? new Float64Array(n * n) : null;
    const w = new Float64Array(2);
    for (let i = 0; i < n; i++) {
      for (let j = i; j < n; j++) {
        sines(a, i, a, j, per, w);
        const k = Math.exp((-2 * w[0]) / (l * l));
        K[i * n + j] = k;
        if (gL) gL[i * n + j] = (4 * k * w[0]) / (l * l);
        if (gP) gP[i * n + j] = (4 * k * w[1]) / (l * l);
      }
    }
    mirrorUpper(K, n);
    const grads: Float64Array[] = [];
    for (const g of [gL, gP]) {
      if (g) {
        mirrorUpper(g, n);
        grads.push(g);
      }
    }
    return { K, grads };
  }
  toString(): string {
    return `Periodic(lengthScale=${fmt(this.p('lengthScale'))}, periodicity=${fmt(this.p('periodicity'))})`;
  }
}

/**
 * Creates a periodic kernel. The period option is `periodicity` (as scikit-learn's `ExpSineSquared`);
 * `periodic({ period: 6 })` is rejected ("did you mean 'periodicity'?"), not silently fitted with p = 1.
 * @throws DomainError for an unknown option, non-positive ℓ or p, bad bounds.
 */
export function periodic(options: PeriodicOptions = {}): PeriodicKernel {
  const o = OPTIONS.parse(options);
  return new PeriodicKernel([
    makeParam('periodic', 'lengthScale', o.lengthScale, o.lengthScaleBounds, 'none'),
    makeParam('periodic', 'periodicity', o.periodicity, o.periodicityBounds, 'length'),
  ]);
}
