/**
 * Memory of a sequence operator (notes: 记忆力; Poli et al. 2023): how far back the output at step t
 * depends on the input, measured by $\left|\partial y(t) / \partial u(t-n)\right|$, $n = 0, \dots, t$.
 * For an SSM the notes derive $\partial y(t)/\partial u(t-n) = C\bar A^n \bar B$ (plus D at n = 0).
 */
import { assertFinite, assertInteger, grad, ops, ShapeError, Tensor } from '@notes/core-linalg';
import { type DiscreteSSM, ssmKernel } from '../ssm/index.js';

/** Options of {@link memoryProfile}. */
export interface MemoryProfileOptions {
  /** Output channel whose dependence is measured, for [L, D] outputs. @defaultValue 0 */
  outputChannel?: number;
}

/**
 * $m_n = \sum_d \left|\partial y_{t,c} / \partial u_{t-n,d}\right|$ for $n = 0..t$, by reverse-mode autodiff
 * of `op` at the given input (exact for linear operators; a local profile for non-linear ones).
 * `op` maps a [L] or [L, D] tensor to a tensor with the same leading axis L.
 * @throws DomainError if `t` is outside [0, L); ShapeError if `op` changes the sequence length.
 */
export function memoryProfile(
  op: (u: Tensor) => Tensor,
  input: Tensor,
  t: number,
  options: MemoryProfileOptions = {},
): Float64Array {
  const where = 'memoryProfile';
  const L = input.shape[0] ?? 0;
  assertInteger(where, 't', t, 0, L - 1);
  assertFinite(where, 'input', input.data);
  const channel = options.outputChannel ?? 0;
  const pick = (u: Tensor): Tensor => {
    const y = op(u);
    if (y.shape[0] !== L) {
      throw new ShapeError(`${where}: 'op' must keep the sequence length ${L}, got output shape [${y.shape.join(',')}]`);
    }
    const row = ops.slice(y, 0, t, t + 1);
    return ops.sum(y.rank === 1 ? row : ops.slice(row, 1, channel, channel + 1));
  };
  const [g] = grad(pick)(input);
  const width = input.size / L;
  const out = new Float64Array(t + 1);
  for (let n = 0; n <= t; n++) {
    let s = 0;
    for (let d = 0; d < width; d++) s += Math.abs(g!.data[(t - n) * width + d] as number);
    out[n] = s;
  }
  return out;
}

/**
 * A discrete SSM as a differentiable operator on [L] tensors: the causal FFT convolution of u with the
 * kernel $h_t = C\bar A^t\bar B + D\delta_t$ (core's `ops.fftConv1d`).
 */
export function ssmOperator(ssm: DiscreteSSM): (u: Tensor) => Tensor {
  return (u) => ops.fftConv1d(u, Tensor.fromArray(ssmKernel(ssm, u.shape[0] ?? 1)));
}
