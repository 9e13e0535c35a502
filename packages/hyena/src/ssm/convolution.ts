/**
 * The convolutional view of a discrete SSM: $y = h * u$ with the kernel $h_t = C\bar A^t\bar B + D\delta_t$,
 * computed by core's FFT convolution (O(L log L) once the kernel is known).
 */
import { assertFinite, assertNonEmpty, convolve } from '@notes/core-linalg';
import { type DiscreteSSM, ssmKernel } from './ssm.js';

/** $y_t = \sum_{n \le t} h_{t-n} u_n$ for $t < L$; equals {@link ssmScan} up to rounding. */
export function ssmConvolve(ssm: DiscreteSSM, u: ArrayLike<number>): Float64Array {
  assertNonEmpty('ssmConvolve', 'u', u);
  assertFinite('ssmConvolve', 'u', u);
  const h = ssmKernel(ssm, u.length);
  return convolve(u, h, { method: 'fft' }).slice(0, u.length);
}
