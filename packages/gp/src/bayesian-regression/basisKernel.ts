/**
 * The kernel of a Bayesian basis-function model (notes: Bayesian Regression → Gaussian Process):
 * with $w \sim \mathcal N(0, S)$, $S = vI$, the function values $\Phi w$ are $\mathcal N(0, \Phi S\Phi^\top)$, so
 * $$k(x,x') = v\,\varphi(x)^\top\varphi(x')$$
 * A GP with this kernel and noise σ² gives the same predictive as Bayesian linear regression.
 */
import { DomainError, defineOptions, describeValue } from '@notes/core-linalg';
import { BOUNDS_RULE, type Bounds, type Hyperparameter, LeafKernel, fmt, makeParam } from '../kernels/kernel.js';
import type { Points } from '../kernels/points.js';
import { type Basis, basisFromJSON, type BasisJSON } from './basis.js';

/** Kernel object $v\,\varphi(x)^\top\varphi(x')$; build with {@link basisKernel}. */
export class BasisKernel extends LeafKernel {
  readonly kind = 'basis';
  readonly basis: Basis;
  constructor(params: readonly Hyperparameter[], basis: Basis) {
    super(params);
    this.basis = basis;
  }
  protected rebuild(params: Hyperparameter[]): BasisKernel {
    return new BasisKernel(params, this.basis);
  }
  computeMatrix(a: Points, b?: Points): Float64Array {
    const M = this.basis.size;
    const v = this.p('priorVariance');
    const Pa = this.basis.features(a);
    const Pb = b ? this.basis.features(b) : Pa;
    const nb = b ? b.n : a.n;
    const K = new Float64Array(a.n * nb);
    for (let i = 0; i < a.n; i++) {
      for (let j = 0; j < nb; j++) {
        let s = 0;
        for (let m = 0; m < M; m++) s += Pa[i * M + m] * Pb[j * M + m];
        K[i * nb + j] = v * s;
      }
    }
    return K;
  }
  computeDiag(a: Points): Float64Array {
    const M = this.basis.size;
    const v = this.p('priorVariance');
    const P = this.basis.features(a);
    return Float64Array.from({ length: a.n }, (_, i) => {
      let s = 0;
      for (let m = 0; m < M; m++) s += P[i * M + m] ** 2;
      return v * s;
    });
  }
  computeGradient(a: Points): { K: Float64Array; grads: Float64Array[] } {
    const K = this.computeMatrix(a);
    return { K, grads: this.params[0].bounds === 'fixed' ? [] : [K.slice()] };
  }
  override toJSON() {
    const j = super.toJSON() as { kind: string; params: Record<string, { value: number[]; bounds: [number, number] | 'fixed' }>; basis?: BasisJSON };
    j.basis = this.basis.toJSON();
    return j;
  }
  toString(): string {
    return `Basis(${this.basis.kind}, priorVariance=${fmt(this.p('priorVariance'))})`;
  }
}

/** Options of {@link basisKernel}. */
export interface BasisKernelOptions {
  /** Prior variance v of the weights. @defaultValue 1 */
  priorVariance?: number;
  /** Bounds of v or `'fixed'`. @defaultValue [1e-5, 1e5] */
  priorVarianceBounds?: Bounds;
}

const OPTIONS = defineOptions<BasisKernelOptions>()('basisKernel', {
  priorVariance: { type: 'number', greaterThan: 0, default: 1 },
  priorVarianceBounds: { ...BOUNDS_RULE },
});

/**
 * Creates $k(x,x') = v\,\varphi(x)^\top\varphi(x')$. @defaultValue priorVariance = 1, bounds [1e-5, 1e5]
 * @throws DomainError for a non-basis, an unknown option, v ≤ 0 or bad bounds.
 */
export function basisKernel(basis: Basis, options: BasisKernelOptions = {}): BasisKernel {
  if (typeof basis !== 'object' || basis === null || typeof basis.features !== 'function' || typeof basis.toJSON !== 'function') {
    throw new DomainError(`basisKernel: argument 'basis' must be a basis (polynomialBasis, rbfBasis, fourierBasis), got ${describeValue(basis)}`);
  }
  const o = OPTIONS.parse(options);
  // rebuild from JSON: a validated copy the caller cannot change afterwards
  return new BasisKernel([makeParam('basisKernel', 'priorVariance', o.priorVariance, o.priorVarianceBounds, 'none')], basisFromJSON(basis.toJSON()));
}

/**
 * Rebuilds a {@link BasisKernel} from its parameters and basis JSON (used by `kernelFromJSON`).
 * @throws DomainError / ShapeError naming the bad field.
 */
export function basisKernelFromJSON(params: Hyperparameter[], basis: BasisJSON): BasisKernel {
  if (!Array.isArray(params) || params.length !== 1 || params[0]?.name !== 'priorVariance') {
    throw new DomainError(`basisKernelFromJSON: argument 'params' must be [priorVariance], got ${describeValue(params)}`);
  }
  const h = params[0];
  return new BasisKernel([makeParam('basisKernelFromJSON', 'priorVariance', h.value, h.bounds, 'none', false)], basisFromJSON(basis));
}
