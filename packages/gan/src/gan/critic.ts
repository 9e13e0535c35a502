/**
 * Networks of the GAN: the generator and the critic are core `MLP`s; the critic's forward pass can
 * divide each weight by its spectral norm estimate σ̂ (SN-GAN, Miyato et al. 2018) kept by this
 * package's persistent power iteration ({@link spectralNormalize}).
 * @internal
 */
import { type Activation, type MLP, noGrad, ops, Tensor } from '@notes/core-linalg';
import { type SpectralNormState, spectralNormalize } from '../lipschitz/index.js';

const ACT: Record<Activation, (x: Tensor) => Tensor> = {
  relu: ops.relu,
  tanh: ops.tanh,
  sigmoid: ops.sigmoid,
  softplus: ops.softplus,
  identity: (x) => x,
};

/** A layer's weight [in, out] as rows (for the power iteration). */
function weightRows(w: Tensor): Float64Array[] {
  const [rows, cols] = w.shape as [number, number];
  return Array.from({ length: rows }, (_, i) => w.data.slice(i * cols, i * cols + cols));
}

/**
 * One step of the persistent power iteration per layer (SN-GAN Alg. 1), returning the new states: u is
 * the left singular-vector estimate of W [in, out] (length in).
 */
export function powerStep(critic: MLP, states: readonly SpectralNormState[], iterations: number): SpectralNormState[] {
  return critic.layers.map((layer, l) => spectralNormalize(weightRows(layer.weight) as unknown as number[][], states[l]!, { iterations }).state);
}

/**
 * The critic's raw output t(x) [n, 1] for inputs x [n, d]: the MLP with hidden `activation` and an
 * identity output; with `states`, each weight W is replaced by W/σ̂, σ̂ = ‖uᵀW‖₂ = uᵀWv for the
 * persistent u and v = Wᵀu/‖Wᵀu‖ (u, v held constant, gradients flow through W as in SN-GAN).
 */
export function criticForward(critic: MLP, activation: Activation, x: Tensor, states: readonly SpectralNormState[] | null): Tensor {
  let h = x;
  const L = critic.layers.length;
  critic.layers.forEach((layer, l) => {
    let w = layer.weight;
    if (states) {
      const u = Tensor.fromArray(states[l]!.u, [1, w.shape[0]!]);
      const sigma = ops.sqrt(ops.sum(ops.square(ops.matmul(u, w))));
      w = ops.div(w, sigma);
    }
    h = ops.matmul(h, w);
    if (layer.bias) h = ops.add(h, layer.bias);
    if (l + 1 < L) h = ACT[activation](h);
  });
  return h;
}

/**
 * act'(a) as a tensor on the tape (so that the penalty's gradient flows through it): for ReLU the
 * 0/1 mask is a constant — its derivative is 0 almost everywhere, so this is exact (a.e.).
 */
function activationDerivative(activation: Activation, a: Tensor): Tensor {
  switch (activation) {
    case 'relu': {
      const m = new Float64Array(a.size);
      for (let i = 0; i < m.length; i++) m[i] = a.data[i]! > 0 ? 1 : 0;
      return new Tensor(m, a.shape);
    }
    case 'tanh':
      return ops.sub(1, ops.square(ops.tanh(a)));
    case 'sigmoid': {
      const s = ops.sigmoid(a);
      return ops.mul(s, ops.sub(1, s));
    }
    case 'softplus':
      return ops.sigmoid(a);
    default:
      return Tensor.fromArray(new Float64Array(a.size).fill(1), a.shape);
  }
}

/**
 * The critic's output t(x) [n, 1] and its input gradient ∇ₓt(x) [n, d] in closed form: the backward
 * pass of the MLP written with forward ops, g_L = w_L, g_{l−1} = (g_l ⊙ act'(a_{l−1}))·W_lᵀ, so that
 * a penalty on ∇ₓt (R1, WGAN-GP) is itself differentiable by core's first-order autodiff with respect
 * to the critic's weights (a "double backward" without second-order support in the engine). The same
 * spectral normalisation as {@link criticForward} is applied to the weights.
 */
export function criticForwardWithInputGradient(
  critic: MLP,
  activation: Activation,
  x: Tensor,
  states: readonly SpectralNormState[] | null,
): { t: Tensor; grad: Tensor } {
  let h = x;
  const L = critic.layers.length;
  const weights: Tensor[] = [];
  const pre: Tensor[] = [];
  critic.layers.forEach((layer, l) => {
    let w = layer.weight;
    if (states) {
      const u = Tensor.fromArray(states[l]!.u, [1, w.shape[0]!]);
      w = ops.div(w, ops.sqrt(ops.sum(ops.square(ops.matmul(u, w)))));
    }
    weights.push(w);
    h = ops.matmul(h, w);
    if (layer.bias) h = ops.add(h, layer.bias);
    if (l + 1 < L) {
      pre.push(h);
      h = ACT[activation](h);
    }
  });
  const n = x.shape[0]!;
  // ∂t/∂h_{L−1} = w_Lᵀ for every row: a [n, 1] column of ones times the [1, in_L] row w_Lᵀ
  let g = ops.matmul(Tensor.fromArray(new Float64Array(n).fill(1), [n, 1]), ops.transpose(weights[L - 1]!));
  for (let l = L - 2; l >= 0; l--) {
    g = ops.matmul(ops.mul(g, activationDerivative(activation, pre[l]!)), ops.transpose(weights[l]!));
  }
  return { t: h, grad: g };
}

/** The generator's output G(z) [n, d] for latent codes z [n, k], off the tape. */
export function generate(generator: MLP, z: Tensor): Tensor {
  return noGrad(() => generator.forward(z));
}

/** n×k standard normal latent codes from rng. */
export function latent(rng: { normal(): number }, n: number, k: number): Tensor {
  const d = new Float64Array(n * k);
  for (let i = 0; i < d.length; i++) d[i] = rng.normal();
  return new Tensor(d, [n, k]);
}
