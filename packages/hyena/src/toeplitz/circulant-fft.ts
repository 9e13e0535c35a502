/**
 * The diagonalisation of circulant matrices by the DFT (notes: FFT Conv):
 * $$S = W^{-1} D_H W,\qquad D_H = \operatorname{diag}(\mathrm{FFT}(c)),$$
 * with $W_{jk} = e^{-2\pi i jk/n}$ the DFT matrix, and the causal FFT convolution $y = \mathrm{iFFT}(D_H\,\mathrm{FFT}(u))$
 * after zero-padding to at least 2L.
 */
import { type Complex, DomainError, dftMatrix, describeValue, fft, irfft, nextPowerOfTwo, readVector, rfft, ShapeError } from '@notes/core-linalg';
import { Matrix } from 'ml-matrix';
import { assertNoOverflow } from '../ssm/ssm.js';
import { type DenseMatrixOptions, denseBudget } from './toeplitz.js';

/** Eigenvalues of the circulant matrix with first column c: $\lambda_k = \sum_j c_j e^{-2\pi i jk/n}$ = FFT(c). */
export function circulantEigenvalues(c: ArrayLike<number>): Complex {
  const cc = readVector('circulantEigenvalues', 'c', c);
  const out = fft(cc);
  assertNoOverflow('circulantEigenvalues', out.re);
  assertNoOverflow('circulantEigenvalues', out.im);
  return out;
}

/**
 * Dense $W^{-1}\operatorname{diag}(\lambda)W$ (complex arithmetic, O(n³)); for real-symmetric spectra
 * (those of real circulants) the imaginary part vanishes and `imagMax` reports how close it is to 0.
 * For checking the diagonalisation on small n.
 * @throws DomainError unless `lambda` is `{ re, im }` of equal lengths; ShapeError/NonFiniteError for bad
 *   parts; ResourceError when the three n×n matrices exceed `maxMemoryBytes`.
 */
export function circulantFromEigenvalues(lambda: Complex, options?: DenseMatrixOptions): { matrix: Matrix; imagMax: number } {
  const where = 'circulantFromEigenvalues';
  if (typeof lambda !== 'object' || lambda === null || Array.isArray(lambda)) {
    throw new DomainError(`${where}: argument 'lambda' must be { re, im }, got ${describeValue(lambda)}`);
  }
  const lre = readVector(where, 'lambda.re', lambda.re);
  const lim = readVector(where, 'lambda.im', lambda.im);
  if (lre.length !== lim.length) throw new ShapeError(`${where}: 'lambda.re' and 'lambda.im' must have equal lengths, got ${lre.length} and ${lim.length}`);
  const n = lre.length;
  denseBudget(where, `the DFT matrices and result (3 × ${n}×${n})`, 24 * n * n, options);
  lambda = { re: lre, im: lim };
  const { re: Wr, im: Wi } = dftMatrix(n);
  // W^{-1} = conj(W)/n. Entry (i, j) of W^{-1} D W: (1/n) Σ_k conj(W_ik) λ_k W_kj.
  const out = Matrix.zeros(n, n);
  let imagMax = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let sr = 0;
      let si = 0;
      for (let k = 0; k < n; k++) {
        const ar = Wr.get(i, k);
        const ai = -Wi.get(i, k);
        const lr = lambda.re[k] as number;
        const li = lambda.im[k] as number;
        const pr = ar * lr - ai * li;
        const pi = ar * li + ai * lr;
        const br = Wr.get(k, j);
        const bi = Wi.get(k, j);
        sr += pr * br - pi * bi;
        si += pr * bi + pi * br;
      }
      out.set(i, j, sr / n);
      imagMax = Math.max(imagMax, Math.abs(si / n));
    }
  }
  assertNoOverflow(where, out.to1DArray());
  if (!Number.isFinite(imagMax)) throw new DomainError(`${where}: the result overflowed; scale lambda down`);
  return { matrix: out, imagMax };
}

/**
 * Causal convolution $y_t = \sum_{n=0}^{t} h_{t-n} u_n$, $t < L = $ `u.length`, in O(L log L): real FFTs of
 * u and h zero-padded to the next power of two ≥ 2L, a pointwise product, an inverse FFT, the first L
 * outputs. Filter taps beyond L cannot reach any output and are ignored.
 * @throws ShapeError if `u` or `h` is empty or not a vector; NonFiniteError on NaN/±Infinity; DomainError
 *   if the result overflows.
 */
export function causalFftConv(u: ArrayLike<number>, h: ArrayLike<number>): Float64Array {
  u = readVector('causalFftConv', 'u', u);
  h = readVector('causalFftConv', 'h', h);
  const L = u.length;
  const n = nextPowerOfTwo(2 * L);
  const up = new Float64Array(n);
  up.set(Array.from(u));
  const hp = new Float64Array(n);
  for (let t = 0; t < Math.min(L, h.length); t++) hp[t] = h[t] as number;
  const U = rfft(up);
  const H = rfft(hp);
  const re = new Float64Array(U.re.length);
  const im = new Float64Array(U.re.length);
  for (let k = 0; k < re.length; k++) {
    const ur = U.re[k] as number;
    const ui = U.im[k] as number;
    const hr = H.re[k] as number;
    const hi = H.im[k] as number;
    re[k] = ur * hr - ui * hi;
    im[k] = ur * hi + ui * hr;
  }
  return assertNoOverflow('causalFftConv', irfft(re, im, n).slice(0, L));
}

/**
 * The same causal convolution as a dense product $S_h u$ (O(L²) time, O(L) memory); the baseline
 * {@link causalFftConv} is checked against.
 * @throws as {@link causalFftConv}.
 */
export function causalDirectConv(u: ArrayLike<number>, h: ArrayLike<number>): Float64Array {
  u = readVector('causalDirectConv', 'u', u);
  h = readVector('causalDirectConv', 'h', h);
  const L = u.length;
  const y = new Float64Array(L);
  for (let t = 0; t < L; t++) {
    let s = 0;
    for (let k = Math.max(0, t - h.length + 1); k <= t; k++) s += (h[t - k] as number) * (u[k] as number);
    y[t] = s;
  }
  return assertNoOverflow('causalDirectConv', y);
}
