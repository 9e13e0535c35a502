/**
 * Fast paths of the exact GP for the most common kernels, an RBF (one or ARD length scales) optionally scaled
 * by a constant (`rbf()`, `scale(rbf(), c)` = `product(constant(c), rbf())`):
 *
 * {@link rbfLowerWithGradients}: the **lower triangle** of K(X, X) and of its log-parameter gradients in one
 * pass ($\partial K/\partial\log c = K$, $\partial K/\partial\log\ell_t = K\,(x_t - x'_t)^2/\ell_t^2$), without
 * mirroring (the Cholesky and the gradient traces read only lower triangles) and without the product rule's
 * extra n×n passes: 1.5–3× faster than `computeGradient` at n = 500–2,000 (CPU time, shared machine).
 * Returns `null` for any other kernel; the formulas are those of `rbf.ts`/`stationary.ts` (a test checks
 * them against `computeGradient`). The exponential is core's SIMD `expAffineInPlace` over the packed triangle.
 *
 * {@link rbfPackedLower}: the same triangle **packed** (r² and K, n(n+1)/2 entries each, no n×n array) for one
 * length scale: the exact path's log ML of `sum(rbf(), white())` loads it straight into core's `ResidentCholesky`
 * and takes the gradient traces from it (`lml.ts`).
 *
 * {@link rbfCross}: the cross-covariance K(A, B) of predictions (and optionally its products with α, the mean):
 * the scaled squared distances, core's SIMD exponential (within 2 ulp of `Math.exp`) and the row sums in one
 * WebAssembly pass (core's `rbfRows`; the same values as the earlier three passes, ~40 % less time).
 */
import { expAffineInPlace, rbfRows } from '@notes/core-linalg/kernels';
import { ConstantKernel, type Kernel, ProductKernel, RBFKernel, SumKernel, WhiteKernel } from '../kernels/index.js';
import type { Points } from '../kernels/points.js';

interface RBFShape {
  rbf: RBFKernel;
  /** Constant factor (1 without one) and whether its log is a free parameter. */
  c: number;
  cFree: boolean;
}

function rbfShape(kernel: Kernel): RBFShape | null {
  if (kernel instanceof RBFKernel) return { rbf: kernel, c: 1, cFree: false };
  if (kernel instanceof ProductKernel && kernel.kernels.length === 2) {
    const [a, b] = kernel.kernels;
    if (a instanceof ConstantKernel && b instanceof RBFKernel) {
      const h = a.params[0];
      return { rbf: b, c: h?.value[0] as number, cFree: h?.bounds !== 'fixed' };
    }
  }
  return null;
}

/** Inputs divided by the length scales (row-major copy). */
function scaled(rbf: RBFKernel, pts: Points): Float64Array {
  const ls = rbf.params[0]?.value as Float64Array;
  const { n, d, data } = pts;
  const out = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let t = 0; t < d; t++) out[i * d + t] = (data[i * d + t] as number) / (ls.length === 1 ? (ls[0] as number) : (ls[t] as number));
  return out;
}

/**
 * Lower triangles (diagonal included) of K and of ∂K/∂θ in `kernel.theta` order, or null when the kernel is
 * not an RBF or constant·RBF. The strict upper triangles are left 0.
 */
export function rbfLowerWithGradients(kernel: Kernel, pts: Points): { K: Float64Array; grads: Float64Array[] } | null {
  const shape = rbfShape(kernel);
  if (!shape) return null;
  const { rbf, c, cFree } = shape;
  const { n, d } = pts;
  const lsParam = rbf.params[0];
  const ard = (lsParam?.value.length ?? 1) > 1;
  const nLs = lsParam?.bounds === 'fixed' ? 0 : ard ? d : 1;
  const x = scaled(rbf, pts);
  const { R, E } = packedLower(x, n, d, c);
  const K = new Float64Array(n * n);
  const gL = Array.from({ length: nLs }, () => new Float64Array(n * n));
  let q = 0;
  for (let i = 0; i < n; i++) {
    const row = i * n;
    K.set(E.subarray(q, q + i + 1), row);
    if (nLs > 0 && !ard) {
      const g = gL[0] as Float64Array;
      for (let j = 0; j <= i; j++) g[row + j] = (E[q + j] as number) * (R[q + j] as number);
    } else if (nLs > 0) {
      for (let j = 0; j <= i; j++) {
        const k = E[q + j] as number;
        for (let t = 0; t < d; t++) {
          const u = (x[i * d + t] as number) - (x[j * d + t] as number);
          (gL[t] as Float64Array)[row + j] = k * u * u;
        }
      }
    }
    q += i + 1;
  }
  const grads: Float64Array[] = [];
  if (cFree) grads.push(K.slice());
  grads.push(...gL);
  return { K, grads };
}

/**
 * An RBF or constant·RBF kernel with one length scale (not ARD) as **packed** lower triangles (row by row, (0,0),
 * (1,0), (1,1), …; n(n+1)/2 entries): `E` = K and `R` = the scaled squared distances r², so that
 * $\partial K/\partial\log c = E$ and $\partial K/\partial\log\ell = E\,R$; `terms` lists the free log-parameters in
 * `kernel.theta` order (`'c'`, then `'ls'`). Null for any other kernel. `E` and `R` are scratch arrays reused by
 * the next call (read them before calling again).
 */
export function rbfPackedLower(kernel: Kernel, pts: Points): { E: Float64Array; R: Float64Array; terms: ('c' | 'ls')[] } | null {
  const shape = rbfShape(kernel);
  if (!shape) return null;
  const lsParam = shape.rbf.params[0];
  if ((lsParam?.value.length ?? 1) > 1) return null;
  const { R, E } = packedLower(scaled(shape.rbf, pts), pts.n, pts.d, shape.c);
  const terms: ('c' | 'ls')[] = [];
  if (shape.cFree) terms.push('c');
  if (lsParam?.bounds !== 'fixed') terms.push('ls');
  return { E, R, terms };
}

/** Scratch of {@link packedLower}, kept across calls. */
let packedR = new Float64Array(0);
let packedE = new Float64Array(0);

/**
 * Packed lower triangles of r² (R) and c·exp(−r²/2) (E) for the scaled inputs x (n×d), the exponential by core's
 * SIMD `expAffineInPlace` over the whole triangle (within 2 ulp of `Math.exp`). Returns the shared scratch arrays.
 */
function packedLower(x: Float64Array, n: number, d: number, c: number): { R: Float64Array; E: Float64Array } {
  const P = (n * (n + 1)) / 2;
  if (packedR.length < P) {
    packedR = new Float64Array(P);
    packedE = new Float64Array(P);
  }
  const R = packedR;
  const E = packedE;
  let q = 0;
  if (d === 1) {
    for (let i = 0; i < n; i++) {
      const xi = x[i] as number;
      for (let j = 0; j <= i; j++) {
        const u = xi - (x[j] as number);
        R[q++] = u * u;
      }
    }
  } else {
    for (let i = 0; i < n; i++) {
      for (let j = 0; j <= i; j++) {
        let r2 = 0;
        for (let t = 0; t < d; t++) {
          const u = (x[i * d + t] as number) - (x[j * d + t] as number);
          r2 += u * u;
        }
        R[q++] = r2;
      }
    }
  }
  E.set(R.subarray(0, P));
  expAffineInPlace(E, -0.5, c, 0, P);
  return { R, E };
}

/**
 * $K(A, B)$ (a.n × b.n, row-major; in the front of `out` when given) for an RBF or constant·RBF kernel, also
 * summed with white-noise terms (which are 0 between distinct point sets), or null for any other kernel:
 * $c\,e^{-r^2/2}$ with $r^2$ the squared distance of the inputs divided by the length scales (the same
 * differences as `StationaryKernel.computeMatrix`), by core's `rbfRows` (squared distances and the SIMD
 * exponential of `expAffineInPlace` in one WebAssembly pass). With `w` and `dots`, also `dots[i]` = row i·w
 * (four partial sums by column mod 4, see `rbfRows`: the mean $K_*\alpha$ of a prediction in the same pass).
 */
export function rbfCross(kernel: Kernel, a: Points, b: Points, out?: Float64Array, w?: Float64Array, dots?: Float64Array): Float64Array | null {
  if (kernel instanceof SumKernel) {
    // a sum of one RBF term and white-noise terms (0 between distinct point sets, see `white`)
    const parts = kernel.kernels.filter((k) => !(k instanceof WhiteKernel));
    return parts.length === 1 ? rbfCross(parts[0] as Kernel, a, b, out, w, dots) : null;
  }
  const shape = rbfShape(kernel);
  if (!shape) return null;
  const na = a.n;
  const nb = b.n;
  const K = out ? out.subarray(0, na * nb) : new Float64Array(na * nb);
  rbfRows(scaled(shape.rbf, a), na, scaled(shape.rbf, b), nb, a.d, -0.5, shape.c, K, w, dots);
  return K;
}
