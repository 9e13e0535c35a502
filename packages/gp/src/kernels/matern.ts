/**
 * Matérn kernels for ν ∈ {1/2, 3/2, 5/2}, with $r$ the (ARD-)scaled distance:
 * $$k_{1/2} = e^{-r},\quad k_{3/2} = (1+\sqrt3 r)e^{-\sqrt3 r},\quad k_{5/2} = (1+\sqrt5 r+\tfrac53 r^2)e^{-\sqrt5 r}$$
 * Rasmussen & Williams (2006), eqs. 4.14–4.17; scikit-learn `Matern`.
 * Log-length-scale gradients: $-2\,\mathrm dk/\mathrm d(r^2)$ is $e^{-r}/r$, $3e^{-\sqrt3 r}$,
 * $\tfrac53(1+\sqrt5 r)e^{-\sqrt5 r}$ (the ν = 1/2 derivative is set to 0 at r = 0, where only coincident points occur).
 */
import { defineOptions } from '@notes/core-linalg';
import { BOUNDS_RULE, type Bounds, type Hyperparameter, POSITIVE_VALUE_RULE, fmt, makeParam } from './kernel.js';
import { StationaryKernel } from './stationary.js';

/** Smoothness values with closed forms. */
export type MaternNu = 0.5 | 1.5 | 2.5;

/** Options of {@link matern}. */
export interface MaternOptions {
  /** Smoothness ν. @defaultValue 1.5 */
  nu?: MaternNu;
  /** Length scale(s). @defaultValue 1 */
  lengthScale?: number | ArrayLike<number>;
  /** Bounds of ℓ or `'fixed'`. @defaultValue [1e-5, 1e5] */
  lengthScaleBounds?: Bounds;
}

const OPTIONS = defineOptions<MaternOptions>()('matern', {
  nu: { type: 'enum', values: [0.5, 1.5, 2.5], default: 1.5, doc: 'smoothness ν' },
  lengthScale: { ...POSITIVE_VALUE_RULE, default: 1, doc: 'length scale ℓ, or one per dimension (ARD)' },
  lengthScaleBounds: { ...BOUNDS_RULE, doc: "bounds of ℓ or 'fixed'" },
});

const SQ3 = Math.sqrt(3);
const SQ5 = Math.sqrt(5);
const F: Record<MaternNu, (r: number) => number> = {
  0.5: (r) => Math.exp(-r),
  1.5: (r) => (1 + SQ3 * r) * Math.exp(-SQ3 * r),
  2.5: (r) => (1 + SQ5 * r + (5 / 3) * r * r) * Math.exp(-SQ5 * r),
};
const G: Record<MaternNu, (r: number) => number> = {
  0.5: (r) => Math.exp(-r) / r,
  1.5: (r) => 3 * Math.exp(-SQ3 * r),
  2.5: (r) => (5 / 3) * (1 + SQ5 * r) * Math.exp(-SQ5 * r),
};

/** Matérn kernel object; build with {@link matern}. */
export class MaternKernel extends StationaryKernel {
  readonly kind = 'matern';
  readonly nu: MaternNu;
  constructor(params: readonly Hyperparameter[], nu: MaternNu) {
    super(params);
    this.nu = nu;
  }
  protected f(r2: number): number {
    return F[this.nu](Math.sqrt(r2));
  }
  protected g(r2: number): number {
    return G[this.nu](Math.sqrt(r2));
  }
  protected rebuild(params: Hyperparameter[]): MaternKernel {
    return new MaternKernel(params, this.nu);
  }
  override toJSON() {
    const j = super.toJSON() as { kind: string; params: Record<string, { value: number[]; bounds: [number, number] | 'fixed' }> };
    j.params.nu = { value: [this.nu], bounds: 'fixed' };
    return j;
  }
  toString(): string {
    return `Matern(lengthScale=${Array.from(this.params[0].value, fmt).join(',')}, nu=${this.nu})`;
  }
}

/**
 * Creates a Matérn kernel.
 * @throws DomainError if ν is not 0.5, 1.5 or 2.5, or ℓ ≤ 0.
 */
export function matern(options: MaternOptions = {}): MaternKernel {
  const o = OPTIONS.parse(options);
  return new MaternKernel([makeParam('matern', 'lengthScale', o.lengthScale, o.lengthScaleBounds, 'length')], o.nu as MaternNu);
}
