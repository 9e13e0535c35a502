/**
 * Finite-difference check of reverse-mode gradients.
 */
import { DomainError, withDefaults } from '../errors/index.js';
import { valueAndGrad } from './grad.js';
import { mul } from './ops/binary.js';
import { sum } from './ops/reduce.js';
import { noGrad } from './tape.js';
import { Tensor, checkTensors } from './tensor.js';

/** Options of {@link gradcheck}. */
export interface GradcheckOptions {
  /** Central-difference step. @defaultValue 1e-6 */
  eps?: number;
  /** Largest accepted relative error. @defaultValue 1e-6 */
  tol?: number;
}

const DEFAULTS = { eps: 1e-6, tol: 1e-6 } satisfies Required<GradcheckOptions>;

/** Result of {@link gradcheck}. */
export interface GradcheckResult {
  /** `maxRelError <= tol`. */
  ok: boolean;
  /** Largest relative error over the inputs. */
  maxRelError: number;
  /** Per input: $\lVert g_{ad} - g_{fd}\rVert_\infty / \max(\lVert g_{ad}\rVert_\infty, \lVert g_{fd}\rVert_\infty)$. */
  relErrors: number[];
  /** Reverse-mode gradients. */
  analytic: Float64Array[];
  /** Central-difference gradients. */
  numeric: Float64Array[];
}

/** Fixed projection weights $w_i = 1 + \tfrac12\sin(1.3 i + 0.7)$ that turn a tensor output into a scalar. */
function weights(n: number): Float64Array {
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[i] = 1 + 0.5 * Math.sin(1.3 * i + 0.7);
  return w;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/**
 * Compares reverse-mode gradients of `fn` at `inputs` with central differences
 * $\partial_i f \approx \frac{f(x + \epsilon e_i) - f(x - \epsilon e_i)}{2\epsilon}$ (error $O(\epsilon^2)$).
 * A non-scalar output $y$ is reduced to $\sum_i w_i y_i$ with fixed, unequal weights, so every output
 * element is checked. Costs $2\sum_k |x_k|$ forward evaluations: use small shapes.
 * @throws DomainError if eps or tol is not positive.
 * @example gradcheck((x) => ops.tanh(x), [Tensor.fromArray([0.3, -1])]).ok // true
 */
export function gradcheck(
  fn: (...xs: Tensor[]) => Tensor,
  inputs: readonly Tensor[],
  options: GradcheckOptions = {},
): GradcheckResult {
  checkTensors('gradcheck', 'inputs', inputs);
  const { eps, tol } = withDefaults(DEFAULTS, options);
  if (!(eps > 0) || !(tol > 0)) throw new DomainError(`gradcheck: eps and tol must be positive, got ${eps} and ${tol}`);
  let w: Float64Array | null = null;
  const scalar = (...xs: Tensor[]): number =>
    noGrad(() => {
      const y = fn(...xs);
      if (w === null) w = weights(y.size);
      return dot(y.data, w);
    });
  const projected = (...xs: Tensor[]): Tensor => {
    const y = fn(...xs);
    if (w === null) w = weights(y.size);
    return sum(mul(y, new Tensor(w, y.shape)));
  };
  const { grads } = valueAndGrad(projected)(...inputs);
  const analytic = grads.map((g) => g.data);
  const numeric: Float64Array[] = [];
  const relErrors: number[] = [];
  for (let k = 0; k < inputs.length; k++) {
    const copy = inputs[k].data.slice();
    const probe = new Tensor(copy, inputs[k].shape);
    const args = inputs.map((x, j) => (j === k ? probe : x));
    const num = new Float64Array(copy.length);
    for (let i = 0; i < copy.length; i++) {
      const x0 = copy[i];
      copy[i] = x0 + eps;
      const fp = scalar(...args);
      copy[i] = x0 - eps;
      const fm = scalar(...args);
      copy[i] = x0;
      num[i] = (fp - fm) / (2 * eps);
    }
    numeric.push(num);
    let diff = 0;
    let scale = 0;
    for (let i = 0; i < num.length; i++) {
      diff = Math.max(diff, Math.abs(num[i] - analytic[k][i]));
      scale = Math.max(scale, Math.abs(num[i]), Math.abs(analytic[k][i]));
    }
    relErrors.push(scale === 0 ? 0 : diff / scale);
  }
  const maxRelError = relErrors.reduce((a, b) => Math.max(a, Number.isNaN(b) ? Number.POSITIVE_INFINITY : b), 0);
  return { ok: maxRelError <= tol, maxRelError, relErrors, analytic, numeric };
}
