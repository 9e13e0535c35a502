/**
 * Kernel algebra from the notes (Gaussian Process: "相加 / 相乘"):
 * $k = k_1 + k_2$ and $k = k_1 \cdot k_2$ are again PSD kernels; `scale(k, c)` is $c\,k$ (a product with
 * a {@link constant}). Gradients: $\partial(k_1+k_2) = \partial k_1 \oplus \partial k_2$ and
 * $\partial(k_1k_2)/\partial\theta_1 = (\partial k_1/\partial\theta_1)\,k_2$ (elementwise).
 * Rasmussen & Williams (2006), §4.2.4.
 */
import { DomainError, ShapeError, describeValue } from '@notes/core-linalg';
import { type Bounds, type Hyperparameter, Kernel, type KernelJSON } from './kernel.js';
import type { Points } from './points.js';
import { constant } from './simple.js';

abstract class CompositeKernel extends Kernel {
  readonly kernels: readonly Kernel[];
  constructor(kernels: readonly Kernel[]) {
    super();
    if (kernels.length < 2) throw new ShapeError(`${this.constructor.name}: needs at least 2 kernels, got ${kernels.length}`);
    kernels.forEach((k, i) => {
      if (!(k instanceof Kernel)) throw new DomainError(`${this.constructor.name}: argument ${i} must be a Kernel, got ${describeValue(k)}`);
    });
    this.kernels = Object.freeze([...kernels]);
  }
  get hyperparameters(): readonly Hyperparameter[] {
    return this.kernels.flatMap((k, i) => k.hyperparameters.map((h) => ({ ...h, name: `k${i + 1}.${h.name}` })));
  }
  override checkDim(where: string, a: Points): void {
    for (const k of this.kernels) k.checkDim(where, a);
  }
  protected splitTheta(theta: ArrayLike<number>): Kernel[] {
    this.checkTheta(theta);
    let off = 0;
    return this.kernels.map((k) => {
      const t = Array.prototype.slice.call(theta, off, off + k.nTheta) as number[];
      off += k.nTheta;
      return k.withTheta(t);
    });
  }
  toJSON(): KernelJSON {
    return { kind: this.kind as 'sum' | 'product', kernels: this.kernels.map((k) => k.toJSON()) };
  }
}

/** $k(x,x') = \sum_m k_m(x,x')$; build with {@link sum}. */
export class SumKernel extends CompositeKernel {
  readonly kind = 'sum';
  withTheta(theta: ArrayLike<number>): SumKernel {
    return new SumKernel(this.splitTheta(theta));
  }
  computeMatrix(a: Points, b?: Points): Float64Array {
    const K = this.kernels[0].computeMatrix(a, b);
    for (let m = 1; m < this.kernels.length; m++) {
      const Km = this.kernels[m].computeMatrix(a, b);
      for (let i = 0; i < K.length; i++) K[i] += Km[i];
    }
    return K;
  }
  computeDiag(a: Points): Float64Array {
    const D = this.kernels[0].computeDiag(a);
    for (let m = 1; m < this.kernels.length; m++) {
      const Dm = this.kernels[m].computeDiag(a);
      for (let i = 0; i < D.length; i++) D[i] += Dm[i];
    }
    return D;
  }
  computeGradient(a: Points): { K: Float64Array; grads: Float64Array[] } {
    const parts = this.kernels.map((k) => k.computeGradient(a));
    const K = parts[0].K;
    for (let m = 1; m < parts.length; m++) for (let i = 0; i < K.length; i++) K[i] += parts[m].K[i];
    return { K, grads: parts.flatMap((p) => p.grads) };
  }
  override computeCrossGradient(a: Points, b: Points): Float64Array[] {
    return this.kernels.flatMap((k) => k.computeCrossGradient(a, b));
  }
  override computeDiagGradient(a: Points): Float64Array[] {
    return this.kernels.flatMap((k) => k.computeDiagGradient(a));
  }
  toString(): string {
    return this.kernels.map(String).join(' + ');
  }
}

/** $k(x,x') = \prod_m k_m(x,x')$; build with {@link product}. */
export class ProductKernel extends CompositeKernel {
  readonly kind = 'product';
  withTheta(theta: ArrayLike<number>): ProductKernel {
    return new ProductKernel(this.splitTheta(theta));
  }
  computeMatrix(a: Points, b?: Points): Float64Array {
    const K = this.kernels[0].computeMatrix(a, b);
    for (let m = 1; m < this.kernels.length; m++) {
      const Km = this.kernels[m].computeMatrix(a, b);
      for (let i = 0; i < K.length; i++) K[i] *= Km[i];
    }
    return K;
  }
  computeDiag(a: Points): Float64Array {
    const D = this.kernels[0].computeDiag(a);
    for (let m = 1; m < this.kernels.length; m++) {
      const Dm = this.kernels[m].computeDiag(a);
      for (let i = 0; i < D.length; i++) D[i] *= Dm[i];
    }
    return D;
  }
  computeGradient(a: Points): { K: Float64Array; grads: Float64Array[] } {
    const parts = this.kernels.map((k) => k.computeGradient(a));
    const size = parts[0].K.length;
    const grads: Float64Array[] = [];
    for (let m = 0; m < parts.length; m++) {
      // product of the other factors
      const others = new Float64Array(size).fill(1);
      for (let q = 0; q < parts.length; q++) {
        if (q === m) continue;
        const Kq = parts[q].K;
        for (let i = 0; i < size; i++) others[i] *= Kq[i];
      }
      for (const g of parts[m].grads) {
        for (let i = 0; i < size; i++) g[i] *= others[i];
        grads.push(g);
      }
    }
    const K = parts[0].K;
    for (let m = 1; m < parts.length; m++) for (let i = 0; i < size; i++) K[i] *= parts[m].K[i];
    return { K, grads };
  }
  override computeCrossGradient(a: Points, b: Points): Float64Array[] {
    return productRule(this.kernels.map((k) => ({ K: k.computeMatrix(a, b), grads: k.computeCrossGradient(a, b) })));
  }
  override computeDiagGradient(a: Points): Float64Array[] {
    return productRule(this.kernels.map((k) => ({ K: k.computeDiag(a), grads: k.computeDiagGradient(a) })));
  }
  toString(): string {
    return this.kernels.map((k) => (k instanceof SumKernel ? `(${k})` : String(k))).join(' * ');
  }
}

/** Sum of kernels. @throws ShapeError with fewer than two kernels. */
export function sum(...kernels: Kernel[]): SumKernel {
  return new SumKernel(kernels);
}

/** Product of kernels. @throws ShapeError with fewer than two kernels. */
export function product(...kernels: Kernel[]): ProductKernel {
  return new ProductKernel(kernels);
}

/**
 * $c\,k(x,x')$ as `product(constant(c, bounds), k)` (scikit-learn writes `c * k`).
 * @defaultValue bounds = [1e-5, 1e5] relative to the squared targets' scale
 * @throws DomainError if c ≤ 0 or `kernel` is not a Kernel.
 */
export function scale(kernel: Kernel, c: number, bounds?: Bounds): ProductKernel {
  if (!(kernel instanceof Kernel)) throw new DomainError(`scale: argument 'kernel' must be a Kernel, got ${describeValue(kernel)}`);
  return new ProductKernel([constant(c, bounds), kernel]);
}

/** ∂(∏ K_m) = ∂K_m · ∏_{q≠m} K_q, elementwise, for each factor's gradients. */
function productRule(parts: { K: Float64Array; grads: Float64Array[] }[]): Float64Array[] {
  const size = (parts[0] as { K: Float64Array }).K.length;
  const out: Float64Array[] = [];
  for (let m = 0; m < parts.length; m++) {
    const others = new Float64Array(size).fill(1);
    for (let q = 0; q < parts.length; q++) {
      if (q === m) continue;
      const Kq = (parts[q] as { K: Float64Array }).K;
      for (let i = 0; i < size; i++) others[i] = (others[i] as number) * (Kq[i] as number);
    }
    for (const g of (parts[m] as { grads: Float64Array[] }).grads) {
      for (let i = 0; i < size; i++) g[i] = (g[i] as number) * (others[i] as number);
      out.push(g);
    }
  }
  return out;
}
