/**
 * Gradients of a kernel with respect to its **first input**, $\partial k(z_a, x_j)/\partial z_{a,t}$, for the
 * inducing-input gradients of SGPR and SVGP (`optimizeInducing`). Analytic, per kernel kind:
 *
 * - stationary $k = f(r^2)$, $r^2 = \sum_t (z_t - x_t)^2/\ell_t^2$ (RBF, Matérn, rational quadratic):
 *   $\partial k/\partial z_t = f'(r^2)\,2(z_t - x_t)/\ell_t^2 = -g(r^2)\,(z_t - x_t)/\ell_t^2$ with the kernel's own
 *   $g = -2f'$ (the function its log-length-scale gradient uses; 0 at $r = 0$, where Matérn-½ has a cusp);
 * - linear $\sigma_0^2 + z^\top x$: $x_t$; constant and white: 0 (white is 0 off the diagonal and constant on it);
 * - sums add, products follow the product rule $\sum_m \partial k_m \prod_{q\ne m} k_q$.
 *
 * Periodic and arcsine kernels are not supported (`inputGradientSupported` says so before a fit starts).
 */
import { DomainError } from '@notes/core-linalg';
import { ConstantKernel, type Kernel, LinearKernel, ProductKernel, SumKernel, WhiteKernel } from '../kernels/index.js';
import type { Points } from '../kernels/points.js';
import { StationaryKernel } from '../kernels/stationary.js';

/** The kernel kind that has no input gradient here, or null when every part is supported. */
export function unsupportedInputGradient(kernel: Kernel): string | null {
  if (kernel instanceof SumKernel || kernel instanceof ProductKernel) {
    for (const k of kernel.kernels) {
      const bad = unsupportedInputGradient(k);
      if (bad) return bad;
    }
    return null;
  }
  if (kernel instanceof StationaryKernel || kernel instanceof LinearKernel || kernel instanceof ConstantKernel || kernel instanceof WhiteKernel) return null;
  return kernel.kind;
}

/** Throws a DomainError naming the first unsupported kernel kind. */
export function checkInputGradient(where: string, kernel: Kernel): void {
  const bad = unsupportedInputGradient(kernel);
  if (bad) {
    throw new DomainError(
      `${where}: option 'optimizeInducing' needs input gradients of the kernel, which '${bad}' does not provide here (supported: rbf, matern, rationalQuadratic, linear, constant, white and their sums/products)`,
    );
  }
}

/**
 * $D_t[a, j] = \partial k(z_a, x_j)/\partial z_{a,t}$ for t = 0..d-1 (d arrays, each `Z.n × X.n` row-major).
 */
export function inputGradient(kernel: Kernel, Z: Points, X: Points): Float64Array[] {
  const { n: m, d } = Z;
  const c = X.n;
  if (kernel instanceof ConstantKernel || kernel instanceof WhiteKernel) return Array.from({ length: d }, () => new Float64Array(m * c));
  if (kernel instanceof LinearKernel) {
    return Array.from({ length: d }, (_, t) => {
      const D = new Float64Array(m * c);
      for (let a = 0; a < m; a++) for (let j = 0; j < c; j++) D[a * c + j] = X.data[j * d + t] as number;
      return D;
    });
  }
  if (kernel instanceof SumKernel) {
    const out = inputGradient(kernel.kernels[0] as Kernel, Z, X);
    for (let q = 1; q < kernel.kernels.length; q++) {
      const part = inputGradient(kernel.kernels[q] as Kernel, Z, X);
      for (let t = 0; t < d; t++) {
        const o = out[t] as Float64Array;
        const p = part[t] as Float64Array;
        for (let i = 0; i < o.length; i++) o[i] = (o[i] as number) + (p[i] as number);
      }
    }
    return out;
  }
  if (kernel instanceof ProductKernel) {
    const parts = kernel.kernels;
    const mats = parts.map((k) => k.computeMatrix(Z, X));
    const out = Array.from({ length: d }, () => new Float64Array(m * c));
    for (let q = 0; q < parts.length; q++) {
      const others = new Float64Array(m * c).fill(1);
      for (let r = 0; r < parts.length; r++) {
        if (r === q) continue;
        const K = mats[r] as Float64Array;
        for (let i = 0; i < others.length; i++) others[i] = (others[i] as number) * (K[i] as number);
      }
      const Dq = inputGradient(parts[q] as Kernel, Z, X);
      for (let t = 0; t < d; t++) {
        const o = out[t] as Float64Array;
        const p = Dq[t] as Float64Array;
        for (let i = 0; i < o.length; i++) o[i] = (o[i] as number) + (p[i] as number) * (others[i] as number);
      }
    }
    return out;
  }
  if (kernel instanceof StationaryKernel) {
    const ls = kernel.params[0]?.value as Float64Array;
    const inv2 = Float64Array.from({ length: d }, (_, t) => 1 / ((ls.length === 1 ? (ls[0] as number) : (ls[t] as number)) ** 2));
    // g = −2 df/d(r²) is protected on the kernel classes; it is the same function their θ-gradients use
    const g = (kernel as unknown as { g(r2: number): number }).g.bind(kernel);
    const out = Array.from({ length: d }, () => new Float64Array(m * c));
    const diff = new Float64Array(d);
    for (let a = 0; a < m; a++) {
      for (let j = 0; j < c; j++) {
        let r2 = 0;
        for (let t = 0; t < d; t++) {
          const u = (Z.data[a * d + t] as number) - (X.data[j * d + t] as number);
          diff[t] = u;
          r2 += u * u * (inv2[t] as number);
        }
        if (!(r2 > 0)) continue;
        const gv = g(r2);
        for (let t = 0; t < d; t++) (out[t] as Float64Array)[a * c + j] = -gv * (diff[t] as number) * (inv2[t] as number);
      }
    }
    return out;
  }
  throw new DomainError(`inputGradient: kernel '${kernel.kind}' has no input gradient`);
}
