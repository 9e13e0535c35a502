/**
 * Wishart helpers shared by the Wishart / Normal–Wishart conjugate models, the DPMM and the VB-GMM.
 * Parameterisation: Λ ~ W(ν, W) with E[Λ] = νW,
 * $$\log W(\Lambda\mid\nu,W) = \tfrac{\nu-d-1}2\log|\Lambda| - \tfrac12\mathrm{tr}(W^{-1}\Lambda) - \tfrac{\nu d}2\log2
 *   + \tfrac\nu2\log|W^{-1}| - \log\Gamma_d(\nu/2).$$
 * @internal
 */
import { DomainError, multigammaln } from '@notes/core-linalg';
import { Matrix } from 'ml-matrix';
import { cholLower, inverseFromChol, logDetChol, traceProduct } from './dense.js';
import { type MatrixInput, readSymmetric } from './input.js';

const LOG_2PI = Math.log(2 * Math.PI);

/** log W(Λ | ν, W) given W⁻¹ and log|W⁻¹|; −∞ if Λ is not PD. */
export function logWishart(lam: ArrayLike<number>, d: number, df: number, scaleInv: ArrayLike<number>, logDetScaleInv: number): number {
  const l = cholLower(lam, d);
  if (!l) return Number.NEGATIVE_INFINITY;
  return (
    ((df - d - 1) / 2) * logDetChol(l, d) -
    0.5 * traceProduct(scaleInv, lam, d) -
    ((df * d) / 2) * Math.LN2 +
    (df / 2) * logDetScaleInv -
    multigammaln(df / 2, d)
  );
}

/** Σ_i log N(x_i | μ, Λ⁻¹) for row-major data. −∞ if Λ is not PD. */
export function logNormalPrecision(
  data: ArrayLike<number>,
  n: number,
  d: number,
  mu: ArrayLike<number>,
  lam: ArrayLike<number>,
): number {
  const l = cholLower(lam, d);
  if (!l) return Number.NEGATIVE_INFINITY;
  let q = 0;
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < d; a++) {
      const ra = (data[i * d + a] as number) - (mu[a] as number);
      for (let b = 0; b < d; b++) q += ra * (lam[a * d + b] as number) * ((data[i * d + b] as number) - (mu[b] as number));
    }
  }
  return -0.5 * n * d * LOG_2PI + 0.5 * n * logDetChol(l, d) - 0.5 * q;
}

/** Reads a Wishart scale argument: symmetric PD d×d; returns it and its inverse and log-determinant of the inverse. */
export function readScale(
  where: string,
  name: string,
  scale: MatrixInput,
  d?: number,
): { d: number; scale: Float64Array; scaleInv: Float64Array; logDetScaleInv: number } {
  const r = readSymmetric(where, name, scale, d);
  const l = cholLower(r.data, r.columns);
  if (!l) throw new DomainError(`${where}: argument '${name}' must be symmetric positive definite`);
  const inv = invertPD(r.data, r.columns, where, name);
  return { d: r.columns, scale: r.data, scaleInv: inv, logDetScaleInv: -logDetChol(l, r.columns) };
}

/** Inverse of a PD matrix (symmetrised); throws DomainError naming `name` if it is not PD. */
export function invertPD(a: ArrayLike<number>, d: number, where: string, name: string): Float64Array {
  const l = cholLower(a, d);
  if (!l) throw new DomainError(`${where}: ${name} is not positive definite`);
  const out = inverseFromChol(l, d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < i; j++) {
      const v = 0.5 * ((out[i * d + j] as number) + (out[j * d + i] as number));
      out[i * d + j] = v;
      out[j * d + i] = v;
    }
  }
  return out;
}

/** Row-major array → ml-matrix. */
export function toMatrixRM(a: ArrayLike<number>, d: number): Matrix {
  const m = new Matrix(d, d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) m.set(i, j, a[i * d + j] as number);
  return m;
}

/** ml-matrix / rows → nested number arrays (for JSON). */
export function toNested(a: ArrayLike<number>, d: number): number[][] {
  return Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => a[i * d + j] as number));
}
