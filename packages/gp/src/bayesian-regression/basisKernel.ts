/**
 * The kernel of a Bayesian basis-function model (notes: Bayesian Regression → Gaussian Process):
 * with $w \sim \mathcal N(0, S)$, $S = vI$, the function values $\Phi w$ are $\mathcal N(0, \Phi S\Phi^\top)$, so
 * $$k(x,x') = v\,\varphi(x)^\top\varphi(x')$$
 * A GP with this kernel and noise σ² gives the same predictive as Bayesian linear regression.
 */
import { type Bounds, DEFAULT_BOUNDS, type Hyperparameter, LeafKernel, fmt, makeParam } from '../kernels/kernel.js';
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

/** Creates $k(x,x') = v\,\varphi(x)^\top\varphi(x')$. @defaultValue priorVariance = 1, bounds [1e-5, 1e5] */
export function basisKernel(basis: Basis, options: { priorVariance?: number; priorVarianceBounds?: Bounds } = {}): BasisKernel {
  return new BasisKernel(
    [makeParam('basisKernel', 'priorVariance', options.priorVariance ?? 1, options.priorVarianceBounds ?? DEFAULT_BOUNDS)],
    basis,
  );
}

/** Rebuilds a {@link BasisKernel} from JSON (used by `kernelFromJSON`). */
export function basisKernelFromJSON(params: Hyperparameter[], basis: BasisJSON): BasisKernel {
  return new BasisKernel(params, basisFromJSON(basis));
}
