import { defineOptions, DomainError, describeValue, type MatrixInput, readMatrix, ShapeError } from '@notes/core-linalg';
import { spectralNorm } from './spectral-norm.js';

/** Options of {@link mlpLipschitzBound}. */
export interface MlpLipschitzOptions {
  /** Lipschitz constant of the pointwise activation (1 for ReLU, tanh, sigmoid·4, softplus, ELU). @defaultValue 1 */
  activationLipschitz?: number;
}

const OPTIONS = defineOptions<MlpLipschitzOptions>()('mlpLipschitzBound', {
  activationLipschitz: { type: 'number', greaterThan: 0, default: 1, doc: 'Lipschitz constant of the activation' },
});

/** Result of {@link mlpLipschitzBound}. */
export interface MlpLipschitzBound {
  /** Π_l σ_max(W_l) · L_act^{L−1}. */
  bound: number;
  /** σ_max of each layer. */
  layerNorms: Float64Array;
}

/**
 * Upper bound of the Lipschitz constant (in ‖·‖₂) of an MLP x ↦ W_L φ(… φ(W_1 x + b_1) …) + b_L
 * (notes: Lipschitz — affine maps and Lipschitz pointwise non-linearities compose):
 * $$\mathrm{Lip}(f) \le L_\varphi^{\,L-1} \prod_{l=1}^{L} \sigma_{\max}(W_l)$$
 * Biases do not change it. Layers are given as W_l with shape out × in; consecutive shapes must chain.
 * Each σ_max is accurate for entries of any finite size ({@link spectralNorm}); the product is +∞ (a
 * valid but vacuous bound) only when the true bound exceeds 1.8e308.
 * @throws ShapeError (no layers, shapes that do not chain), NonFiniteError, DomainError.
 * @example mlpLipschitzBound([[[2, 0], [0, 1]], [[0.5, 0.5]]]).bound // 2·(1/√2)
 */
export function mlpLipschitzBound(weights: readonly MatrixInput[], options?: MlpLipschitzOptions): MlpLipschitzBound {
  const where = 'mlpLipschitzBound';
  const act = OPTIONS.parse(options).activationLipschitz;
  if (!Array.isArray(weights) || weights.length === 0) {
    throw new ShapeError(`${where}: argument 'weights' must be a non-empty array of matrices, got ${describeValue(weights)}`);
  }
  const layerNorms = new Float64Array(weights.length);
  let prevOut = -1;
  let bound = 1;
  for (let l = 0; l < weights.length; l++) {
    const W = weights[l]!;
    if (!(l in weights)) throw new ShapeError(`${where}: argument 'weights' has a hole at [${l}]`);
    const { rows, columns: cols } = readMatrix(where, `weights[${l}]`, W);
    if (prevOut >= 0 && cols !== prevOut) {
      throw new ShapeError(`${where}: weights[${l}] must have ${prevOut} columns (outputs of layer ${l - 1}), got ${cols}`);
    }
    prevOut = rows;
    layerNorms[l] = spectralNorm(W).sigma;
    bound *= layerNorms[l]!;
  }
  bound *= act ** (weights.length - 1);
  if (Number.isNaN(bound)) throw new DomainError(`${where}: the bound is 0·∞ (a zero layer and an overflowing one); rescale the weights`);
  return Object.freeze({ bound, layerNorms });
}
