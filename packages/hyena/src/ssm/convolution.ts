/**
 * The convolutional view of a discrete SSM: $y = h * u$ with the kernel $h_t = C\bar A^t\bar B + D\delta_t$,
 * computed by core's FFT convolution (O(L log L) once the kernel is known).
 */
import { convolve, readVector } from '@notes/core-linalg';
import { readSSMRecord } from '../validate.js';
import { assertNoOverflow, type DiscreteSSM, kernelOf } from './ssm.js';

/**
 * $y_t = \sum_{n \le t} h_{t-n} u_n$ for $t < L$; equals {@link ssmScan} up to rounding.
 * @throws as {@link ssmScan}.
 */
export function ssmConvolve(ssm: DiscreteSSM, u: ArrayLike<number>): Float64Array {
  const s = readSSMRecord('ssmConvolve', 'ssm', ssm, 'discrete');
  const uu = readVector('ssmConvolve', 'u', u);
  const h = kernelOf(s, uu.length, 'ssmConvolve');
  return assertNoOverflow('ssmConvolve', convolve(uu, h, { method: 'fft' }).slice(0, uu.length));
}
