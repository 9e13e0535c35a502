/**
 * The notes' arcsine / neural-network kernel (Williams 1998; Rasmussen & Williams 2006, eq. 4.29):
 * $$k(x,x') = \frac{2}{\pi}\sin^{-1}\!\frac{2\tilde x^\top\Sigma\tilde x'}{\sqrt{(1+2\tilde x^\top\Sigma\tilde x)(1+2\tilde x'^\top\Sigma\tilde x')}}$$
 * with $\tilde x = (1, x)$ and $\Sigma = \mathrm{diag}(\sigma_0^2, \sigma^2, \dots, \sigma^2)$
 * (`biasVariance` σ₀², `weightVariance` σ²). With `bias: false` it is the notes' form with $x$ itself
 * and $\Sigma = \sigma^2 I$. The argument is strictly inside (−1, 1) by Cauchy–Schwarz.
 * Gradients: with $u = a/\sqrt{bc}$, $\partial k = \tfrac{2}{\pi}(1-u^2)^{-1/2}\,[\partial a/\sqrt{bc} - \tfrac u2(\partial b/b + \partial c/c)]$.
 */
import { defineOptions } from '@notes/core-linalg';
import { BOUNDS_RULE, type Bounds, type Hyperparameter, LeafKernel, fmt, makeParam, mirrorUpper } from './kernel.js';
import type { Points } from './points.js';

/** Options of {@link arcsine}. */
export interface ArcsineOptions {
  /** Prior variance of the weights, σ². @defaultValue 1 */
  weightVariance?: number;
  /** @defaultValue [1e-5, 1e5] */
  weightVarianceBounds?: Bounds;
  /** Prior variance of the bias, σ₀² (ignored with `bias: false`). @defaultValue 1 */
  biasVariance?: number;
  /** @defaultValue [1e-5, 1e5] */
  biasVarianceBounds?: Bounds;
  /** Augment inputs with a constant 1 (R&W); `false` is the notes' literal form. @defaultValue true */
  bias?: boolean;
}

const OPTIONS = defineOptions<ArcsineOptions>()('arcsine', {
  weightVariance: { type: 'number', greaterThan: 0, default: 1, doc: 'prior variance σ² of the weights' },
  weightVarianceBounds: { ...BOUNDS_RULE, doc: "bounds of σ² or 'fixed'" },
  biasVariance: { type: 'number', greaterThan: 0, default: 1, doc: 'prior variance σ₀² of the bias' },
  biasVarianceBounds: { ...BOUNDS_RULE, doc: "bounds of σ₀² or 'fixed'" },
  bias: { type: 'boolean', default: true, doc: 'augment inputs with a constant 1' },
});

/** Arcsine kernel object; build with {@link arcsine}. */
export class ArcsineKernel extends LeafKernel {
  readonly kind = 'arcsine';
  protected rebuild(params: Hyperparameter[]): ArcsineKernel {
    return new ArcsineKernel(params);
  }
  private get v(): number {
    return this.p('weightVariance');
  }
  private get v0(): number {
    const h = this.params.find((q) => q.name === 'biasVariance');
    return h ? h.value[0] : 0;
  }
  private dots(a: Points, i: number, b: Points, j: number): number {
    let s = 0;
    for (let t = 0; t < a.d; t++) s += a.data[i * a.d + t] * b.data[j * b.d + t];
    return s;
  }
  computeMatrix(a: Points, b?: Points): Float64Array {
    const bb = b ?? a;
    const v = this.v;
    const v0 = this.v0;
    const na = Float64Array.from({ length: a.n }, (_, i) => 1 + 2 * (v0 + v * this.dots(a, i, a, i)));
    const nb = b ? Float64Array.from({ length: bb.n }, (_, j) => 1 + 2 * (v0 + v * this.dots(bb, j, bb, j))) : na;
    const K = new Float64Array(a.n * bb.n);
    for (let i = 0; i < a.n; i++) {
      for (let j = 0; j < bb.n; j++) {
        const u = (2 * (v0 + v * this.dots(a, i, bb, j))) / Math.sqrt(na[i] * nb[j]);
        K[i * bb.n + j] = (2 / Math.PI) * Math.asin(u);
      }
    }
    return K;
  }
  computeDiag(a: Points): Float64Array {
    const v = this.v;
    const v0 = this.v0;
    return Float64Array.from({ length: a.n }, (_, i) => {
      const s = 2 * (v0 + v * this.dots(a, i, a, i));
      return (2 / Math.PI) * Math.asin(s / (1 + s));
    });
  }
  computeGradient(a: Points): { K: Float64Array; grads: Float64Array[] } {
    const n = a.n;
    const v = this.v;
    const v0 = this.v0;
    const hasBias = this.params.length > 1;
    const free = this.params.map((h) => h.bounds !== 'fixed'); // [weightVariance, biasVariance?]
    const self = Float64Array.from({ length: n }, (_, i) => this.dots(a, i, a, i));
    const K = new Float64Array(n * n);
    const gW = free[0] ? new Float64Array(n * n) : null;
    const gB = hasBias && free[1] ? new Float64Array(n * n) : null;
    for (let i = 0; i < n; i++) {
      for (let j = i; j < n; j++) {
        const xy = this.dots(a, i, a, j);
        const A = 2 * (v0 + v * xy);
        const B = 1 + 2 * (v0 + v * self[i]);
        const C = 1 + 2 * (v0 + v * self[j]);
        const sq = Math.sqrt(B * C);
        const u = A / sq;
        K[i * n + j] = (2 / Math.PI) * Math.asin(u);
        const pre = 2 / Math.PI / Math.sqrt(1 - u * u);
        // d(log v): dA = 2 v xy, dB = 2 v x·x, dC = 2 v y·y;  d(log v0): dA = dB = dC = 2 v0
        if (gW) gW[i * n + j] = pre * ((2 * v * xy) / sq - 0.5 * u * ((2 * v * self[i]) / B + (2 * v * self[j]) / C));
        if (gB) gB[i * n + j] = pre * ((2 * v0) / sq - 0.5 * u * ((2 * v0) / B + (2 * v0) / C));
      }
    }
    mirrorUpper(K, n);
    const grads: Float64Array[] = [];
    for (const g of [gW, gB]) {
      if (g) {
        mirrorUpper(g, n);
        grads.push(g);
      }
    }
    return { K, grads };
  }
  toString(): string {
    return `Arcsine(weightVariance=${fmt(this.v)}, biasVariance=${fmt(this.v0)})`;
  }
}

/** Creates the arcsine / neural-network kernel. @throws DomainError for non-positive variances. */
export function arcsine(options: ArcsineOptions = {}): ArcsineKernel {
  const o = OPTIONS.parse(options);
  const params = [makeParam('arcsine', 'weightVariance', o.weightVariance, o.weightVarianceBounds, 'inverse-square-length')];
  if (o.bias) params.push(makeParam('arcsine', 'biasVariance', o.biasVariance, o.biasVarianceBounds, 'none'));
  return new ArcsineKernel(params);
}
