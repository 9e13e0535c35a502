/**
 * First-order in-place optimisers: Adam and SGD with momentum.
 */
import { NonFiniteError, ShapeError, assertInRange, assertNonNegative, assertPositive, withDefaults } from '../errors/index.js';

/** An in-place first-order optimiser. */
export interface Stepper {
  /** Updates `params` in place from `grad` (same length every call). */
  step(params: Float64Array, grad: ArrayLike<number>): void;
  /** Clears the moment estimates and step count. */
  reset(): void;
}

/** Options of {@link createAdam}. */
export interface AdamOptions {
  /** Step size α. @defaultValue 1e-3 */
  lr?: number;
  /** Decay of the first moment. @defaultValue 0.9 */
  beta1?: number;
  /** Decay of the second moment. @defaultValue 0.999 */
  beta2?: number;
  /** Added to $\sqrt{\hat v}$. @defaultValue 1e-8 */
  eps?: number;
}

/** Options of {@link createSgd}. */
export interface SgdOptions {
  /** Step size η. @defaultValue 1e-2 */
  lr?: number;
  /** Heavy-ball momentum μ in [0, 1). @defaultValue 0 */
  momentum?: number;
}

const ADAM_DEFAULTS = { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8 } satisfies Required<AdamOptions>;
const SGD_DEFAULTS = { lr: 1e-2, momentum: 0 } satisfies Required<SgdOptions>;

function checkStep(where: string, params: Float64Array, grad: ArrayLike<number>, n: number): void {
  if (!(params instanceof Float64Array)) {
    throw new ShapeError(`${where}: argument 'params' must be a Float64Array (updated in place), got ${typeof params}`);
  }
  if (grad === null || typeof grad !== 'object' || grad.length !== params.length) {
    const got = grad === null || typeof grad !== 'object' ? typeof grad : `length ${grad.length}`;
    throw new ShapeError(`${where}: argument 'grad' must have length ${params.length} (length of params), got ${got}`);
  }
  if (n >= 0 && params.length !== n) {
    throw new ShapeError(`${where}: argument 'params' must keep length ${n} between steps (call reset() first), got ${params.length}`);
  }
  for (let i = 0; i < grad.length; i++) {
    if (!Number.isFinite(grad[i])) {
      throw new NonFiniteError(`${where}: argument 'grad' must be finite, got ${String(grad[i])} at [${i}]`);
    }
  }
}

/**
 * Adam (Kingma & Ba, "Adam: A method for stochastic optimization", ICLR 2015, Alg. 1):
 * $$m_t = \beta_1 m_{t-1} + (1-\beta_1) g_t,\ v_t = \beta_2 v_{t-1} + (1-\beta_2) g_t^2,\
 *   \theta_t = \theta_{t-1} - \alpha\,\frac{m_t/(1-\beta_1^t)}{\sqrt{v_t/(1-\beta_2^t)} + \epsilon}.$$
 * @throws DomainError for out-of-range options; on `step`, ShapeError/NonFiniteError for bad arrays.
 * @example const opt = createAdam({ lr: 0.1 }); opt.step(params, grad);
 */
export function createAdam(options: AdamOptions = {}): Stepper {
  const where = 'createAdam';
  const { lr, beta1, beta2, eps } = withDefaults(ADAM_DEFAULTS, options);
  assertPositive(where, 'options.lr', lr);
  assertInRange(where, 'options.beta1', beta1, 0, 1 - Number.EPSILON);
  assertInRange(where, 'options.beta2', beta2, 0, 1 - Number.EPSILON);
  assertPositive(where, 'options.eps', eps);
  let m = new Float64Array(0);
  let v = new Float64Array(0);
  let t = 0;
  return {
    step(params, grad) {
      checkStep('Adam.step', params, grad, t === 0 ? -1 : m.length);
      if (t === 0) {
        m = new Float64Array(params.length);
        v = new Float64Array(params.length);
      }
      t++;
      const c1 = 1 / (1 - beta1 ** t);
      const c2 = 1 / (1 - beta2 ** t);
      for (let i = 0; i < params.length; i++) {
        const gi = grad[i] as number;
        const mi = beta1 * m[i]! + (1 - beta1) * gi;
        const vi = beta2 * v[i]! + (1 - beta2) * gi * gi;
        m[i] = mi;
        v[i] = vi;
        params[i]! -= (lr * (mi * c1)) / (Math.sqrt(vi * c2) + eps);
      }
    },
    reset() {
      t = 0;
      m = new Float64Array(0);
      v = new Float64Array(0);
    },
  };
}

/**
 * Stochastic gradient descent with heavy-ball momentum (Polyak 1964; the PyTorch form):
 * $b_t = \mu b_{t-1} + g_t$, $\theta_t = \theta_{t-1} - \eta b_t$ (plain SGD when μ = 0).
 * @throws DomainError for out-of-range options; on `step`, ShapeError/NonFiniteError for bad arrays.
 * @example const opt = createSgd({ lr: 0.1, momentum: 0.9 }); opt.step(params, grad);
 */
export function createSgd(options: SgdOptions = {}): Stepper {
  const where = 'createSgd';
  const { lr, momentum } = withDefaults(SGD_DEFAULTS, options);
  assertPositive(where, 'options.lr', lr);
  assertNonNegative(where, 'options.momentum', momentum);
  assertInRange(where, 'options.momentum', momentum, 0, 1 - Number.EPSILON);
  let buf = new Float64Array(0);
  let started = false;
  return {
    step(params, grad) {
      checkStep('Sgd.step', params, grad, started ? buf.length : -1);
      if (!started) {
        buf = new Float64Array(params.length);
        started = true;
      }
      for (let i = 0; i < params.length; i++) {
        const b = momentum * buf[i]! + (grad[i] as number);
        buf[i] = b;
        params[i]! -= lr * b;
      }
    },
    reset() {
      started = false;
      buf = new Float64Array(0);
    },
  };
}
