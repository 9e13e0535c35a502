/**
 * Memory of a sequence operator (notes: 记忆力; Poli et al. 2023): how far back the output at step t
 * depends on the input, measured by $\left|\partial y(t) / \partial u(t-n)\right|$, $n = 0, \dots, t$.
 * For an SSM the notes derive $\partial y(t)/\partial u(t-n) = C\bar A^n \bar B$ (plus D at n = 0).
 */
import { assertInteger, DomainError, defineOptions, describeValue, grad, ops, ShapeError, Tensor } from '@notes/core-linalg';
import type { DiscreteSSM } from '../ssm/index.js';
import { kernelOf } from '../ssm/ssm.js';
import { readSSMRecord, readTensor } from '../validate.js';

/** Options of {@link memoryProfile}. */
export interface MemoryProfileOptions {
  /** Output channel whose dependence is measured, for [L, D] outputs. @defaultValue 0 */
  outputChannel?: number;
}

const OPTIONS = defineOptions<MemoryProfileOptions>()('memoryProfile', {
  outputChannel: { type: 'integer', min: 0, default: 0, doc: 'output channel whose dependence is measured' },
});

/**
 * $m_n = \sum_d \left|\partial y_{t,c} / \partial u_{t-n,d}\right|$ for $n = 0..t$, by reverse-mode autodiff
 * of `op` at the given input (exact for linear operators; a local profile for non-linear ones).
 * `op` maps a [L] or [L, D] tensor to a tensor with the same leading axis L.
 * @throws DomainError if `op` is not a function, `t` is outside [0, L), `outputChannel` is out of range, or
 *   the gradient is not finite; ShapeError if `input` is not a Tensor or `op` changes the sequence length;
 *   NonFiniteError for NaN/±Infinity in `input`.
 */
export function memoryProfile(
  op: (u: Tensor) => Tensor,
  input: Tensor,
  t: number,
  options: MemoryProfileOptions = {},
): Float64Array {
  const where = 'memoryProfile';
  if (typeof op !== 'function') throw new DomainError(`${where}: argument 'op' must be a function, got ${describeValue(op)}`);
  readTensor(where, 'input', input);
  const o = OPTIONS.parse(options);
  if (input.rank < 1) throw new ShapeError(`${where}: argument 'input' must be [L] or [L, D], got a scalar`);
  const L = input.shape[0] as number;
  assertInteger(where, 't', t, 0, L - 1);
  const channel = o.outputChannel;
  const pick = (u: Tensor): Tensor => {
    const y = op(u);
    if (y.shape[0] !== L) {
      throw new ShapeError(`${where}: 'op' must keep the sequence length ${L}, got output shape [${y.shape.join(',')}]`);
    }
    if (y.rank > 1 && channel >= (y.shape[1] as number)) {
      throw new DomainError(`${where}: option 'outputChannel' must be < ${y.shape[1]} (output channels), got ${channel}`);
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
    if (!Number.isFinite(s)) throw new DomainError(`${where}: the gradient at lag ${n} is not finite (${s}); the operator overflowed at this input`);
    out[n] = s;
  }
  return out;
}

/**
 * A discrete SSM as a differentiable operator on [L] tensors: the causal FFT convolution of u with the
 * kernel $h_t = C\bar A^t\bar B + D\delta_t$ (core's `ops.fftConv1d`). The SSM is validated and copied here.
 * @throws DomainError/ShapeError/NonFiniteError for an invalid discrete SSM.
 */
export function ssmOperator(ssm: DiscreteSSM): (u: Tensor) => Tensor {
  const s = readSSMRecord('ssmOperator', 'ssm', ssm, 'discrete');
  return (u) => {
    readTensor('ssmOperator', 'u', u, 1);
    return ops.fftConv1d(u, Tensor.fromArray(kernelOf(s, u.shape[0] as number, 'ssmOperator')));
  };
}
