import { checkVector } from '../errors/inputs.js';
import { forwardInterleaved, scratch } from './plan.js';

/** A complex vector as two real arrays. */
export interface Complex {
  re: Float64Array;
  im: Float64Array;
}

/**
 * @internal Validates a complex input as core's `readVector` would (non-empty, finite, 1-D numbers; `im`,
 * when given, of `re`'s length) without copying: the transforms only read their inputs.
 */
export function checkComplex(
  where: string,
  re: ArrayLike<number>,
  im: ArrayLike<number> | undefined,
): { re: ArrayLike<number>; im: ArrayLike<number> | undefined } {
  const n = checkVector(where, 're', re);
  if (im !== undefined) checkVector(where, 'im', im, { length: n });
  return { re, im };
}

function transform(re: ArrayLike<number>, im: ArrayLike<number> | undefined, inverse: boolean): Complex {
  const n = re.length;
  const data = scratch('fft.data', 2 * n);
  const s = inverse ? -1 : 1; // inverse via conjugation: ifft(x) = conj(fft(conj(x))) / n
  if (im === undefined) {
    for (let j = 0; j < n; j++) {
      data[2 * j] = re[j] as number;
      data[2 * j + 1] = 0;
    }
  } else {
    for (let j = 0; j < n; j++) {
      data[2 * j] = re[j] as number;
      data[2 * j + 1] = s * (im[j] as number);
    }
  }
  const out = scratch('fft.out', 2 * n);
  forwardInterleaved(n, data, out);
  const outRe = new Float64Array(n);
  const outIm = new Float64Array(n);
  const scale = inverse ? 1 / n : 1;
  const scaleIm = s * scale;
  for (let k = 0; k < n; k++) {
    outRe[k] = (out[2 * k] as number) * scale;
    outIm[k] = (out[2 * k + 1] as number) * scaleIm;
  }
  return { re: outRe, im: outIm };
}

/**
 * Discrete Fourier transform of any length (notes: Fourier Transform, 傅里叶变换):
 * $$X_k = \sum_{j=0}^{n-1} x_j e^{-2\pi i jk/n},\quad k = 0,\dots,n-1.$$
 * Powers of two run fft.js (radix-4) with a cached plan; other lengths run Bluestein's chirp-z on a
 * cached power-of-two plan, so every length costs O(n log n). Agrees with the naive {@link dft} to
 * ~1e-15·‖x‖₁ (tested for n = 1…64, primes and 2^16).
 * @param re - real parts (not modified). @param im - imaginary parts (default zeros).
 * @throws ShapeError for empty input or mismatched lengths; NonFiniteError for NaN/±Infinity.
 * @example fft([1, 0, 0, 0]).re // Float64Array [1, 1, 1, 1]
 */
export function fft(re: ArrayLike<number>, im?: ArrayLike<number>): Complex {
  const c = checkComplex('fft', re, im);
  return transform(c.re, c.im, false);
}

/**
 * Inverse DFT, scaled by $1/n$ so that `ifft(fft(x)) = x`:
 * $$x_j = \frac1n\sum_{k=0}^{n-1} X_k e^{2\pi i jk/n}.$$
 * @param re - real parts (not modified). @param im - imaginary parts (default zeros).
 * @throws ShapeError for empty input or mismatched lengths; NonFiniteError for NaN/±Infinity.
 */
export function ifft(re: ArrayLike<number>, im?: ArrayLike<number>): Complex {
  const c = checkComplex('ifft', re, im);
  return transform(c.re, c.im, true);
}
