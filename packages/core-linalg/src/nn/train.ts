/**
 * A minimal training loop: loss → gradients → optimiser step, with progress and cancellation.
 */
import { variableGrads, type Tensor } from '../autodiff/index.js';
import { assertInteger, NonFiniteError, throwIfAborted } from '../errors/index.js';
import type { Optimizer } from './optimizers.js';

/** What `onProgress` receives. */
export interface TrainProgress {
  /** Steps completed. */
  iteration: number;
  /** Loss of the last step. */
  loss: number;
  /** Milliseconds since `train` started. */
  elapsedMs: number;
}

/** Options of {@link train}. */
export interface TrainOptions {
  /** Optimiser (it holds the parameters). */
  optimizer: Optimizer;
  /** Number of steps. */
  steps: number;
  /** Stop early once the loss is at or below this. @defaultValue -Infinity (never) */
  targetLoss?: number;
  /** Called every `progressEvery` steps and after the last one. */
  onProgress?: (info: TrainProgress) => void;
  /** @defaultValue 1 */
  progressEvery?: number;
  /** Cancels between steps (throws AbortError). */
  signal?: AbortSignal;
}

/** Result of {@link train}. */
export interface TrainResult {
  /** Loss at every step. */
  losses: number[];
  /** Steps taken. */
  iterations: number;
  /** True when `targetLoss` was reached. */
  converged: boolean;
  /** `'target-loss'` or `'max-steps'`. */
  reason: 'target-loss' | 'max-steps';
}

/**
 * Runs `steps` iterations of $\theta \leftarrow \text{optimizer}(\theta, \nabla_\theta L_t(\theta))$, where
 * `loss(t)` builds the step-t loss (pick the minibatch from `t`). Each step opens and releases its own
 * tape, so memory stays flat.
 * @throws NonFiniteError if a loss is NaN/±Infinity (parameters keep their last finite values);
 * AbortError when `signal` fires.
 */
export function train(loss: (step: number) => Tensor, options: TrainOptions): TrainResult {
  const { optimizer, steps } = options;
  assertInteger('train', 'steps', steps, 0);
  const every = options.progressEvery ?? 1;
  assertInteger('train', 'progressEvery', every, 1);
  const target = options.targetLoss ?? Number.NEGATIVE_INFINITY;
  const start = Date.now();
  const losses: number[] = [];
  for (let t = 0; t < steps; t++) {
    throwIfAborted('train', options.signal);
    const { value, grads } = variableGrads(() => loss(t), optimizer.params);
    if (!Number.isFinite(value)) {
      throw new NonFiniteError(`train: loss is ${value} at step ${t}; parameters left unchanged (run with setNanCheck(true) to find the op)`);
    }
    optimizer.step(grads);
    losses.push(value);
    const done = value <= target;
    if (options.onProgress && ((t + 1) % every === 0 || done || t + 1 === steps)) {
      options.onProgress({ iteration: t + 1, loss: value, elapsedMs: Date.now() - start });
    }
    if (done) return { losses, iterations: t + 1, converged: true, reason: 'target-loss' };
  }
  return { losses, iterations: steps, converged: false, reason: 'max-steps' };
}
