/**
 * Shared machinery of stationary kernels $k(x,x') = f(r^2)$ with
 * $r^2 = \sum_j (x_j - x'_j)^2 / \ell_j^2$ (one length scale, or one per dimension: ARD).
 *
 * Gradient with respect to $\log\ell_j$: $\partial k/\partial\log\ell_j = -2 f'(r^2)\,(x_j-x'_j)^2/\ell_j^2$
 * (for a single length scale, $-2f'(r^2)\,r^2$). Subclasses supply $f$ and $g = -2f'$.
 */
import { ShapeError } from '@notes/core-linalg';
import { LeafKernel, mirrorUpper } from './kernel.js';
import type { Points } from './points.js';

/** Base class for kernels that depend on the scaled squared distance only. */
export abstract class StationaryKernel extends LeafKernel {
  /** $f(r^2)$. */
  protected abstract f(r2: number): number;
  /** $g(r^2) = -2\,\mathrm d f/\mathrm d(r^2)$. */
  protected abstract g(r2: number): number;
  /** Gradient of $k$ w.r.t. the log of extra parameter `name` at $r^2$ (RQ's α). */
  protected extraGrad(_name: string, _r2: number, _k: number): number {
    return 0;
  }

  protected lengthScales(d: number): Float64Array {
    const ls = this.params[0].value;
    if (ls.length === 1) return new Float64Array(d).fill(ls[0]);
    if (ls.length !== d) {
      throw new ShapeError(`${this.kind}: ARD length scales have ${ls.length} entries but X has ${d} columns`);
    }
    return ls;
  }

  private scaled(a: Points): Float64Array {
    const ls = this.lengthScales(a.d);
    const out = new Float64Array(a.data.length);
    for (let i = 0; i < a.n; i++) for (let j = 0; j < a.d; j++) out[i * a.d + j] = a.data[i * a.d + j] / ls[j];
    return out;
  }

  computeMatrix(a: Points, b?: Points): Float64Array {
    const d = a.d;
    const xa = this.scaled(a);
    if (b === undefined) {
      const n = a.n;
      const K = new Float64Array(n * n);
      for (let i = 0; i < n; i++) {
        K[i * n + i] = this.f(0);
        for (let j = i + 1; j < n; j++) {
          let r2 = 0;
          for (let t = 0; t < d; t++) {
            const u = xa[i * d + t] - xa[j * d + t];
            r2 += u * u;
          }
          K[i * n + j] = this.f(r2);
        }
      }
      mirrorUpper(K, n);
      return K;
    }
    const xb = this.scaled(b);
    const K = new Float64Array(a.n * b.n);
    for (let i = 0; i < a.n; i++) {
      for (let j = 0; j < b.n; j++) {
        let r2 = 0;
        for (let t = 0; t < d; t++) {
          const u = xa[i * d + t] - xb[j * d + t];
          r2 += u * u;
        }
        K[i * b.n + j] = this.f(r2);
      }
    }
    return K;
  }

  computeDiag(a: Points): Float64Array {
    return new Float64Array(a.n).fill(this.f(0));
  }

  override computeCrossGradient(a: Points, b: Points): Float64Array[] {
    const d = a.d;
    const xa = this.scaled(a);
    const xb = this.scaled(b);
    const ls = this.params[0] as (typeof this.params)[number];
    const ard = ls.value.length > 1;
    const nLs = ls.bounds !== 'fixed' ? (ard ? d : 1) : 0;
    const extras = this.params.slice(1).filter((h) => h.bounds !== 'fixed');
    const grads: Float64Array[] = [];
    for (let q = 0; q < nLs + extras.length; q++) grads.push(new Float64Array(a.n * b.n));
    for (let i = 0; i < a.n; i++) {
      for (let j = 0; j < b.n; j++) {
        let r2 = 0;
        for (let t = 0; t < d; t++) {
          const u = (xa[i * d + t] as number) - (xb[j * d + t] as number);
          r2 += u * u;
        }
        const at = i * b.n + j;
        if (nLs > 0) {
          const g = r2 > 0 ? this.g(r2) : 0;
          if (ard) {
            for (let t = 0; t < d; t++) {
              const u = (xa[i * d + t] as number) - (xb[j * d + t] as number);
              (grads[t] as Float64Array)[at] = g * u * u;
            }
          } else (grads[0] as Float64Array)[at] = g * r2;
        }
        if (extras.length > 0) {
          const k = this.f(r2);
          for (let e = 0; e < extras.length; e++) (grads[nLs + e] as Float64Array)[at] = this.extraGrad((extras[e] as { name: string }).name, r2, k);
        }
      }
    }
    return grads;
  }

  override computeDiagGradient(a: Points): Float64Array[] {
    // k(x, x) = f(0) = 1 for every stationary kernel here: no parameter changes the diagonal
    return Array.from({ length: this.nTheta }, () => new Float64Array(a.n));
  }

  computeGradient(a: Points): { K: Float64Array; grads: Float64Array[] } {
    const { n, d } = a;
    const xa = this.scaled(a);
    const ls = this.params[0];
    const ard = ls.value.length > 1;
    const lsFree = ls.bounds !== 'fixed';
    const nLs = lsFree ? (ard ? d : 1) : 0;
    const extras = this.params.slice(1).filter((h) => h.bounds !== 'fixed');
    const K = new Float64Array(n * n);
    const grads: Float64Array[] = [];
    for (let q = 0; q < nLs + extras.length; q++) grads.push(new Float64Array(n * n));
    const diff2 = new Float64Array(d);
    for (let i = 0; i < n; i++) {
      for (let j = i; j < n; j++) {
        let r2 = 0;
        for (let t = 0; t < d; t++) {
          const u = xa[i * d + t] - xa[j * d + t];
          diff2[t] = u * u;
          r2 += u * u;
        }
        const k = this.f(r2);
        K[i * n + j] = k;
        if (nLs > 0) {
          const g = r2 > 0 ? this.g(r2) : 0;
          if (ard) for (let t = 0; t < d; t++) grads[t][i * n + j] = g * diff2[t];
          else grads[0][i * n + j] = g * r2;
        }
        for (let e = 0; e < extras.length; e++) grads[nLs + e][i * n + j] = this.extraGrad(extras[e].name, r2, k);
      }
    }
    mirrorUpper(K, n);
    for (const G of grads) mirrorUpper(G, n);
    return { K, grads };
  }
}
