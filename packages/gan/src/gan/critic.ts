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

/**
 * Fixed random Fourier features of the critic's input (Rahimi & Recht 2007; Tancik et al. 2020):
 * φ(x) = [x, sin(xB), cos(xB)] (x itself kept: periodic features alone cannot tell a far-away point
 * from one on the data, and a generator escapes there) with a constant frequency matrix B [in, m] (2π times the frequencies in
 * cycles per unit). An MLP on raw low-dimensional inputs learns high frequencies slowly (spectral bias),
 * so a plain critic cannot resolve modes of width σ ≪ their spacing within a short budget; on φ(x) it can.
 */
export interface CriticFeatures {
  /** B [in, m], 2π × frequencies. */
  readonly frequencies: Tensor;
}

/** φ(x) = [x, sin(xB), cos(xB)] [n, in + 2m] for a constant x, and the constants cos(xB), −sin(xB) [n, 2m] of its Jacobian. */
function fourier(x: Tensor, f: CriticFeatures): { phi: Tensor; dphi: Tensor } {
  const a = noGrad(() => ops.matmul(x, f.frequencies)).data;
  const [n] = x.shape as [number];
  const m = f.frequencies.shape[1]!;
  const din = x.shape[1]!;
  const w = din + 2 * m;
  const phi = new Float64Array(n * w);
  const dphi = new Float64Array(n * 2 * m);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < din; j++) phi[i * w + j] = x.data[i * din + j]!;
    for (let k = 0; k < m; k++) {
      const v = a[i * m + k]!;
      const s = Math.sin(v);
      const c = Math.cos(v);
      phi[i * w + din + k] = s;
      phi[i * w + din + m + k] = c;
      dphi[i * 2 * m + k] = c;
      dphi[i * 2 * m + m + k] = -s;
    }
  }
  return { phi: new Tensor(phi, [n, w]), dphi: new Tensor(dphi, [n, 2 * m]) };
}

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
export function criticForward(
  critic: MLP,
  activation: Activation,
  x: Tensor,
  states: readonly SpectralNormState[] | null,
  features: CriticFeatures | null = null,
): Tensor {
  let h = x;
  if (features) {
    // differentiable in x: the generator's gradient flows through φ
    const a = ops.matmul(x, features.frequencies);
    h = ops.concat([x, ops.sin(a), ops.cos(a)], 1);
  }
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
 * spectral normalisation as {@link criticForward} is applied to the weights. With Fourier `features`
 * the chain rule gives ∇ₓt = ∇_x-part + (∇_{sin,cos} t ⊙ [cos(xB), −sin(xB)])·[B, B]ᵀ, whose factors are constants of x.
 * The input x must be a constant (the penalties' points), not a tensor on the tape.
 */
export function criticForwardWithInputGradient(
  critic: MLP,
  activation: Activation,
  x: Tensor,
  states: readonly SpectralNormState[] | null,
  features: CriticFeatures | null = null,
): { t: Tensor; grad: Tensor } {
  const ff = features ? fourier(x, features) : null;
  let h = ff ? ff.phi : x;
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
  if (ff && features) {
    const B = features.frequencies;
    const din = B.shape[0]!;
    const m = B.shape[1]!;
    const direct = ops.slice(g, 1, 0, din);
    const viaFourier = ops.matmul(ops.mul(ops.slice(g, 1, din, din + 2 * m), ff.dphi), noGrad(() => ops.transpose(ops.concat([B, B], 1))));
    g = ops.add(direct, viaFourier);
  }
  return { t: h, grad: g };
}

/**
 * The generator's input for latent codes z [n, k] (constants): z itself, or with Fourier `features`
 * (frequencies B [k, m]) ψ(z) = [z, sin(zB), cos(zB)] [n, k + 2m]. The same spectral bias as the
 * critic's holds for the generator: a ReLU MLP of a 2-D Gaussian code bends slowly into a map that is
 * nearly constant on each of many small modes and steep between them; periodic features of z give it
 * many such pieces from the start (several regions of z may share a mode, which a generator may do).
 */
export function generatorInput(z: Tensor, features: CriticFeatures | null): Tensor {
  return features ? fourier(z, features).phi : z;
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
