/**
 * Optimisers that update parameter tensors in place from gradients (as returned by `variableGrads`).
 */
import { checkTensors } from '../autodiff/tensor.js';
import { shapeStr, type Tensor } from '../autodiff/index.js';
import { assertNonNegative, assertPositive, DomainError, NonFiniteError, ShapeError, withDefaults } from '../errors/index.js';

/** An optimiser bound to a list of parameters. */
export interface Optimizer {
  /** The parameters it updates (in place). */
  readonly params: readonly Tensor[];
  /** Applies one update; `grads[i]` belongs to `params[i]`. */
  step(grads: readonly Tensor[]): void;
  /** Number of steps taken. */
  readonly iterations: number;
  /** Learning rate used by the next step (assign to schedule it; the step throws unless it is finite and > 0). */
  lr: number;
}

/** Options of {@link createSgdOptimizer}. */
export interface SgdOptimizerOptions {
  /** Learning rate η. @defaultValue 0.01 */
  lr?: number;
  /** Heavy-ball momentum μ. @defaultValue 0 */
  momentum?: number;
  /** L2 penalty λ added to the gradient. @defaultValue 0 */
  weightDecay?: number;
  /** Clip the global gradient norm to this before the update. @defaultValue Infinity */
  clipNorm?: number;
}

/** Options of {@link createAdamOptimizer}. */
export interface AdamOptimizerOptions {
  /** Learning rate α. @defaultValue 1e-3 */
  lr?: number;
  /** @defaultValue 0.9 */
  beta1?: number;
  /** @defaultValue 0.999 */
  beta2?: number;
  /** @defaultValue 1e-8 */
  eps?: number;
  /** Decoupled weight decay (AdamW, Loshchilov & Hutter 2019): $\theta \leftarrow \theta(1 - \alpha\lambda)$. @defaultValue 0 */
  weightDecay?: number;
  /** Clip the global gradient norm to this before the update. @defaultValue Infinity */
  clipNorm?: number;
}

const SGD_DEFAULTS = { lr: 0.01, momentum: 0, weightDecay: 0, clipNorm: Number.POSITIVE_INFINITY } satisfies Required<SgdOptimizerOptions>;
const ADAM_DEFAULTS = { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, clipNorm: Number.POSITIVE_INFINITY } satisfies Required<AdamOptimizerOptions>;

/**
 * Scales `grads` in place so their global norm $\lVert g\rVert_2 = \sqrt{\sum_k \lVert g_k\rVert^2}$ is at
 * most `maxNorm`; returns the norm before clipping.
 * @throws DomainError if maxNorm is not positive.
 */
export function clipGradNorm(grads: readonly Tensor[], maxNorm: number): number {
  checkTensors('clipGradNorm', 'grads', grads);
  assertPositive('clipGradNorm', 'maxNorm', maxNorm);
  let s = 0;
  for (const g of grads) for (let i = 0; i < g.size; i++) s += g.data[i] * g.data[i];
  const norm = Math.sqrt(s);
  if (norm > maxNorm) {
    const f = maxNorm / norm;
    for (const g of grads) for (let i = 0; i < g.size; i++) g.data[i] *= f;
  }
  return norm;
}

/** `clipNorm` must be > 0; Infinity (the default) means no clipping. */
function checkClipNorm(where: string, clipNorm: number): void {
  if (clipNorm !== Number.POSITIVE_INFINITY) assertPositive(where, 'clipNorm', clipNorm);
}

/**
 * Start of every step: checks the (possibly rescheduled) learning rate and the gradients before any
 * parameter changes, then clips; returns the learning rate to use.
 */
function beginStep(where: string, params: readonly Tensor[], grads: readonly Tensor[], lr: number, clipNorm: number): number {
  assertPositive(where, 'lr', lr);
  checkGrads(where, params, grads);
  if (clipNorm !== Number.POSITIVE_INFINITY) clipGradNorm(grads, clipNorm);
  return lr;
}

function checkGrads(where: string, params: readonly Tensor[], grads: readonly Tensor[]): void {
  if (grads.length !== params.length) throw new ShapeError(`${where}: expected ${params.length} gradients, got ${grads.length}`);
  for (let k = 0; k < grads.length; k++) {
    const g = grads[k];
    if (g.size !== params[k].size) throw new ShapeError(`${where}: gradient ${k} ${shapeStr(g.shape)} does not match parameter ${shapeStr(params[k].shape)}`);
    // x − x is 0 for finite x and NaN for NaN/±∞: one branch-free pass, the slow search only on failure
    const d = g.data;
    // four independent sums (one add chain would wait on each add's latency); NaN anywhere makes one of them NaN
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    const n4 = d.length - (d.length % 4);
    for (let i = 0; i < n4; i += 4) {
      s0 += d[i] - d[i];
      s1 += d[i + 1] - d[i + 1];
      s2 += d[i + 2] - d[i + 2];
      s3 += d[i + 3] - d[i + 3];
    }
    for (let i = n4; i < d.length; i++) s0 += d[i] - d[i];
    if (s0 === 0 && s1 === 0 && s2 === 0 && s3 === 0) continue;
    for (let i = 0; i < d.length; i++) {
      if (!Number.isFinite(d[i])) {
        throw new NonFiniteError(`${where}: gradient ${k} holds ${d[i]} at index ${i}; parameters left unchanged (run with setNanCheck(true) to find the op)`);
      }
    }
  }
}

/**
 * SGD with momentum: $v \leftarrow \mu v + g + \lambda\theta$, $\theta \leftarrow \theta - \eta v$.
 * @throws DomainError for a negative or non-finite option (`clipNorm` must be > 0 or Infinity).
 */
export function createSgdOptimizer(params: readonly Tensor[], options: SgdOptimizerOptions = {}): Optimizer {
  const o = withDefaults(SGD_DEFAULTS, options);
  assertPositive('createSgdOptimizer', 'lr', o.lr);
  assertNonNegative('createSgdOptimizer', 'momentum', o.momentum);
  assertNonNegative('createSgdOptimizer', 'weightDecay', o.weightDecay);
  checkClipNorm('createSgdOptimizer', o.clipNorm);
  const vel = params.map((p) => new Float64Array(p.size));
  let t = 0;
  const self: Optimizer = {
    params,
    lr: o.lr,
    get iterations() {
      return t;
    },
    step(grads) {
      const lr = beginStep('sgd.step', params, grads, self.lr, o.clipNorm);
      params.forEach((p, k) => {
        const w = p.data;
        const g = grads[k].data;
        const v = vel[k];
        for (let i = 0; i < w.length; i++) {
          v[i] = o.momentum * v[i] + g[i] + o.weightDecay * w[i];
          w[i] -= lr * v[i];
        }
      });
      t++;
    },
  };
  return self;
}

/**
 * Adam (Kingma & Ba, ICLR 2015): $m \leftarrow \beta_1 m + (1-\beta_1)g$, $v \leftarrow \beta_2 v + (1-\beta_2)g^2$,
 * $\theta \leftarrow \theta - \alpha\,\hat m/(\sqrt{\hat v} + \epsilon)$ with bias-corrected $\hat m, \hat v$.
 * @throws DomainError for an out-of-range option (`clipNorm` must be > 0 or Infinity).
 */
export function createAdamOptimizer(params: readonly Tensor[], options: AdamOptimizerOptions = {}): Optimizer {
  const o = withDefaults(ADAM_DEFAULTS, options);
  assertPositive('createAdamOptimizer', 'lr', o.lr);
  assertPositive('createAdamOptimizer', 'eps', o.eps);
  assertNonNegative('createAdamOptimizer', 'weightDecay', o.weightDecay);
  checkClipNorm('createAdamOptimizer', o.clipNorm);
  for (const [name, b] of [['beta1', o.beta1], ['beta2', o.beta2]] as const) {
    if (!(b >= 0 && b < 1)) throw new DomainError(`createAdamOptimizer: option '${name}' must be in [0, 1), got ${b}`);
  }
  const m = params.map((p) => new Float64Array(p.size));
  const v = params.map((p) => new Float64Array(p.size));
  let t = 0;
  const self: Optimizer = {
    params,
    lr: o.lr,
    get iterations() {
      return t;
    },
    step(grads) {
      const lr = beginStep('adam.step', params, grads, self.lr, o.clipNorm);
      t++;
      // θ − α m̂/(√v̂ + ε) written as θ − (α/(1−β₁ᵗ))·m / (√v · (1−β₂ᵗ)^{-1/2} + ε): the same update with one
      // square root and one division per entry (the form of PyTorch's Adam; equal to rounding)
      const { beta1: b1, beta2: b2, eps } = o;
      const stepSize = lr / (1 - b1 ** t);
      const rootC2 = 1 / Math.sqrt(1 - b2 ** t);
      const decay = 1 - lr * o.weightDecay;
      for (let k = 0; k < params.length; k++) adamUpdate(params[k].data, grads[k].data, m[k], v[k], b1, b2, stepSize, rootC2, eps, decay);
    },
  };
  return self;
}

/** One Adam update of a parameter array in place (see {@link createAdamOptimizer}); one pass over w, g, m, v. */
function adamUpdate(
  w: Float64Array,
  g: Float64Array,
  m: Float64Array,
  v: Float64Array,
  b1: number,
  b2: number,
  stepSize: number,
  rootC2: number,
  eps: number,
  decay: number,
): void {
  const a1 = 1 - b1;
  const a2 = 1 - b2;
  const n = w.length;
  for (let i = 0; i < n; i++) {
    const gi = g[i];
    const mi = b1 * m[i] + a1 * gi;
    const vi = b2 * v[i] + a2 * gi * gi;
    m[i] = mi;
    v[i] = vi;
    w[i] = w[i] * decay - (stepSize * mi) / (Math.sqrt(vi) * rootC2 + eps);
  }
}
