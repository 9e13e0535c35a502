/** The overflow guard shared by the Hyena layers: finite inputs can still overflow inside a layer. */
import { DomainError, NonFiniteError, ops, type Tensor } from '@notes/core-linalg';

function overflow(where: string, name: string, detail: string): DomainError {
  return new DomainError(`${where}: argument '${name}' is too large: the result overflowed (${detail}); scale the input down`);
}

/**
 * Throws a `DomainError` naming argument `name` of `where` if `result` (computed from finite input) holds
 * NaN/±Infinity, so an overflow never leaks out silently.
 * @internal
 */
export function assertNoOverflow(where: string, name: string, result: Float64Array): void {
  for (let i = 0; i < result.length; i++) {
    const v = result[i] as number;
    if (v - v !== 0) throw overflow(where, name, `${v} at [${i}]`);
  }
}

/**
 * `ops.fftConv1d(z, h)` on finite operands; an overflow (which core's FFT reports as a non-finite argument
 * of its own) becomes the `DomainError` of {@link assertNoOverflow}.
 * @internal
 */
export function fftConvNoOverflow(where: string, name: string, z: Tensor, h: Tensor): Tensor {
  let y: Tensor;
  try {
    y = ops.fftConv1d(z, h);
  } catch (e) {
    if (e instanceof NonFiniteError) throw overflow(where, name, e.message);
    throw e;
  }
  assertNoOverflow(where, name, y.data);
  return y;
}
