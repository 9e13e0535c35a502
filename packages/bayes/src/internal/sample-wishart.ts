/**
 * Row-major Wishart and Gaussian draws for the samplers' hot loops (Bartlett decomposition), built on
 * core's `sampleGamma` / `sampleNormal`. Kept here because the Gibbs sampler needs allocation-light
 * draws on `Float64Array`s.
 * @internal
 */
import { type Rng, sampleGamma, sampleNormal } from '@notes/core-linalg';

/**
 * Λ ~ W(ν, W) given the lower Cholesky factor L of W: Λ = (LA)(LA)ᵀ with A lower triangular,
 * $A_{ii}=\sqrt{\chi^2_{\nu-i}}$, $A_{ij}\sim\mathcal N(0,1)$ (i > j) (Bartlett 1933; Smith & Hocking 1972).
 */
export function sampleWishartChol(rng: Rng, df: number, scaleChol: ArrayLike<number>, d: number): Float64Array {
  const a = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    a[i * d + i] = Math.sqrt(sampleGamma(rng, (df - i) / 2, 0.5));
    for (let j = 0; j < i; j++) a[i * d + j] = sampleNormal(rng);
  }
  // B = L A (lower)
  const b = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = j; k <= i; k++) s += (scaleChol[i * d + k] as number) * (a[k * d + j] as number);
      b[i * d + j] = s;
    }
  }
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = 0; k <= j; k++) s += (b[i * d + k] as number) * (b[j * d + k] as number);
      out[i * d + j] = s;
      out[j * d + i] = s;
    }
  }
  return out;
}
