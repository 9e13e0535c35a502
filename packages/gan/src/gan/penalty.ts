/**
 * Gradient penalties on the critic (notes: Optimal transport — a 1-Lipschitz critic; Lipschitz constant),
 * built on the closed-form input gradient of an MLP critic ({@link criticForwardWithInputGradient}), so
 * that their gradients with respect to the critic's weights come from core's first-order autodiff.
 * @internal
 */
import { type Activation, type MLP, ops, Tensor } from '@notes/core-linalg';
import type { SpectralNormState } from '../lipschitz/index.js';
import { type CriticFeatures, criticForwardWithInputGradient } from './critic.js';

/** Row-wise squared norms ‖g_i‖² of a [n, d] tensor, as [n]. */
function rowSquaredNorms(g: Tensor): Tensor {
  return ops.sum(ops.square(g), 1);
}

/** The mean over rows of ‖g_i‖² (the R1 term before its γ/2). */
export function meanSquaredNorm(g: Tensor): Tensor {
  return ops.mean(rowSquaredNorms(g));
}

/**
 * R1 (Mescheder, Geiger & Nowozin 2018): E_P ‖∇ₓt(x)‖² on real samples x [n, d] (the caller scales it by
 * γ/2). It pushes the critic's slope to 0 on the data, which stops the oscillation of the critic around
 * the data manifold and lets the generator settle on the modes.
 */
export function r1Penalty(
  critic: MLP,
  activation: Activation,
  x: Tensor,
  states: readonly SpectralNormState[] | null,
  features: CriticFeatures | null = null,
): Tensor {
  return meanSquaredNorm(criticForwardWithInputGradient(critic, activation, x, states, features).grad);
}

/**
 * WGAN-GP (Gulrajani et al. 2017): E (‖∇ₓt(x̂)‖ − 1)² at x̂ = εx + (1 − ε)x̃ between paired rows of the
 * real x and generated x̃ [n, d], with ε_i ∈ [0, 1] given (uniform draws in training). The norm is
 * √(‖g‖² + 1e-12), smooth at g = 0 (the penalty's gradient is finite there).
 */
export function gradientPenalty(
  critic: MLP,
  activation: Activation,
  real: Tensor,
  fake: Tensor,
  eps: Float64Array,
  states: readonly SpectralNormState[] | null,
  features: CriticFeatures | null = null,
): Tensor {
  const [n, d] = real.shape as [number, number];
  const mix = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const e = eps[i]!;
    for (let j = 0; j < d; j++) mix[i * d + j] = e * real.data[i * d + j]! + (1 - e) * fake.data[i * d + j]!;
  }
  const { grad } = criticForwardWithInputGradient(critic, activation, new Tensor(mix, [n, d]), states, features);
  const norm = ops.sqrt(ops.add(rowSquaredNorms(grad), 1e-12));
  return ops.mean(ops.square(ops.sub(norm, 1)));
}
