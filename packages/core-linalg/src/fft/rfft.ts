import { assertInteger, readVector } from '../errors/index.js';
import { checkVector } from '../errors/inputs.js';
import type { Complex } from './fft.js';
import { irfftInto, rfftInto } from './real.js';

/**
 * FFT of a real signal: the $\lfloor n/2\rfloor + 1$ non-redundant bins $X_0,\dots,X_{\lfloor n/2\rfloor}$
 * (the rest follow from $X_{n-k} = \overline{X_k}$). About twice as fast as {@link fft} on the same
 * data: fft.js's real transform for powers of two, otherwise one complex FFT of size n/2.
 * @param x - the real signal (not modified).
 * @throws ShapeError if empty; NonFiniteError for NaN/±Infinity.
 * @example rfft([1, 2, 3, 4]) // re [10, -2, -2], im [0, 2, 0]
 */
export function rfft(x: ArrayLike<number>): Complex {
  checkVector('rfft', 'x', x);
  const n = x.length;
  const bins = (n >> 1) + 1;
  const spec = new Float64Array(2 * bins);
  rfftInto(x, n, spec);
  const re = new Float64Array(bins);
  const im = new Float64Array(bins);
  for (let k = 0; k < bins; k++) {
    re[k] = spec[2 * k] as number;
    im[k] = spec[2 * k + 1] as number;
  }
  return { re, im };
}

/**
 * Inverse of {@link rfft}: the real signal of length `n` whose spectrum has bins `re + i·im`
 * (k = 0…⌊n/2⌋), $x_j = \frac1n\sum_{k=0}^{n-1} X_k e^{2\pi i jk/n}$ with $X_{n-k} = \overline{X_k}$.
 * The imaginary parts of bin 0 and (n even) bin n/2 are ignored, as in NumPy's `irfft`.
 * @throws DomainError unless `n` is an integer ≥ 1; ShapeError unless both arrays have ⌊n/2⌋+1
 * entries; NonFiniteError for NaN/±Infinity.
 */
export function irfft(reIn: ArrayLike<number>, imIn: ArrayLike<number>, n: number): Float64Array {
  assertInteger('irfft', 'n', n, 1, 2 ** 31 - 1);
  const bins = (n >> 1) + 1;
  const re = readVector('irfft', 're', reIn, { length: bins });
  const im = readVector('irfft', 'im', imIn, { length: bins });
  const spec = new Float64Array(2 * bins);
  for (let k = 0; k < bins; k++) {
    spec[2 * k] = re[k] as number;
    spec[2 * k + 1] = im[k] as number;
  }
  const out = new Float64Array(n);
  irfftInto(spec, n, out);
  return out;
}
