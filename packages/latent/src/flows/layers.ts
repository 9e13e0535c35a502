/**
 * The layers of a RealNVP flow (Dinh, Sohl-Dickstein & Bengio 2017, "Density estimation using Real NVP")
 * as autodiff computations: affine coupling layers with binary masks and optional ActNorm layers
 * (Kingma & Dhariwal 2018, Glow). Internal to `flows/`; the public surface is {@link fitRealNVP} and
 * {@link FlowModel}.
 *
 * Direction: the flow maps data to the base space, $z = f_\theta(x)$, and
 * $\log p(x) = \log \mathcal N(f_\theta(x); 0, I) + \log\lvert\det \partial f_\theta/\partial x\rvert$
 * (notes: Normalizing Flows, change of variables).
 */
import { type Activation, MLP, noGrad, ops, type Rng, Tensor } from '@notes/core-linalg';

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** Configuration shared by every coupling layer of a flow. */
export interface FlowConfig {
  /** Data dimension D (≥ 2). */
  readonly dimension: number;
  /** Number of coupling layers. */
  readonly couplings: number;
  /** Width of each hidden layer of a conditioner network. */
  readonly hiddenUnits: number;
  /** Number of hidden layers of a conditioner network. */
  readonly hiddenLayers: number;
  /** Activation of the conditioner's hidden layers. */
  readonly activation: 'relu' | 'tanh';
  /** Bound c of the soft-clamped log-scale, s = c·tanh(ŝ/c). */
  readonly scaleClamp: number;
  /** Whether an ActNorm layer precedes every coupling layer. */
  readonly actNorm: boolean;
  /** Base distribution: standard normal, or a learned diagonal Gaussian mixture. */
  readonly base: 'normal' | 'mixture';
  /** Components of the mixture base (ignored for `base: 'normal'`). */
  readonly baseComponents: number;
}

/**
 * Learned base: $p(z) = \sum_k \pi_k \mathcal N(z; \mu_k, \operatorname{diag}\sigma_k^2)$ with
 * π = softmax(logits), σ = exp(logScales); `means` and `logScales` are K × D.
 */
export interface MixtureBase {
  readonly type: 'mixture';
  readonly logits: Tensor;
  readonly means: Tensor;
  readonly logScales: Tensor;
}

/** The base distribution of a flow. */
export type BaseDistribution = { readonly type: 'normal' } | MixtureBase;

/** A fresh base: N(0, I), or a mixture with K components at the origin, σ = 1/2 and equal weights. */
export function createBase(config: FlowConfig): BaseDistribution {
  if (config.base === 'normal') return { type: 'normal' };
  const K = config.baseComponents;
  const D = config.dimension;
  return {
    type: 'mixture',
    logits: Tensor.zeros([K], { requiresGrad: true }),
    means: Tensor.zeros([K, D], { requiresGrad: true }),
    logScales: Tensor.full([K, D], Math.log(0.5), { requiresGrad: true }),
  };
}

/** Trainable tensors of the base (none for N(0, I)). */
export function baseParameters(base: BaseDistribution): Tensor[] {
  return base.type === 'mixture' ? [base.logits, base.means, base.logScales] : [];
}

/** log p(z) of every row of z ([n, D]) under the base. Differentiable. */
export function baseLogProb(base: BaseDistribution, z: Tensor): Tensor {
  const n = z.shape[0] as number;
  const D = z.shape[1] as number;
  if (base.type === 'normal') return ops.sub(ops.mul(ops.sum(ops.square(z), 1), -0.5), D * HALF_LOG_2PI);
  const K = base.logits.shape[0] as number;
  // [n, 1, D] − [K, D] → [n, K, D]
  const u = ops.div(ops.sub(ops.reshape(z, [n, 1, D]), base.means), ops.exp(base.logScales));
  const quad = ops.mul(ops.sum(ops.square(u), 2), -0.5); // [n, K]
  const logNorm = ops.add(ops.sum(base.logScales, 1), D * HALF_LOG_2PI); // [K]
  const perK = ops.add(quad, ops.sub(ops.logSoftmax(ops.reshape(base.logits, [1, K]), 1), ops.reshape(logNorm, [1, K])));
  return ops.logSumExp(perK, 1);
}

/** ActNorm: y = (x − loc) ⊙ exp(logScale), log-det Σ_j logScale_j per row. */
export interface ActNormLayer {
  readonly type: 'actnorm';
  readonly loc: Tensor;
  readonly logScale: Tensor;
}

/**
 * Affine coupling with a binary mask m: with ŝ, t = NN(m ⊙ x) (the conditioner sees only the kept
 * coordinates), s = c·tanh(ŝ/c) ⊙ (1 − m), t ← t ⊙ (1 − m),
 * y = x ⊙ exp(s) + t, log-det Σ_j s_j. Kept coordinates (m = 1) pass through unchanged.
 */
export interface CouplingLayer {
  readonly type: 'coupling';
  /** 1 for the coordinates the layer keeps, 0 for those it transforms. */
  readonly mask: Float64Array;
  readonly net: MLP;
}

/** One layer of the stack. */
export type FlowLayer = ActNormLayer | CouplingLayer;

/** Mask of coupling layer `l`: coordinate j is kept when (j + l) is even (alternating checkerboard). */
export function couplingMask(dimension: number, l: number): Float64Array {
  const m = new Float64Array(dimension);
  for (let j = 0; j < dimension; j++) m[j] = (j + l) % 2 === 0 ? 1 : 0;
  return m;
}

/**
 * A fresh stack: [ActNorm, coupling] × couplings (ActNorm optional). Conditioners are MLPs
 * D → hidden… → 2D whose last layer is multiplied by `lastLayerScale` (0 = every coupling starts as
 * the identity, as in Glow; tests use a small non-zero scale to get a non-trivial flow).
 */
export function createFlowLayers(config: FlowConfig, rng: Rng, lastLayerScale = 0): FlowLayer[] {
  const D = config.dimension;
  const layers: FlowLayer[] = [];
  for (let l = 0; l < config.couplings; l++) {
    if (config.actNorm) {
      layers.push({
        type: 'actnorm',
        loc: Tensor.zeros([D], { requiresGrad: true }),
        logScale: Tensor.zeros([D], { requiresGrad: true }),
      });
    }
    const sizes = [D, ...new Array<number>(config.hiddenLayers).fill(config.hiddenUnits), 2 * D];
    const net = new MLP(sizes, { activation: config.activation as Activation, rng });
    const last = net.layers[net.layers.length - 1];
    if (last) {
      for (let i = 0; i < last.weight.size; i++) last.weight.data[i] *= lastLayerScale;
      if (last.bias) last.bias.data.fill(0);
    }
    layers.push({ type: 'coupling', mask: couplingMask(D, l), net });
  }
  return layers;
}

/** Every trainable tensor of the stack, in a fixed order. */
export function flowParameters(layers: readonly FlowLayer[]): Tensor[] {
  const out: Tensor[] = [];
  for (const layer of layers) {
    if (layer.type === 'actnorm') out.push(layer.loc, layer.logScale);
    else out.push(...layer.net.parameters());
  }
  return out;
}

/** s (masked, clamped) and t (masked) of a coupling layer for inputs whose kept part is `x ⊙ m`. */
function scaleShift(layer: CouplingLayer, x: Tensor, clamp: number): { s: Tensor; t: Tensor } {
  const D = layer.mask.length;
  const m = new Tensor(layer.mask, [D]);
  const inv = new Tensor(layer.mask.map((v) => 1 - v), [D]);
  const h = layer.net.forward(ops.mul(x, m));
  const sRaw = ops.slice(h, 1, 0, D);
  const tRaw = ops.slice(h, 1, D, 2 * D);
  // soft clamp: |s| < c, and ds/dŝ = 1 − tanh² → 1 near 0
  const s = ops.mul(ops.mul(ops.tanh(ops.div(sRaw, clamp)), clamp), inv);
  return { s, t: ops.mul(tRaw, inv) };
}

/** z = f(x) and log|det ∂f/∂x| per row, for a batch x of shape [n, D]. Differentiable. */
export function flowForward(layers: readonly FlowLayer[], x: Tensor, clamp: number): { z: Tensor; logDet: Tensor } {
  const n = x.shape[0] as number;
  let h = x;
  let logDet: Tensor = Tensor.zeros([n]);
  for (const layer of layers) {
    if (layer.type === 'actnorm') {
      h = ops.mul(ops.sub(h, layer.loc), ops.exp(layer.logScale));
      logDet = ops.add(logDet, ops.sum(layer.logScale));
    } else {
      const { s, t } = scaleShift(layer, h, clamp);
      h = ops.add(ops.mul(h, ops.exp(s)), t);
      logDet = ops.add(logDet, ops.sum(s, 1));
    }
  }
  return { z: h, logDet };
}

/** x = f⁻¹(z) for a batch z of shape [n, D] (not recorded for gradients). */
export function flowInverse(layers: readonly FlowLayer[], z: Tensor, clamp: number): Tensor {
  return noGrad(() => {
    let h = z;
    for (let i = layers.length - 1; i >= 0; i--) {
      const layer = layers[i] as FlowLayer;
      if (layer.type === 'actnorm') {
        h = ops.add(ops.mul(h, ops.exp(ops.neg(layer.logScale))), layer.loc);
      } else {
        // the kept coordinates of y equal those of x, so the conditioner sees the same input
        const { s, t } = scaleShift(layer, h, clamp);
        h = ops.mul(ops.sub(h, t), ops.exp(ops.neg(s)));
      }
    }
    return h;
  });
}

/** log p_base(f(x)) + logDet per row: the log-density of the flow at the rows of x. Differentiable. */
export function flowLogProb(
  layers: readonly FlowLayer[],
  x: Tensor,
  clamp: number,
  base: BaseDistribution = { type: 'normal' },
): Tensor {
  const { z, logDet } = flowForward(layers, x, clamp);
  return ops.add(baseLogProb(base, z), logDet);
}

/**
 * Data-dependent ActNorm initialisation (Glow): runs `x` through the stack and sets each ActNorm layer
 * so that its output has zero mean and unit variance per coordinate on `x`. A coordinate with zero
 * spread keeps logScale = 0.
 */
export function initActNorm(layers: readonly FlowLayer[], x: Tensor, clamp: number): void {
  noGrad(() => {
    const n = x.shape[0] as number;
    const D = x.shape[1] as number;
    let h = x;
    for (const layer of layers) {
      if (layer.type === 'actnorm') {
        for (let j = 0; j < D; j++) {
          let mean = 0;
          for (let i = 0; i < n; i++) mean += h.data[i * D + j] as number;
          mean /= n;
          let v = 0;
          for (let i = 0; i < n; i++) v += ((h.data[i * D + j] as number) - mean) ** 2;
          const sd = Math.sqrt(v / n);
          layer.loc.data[j] = mean;
          layer.logScale.data[j] = sd > 0 && Number.isFinite(sd) ? -Math.log(sd) : 0;
        }
        h = ops.mul(ops.sub(h, layer.loc), ops.exp(layer.logScale));
      } else {
        const { s, t } = scaleShift(layer, h, clamp);
        h = ops.add(ops.mul(h, ops.exp(s)), t);
      }
    }
  });
}
