/**
 * Natural-gradient step (notes: Natural Gradient — the notes' section is empty; this is the standard
 * definition of Amari 1998).
 */
import { DomainError, NonFiniteError, ShapeError, assertNonNegative, assertPositive, isMatrixLike } from '../errors/index.js';
import { type MatrixInput, cholesky, conjugateGradient, toRowMajor } from '../linalg/index.js';

/** A Fisher matrix, or a Fisher-vector product $v \mapsto Fv$. */
export type FisherInput = MatrixInput | ((v: Float64Array) => Float64Array);

/** Options of {@link naturalGradient} and {@link naturalGradientStep}. */
export interface NaturalGradientOptions {
  /** Step size η. @defaultValue 1 */
  lr?: number;
  /** Tikhonov damping λ added to F (keeps the solve well posed when F is singular). @defaultValue 1e-4 */
  damping?: number;
  /** Relative residual of the CG solve (Fisher-vector-product form only). @defaultValue 1e-10 */
  cgTol?: number;
  /** Iteration cap of the CG solve. @defaultValue 10·n */
  cgMaxIterations?: number;
}

const DEFAULTS = { lr: 1, damping: 1e-4, cgTol: 1e-10 } satisfies Pick<
  Required<NaturalGradientOptions>,
  'lr' | 'damping' | 'cgTol'
>;

function readVector(where: string, name: string, v: ArrayLike<number>, n?: number): Float64Array {
  if (v === null || typeof v !== 'object' || typeof v.length !== 'number') {
    throw new ShapeError(`${where}: argument '${name}' must be an array of numbers, got ${typeof v}`);
  }
  if (v.length === 0) throw new ShapeError(`${where}: argument '${name}' must not be empty`);
  if (n !== undefined && v.length !== n) {
    throw new ShapeError(`${where}: argument '${name}' must have length ${n} (length of x), got ${v.length}`);
  }
  const out = Float64Array.from(v);
  for (let i = 0; i < out.length; i++) {
    if (!Number.isFinite(out[i]!)) {
      throw new NonFiniteError(`${where}: argument '${name}' must be finite, got ${String(v[i])} at [${i}]`);
    }
  }
  return out;
}

/**
 * The natural-gradient direction $\tilde\nabla = (F + \lambda I)^{-1}\nabla L$ (Amari, "Natural gradient works
 * efficiently in learning", Neural Computation 10(2), 1998; damping as in Martens, "New insights and
 * perspectives on the natural gradient method", JMLR 21, 2020). With a Fisher matrix it is a Cholesky
 * solve; with a Fisher-vector product it is {@link conjugateGradient} on $v \mapsto Fv + \lambda v$.
 * @throws ShapeError, NonFiniteError for bad inputs; DomainError for bad options or a non-SPD Fisher-vector product; NotPositiveDefiniteError if F + λI is not SPD.
 */
export function naturalGradient(
  grad: ArrayLike<number>,
  fisherOrFvp: FisherInput,
  options: NaturalGradientOptions = {},
): Float64Array {
  return direction('naturalGradient', grad, fisherOrFvp, options);
}

function direction(where: string, grad: ArrayLike<number>, fisher: FisherInput, options: NaturalGradientOptions): Float64Array {
  const g = readVector(where, 'grad', grad);
  const n = g.length;
  const damping = options.damping ?? DEFAULTS.damping;
  assertNonNegative(where, 'options.damping', damping);
  if (typeof fisher === 'function') {
    const cgTol = options.cgTol ?? DEFAULTS.cgTol;
    assertPositive(where, 'options.cgTol', cgTol);
    const res = conjugateGradient((v) => {
      const fv = fisher(v);
      if (!fv || fv.length !== n) {
        throw new ShapeError(`${where}: the Fisher-vector product must return length ${n}, got ${fv ? fv.length : typeof fv}`);
      }
      const out = Float64Array.from(fv);
      for (let i = 0; i < n; i++) out[i]! += damping * v[i]!;
      return out;
    }, g, { tol: cgTol, maxIterations: options.cgMaxIterations ?? 10 * n });
    if (res.reason === 'not-positive-definite') {
      throw new DomainError(`${where}: the Fisher-vector product is not positive definite (p'Fp <= 0); increase options.damping (now ${damping})`);
    }
    return res.x;
  }
  if (!isMatrixLike(fisher) && !Array.isArray(fisher)) {
    throw new ShapeError(`${where}: argument 'fisherOrFvp' must be a Matrix, number[][] or a function v => F·v, got ${typeof fisher}`);
  }
  const { data, rows, cols } = toRowMajor(fisher, where, 'fisherOrFvp');
  if (rows !== n || cols !== n) {
    throw new ShapeError(`${where}: argument 'fisherOrFvp' must be ${n}×${n} (length of grad), got ${rows}×${cols}`);
  }
  const F: number[][] = [];
  for (let i = 0; i < n; i++) {
    const row = Array.from(data.subarray(i * n, (i + 1) * n));
    row[i]! += damping;
    F.push(row);
  }
  return cholesky(F, { jitter: 0 }).solve(g);
}

/**
 * One natural-gradient descent step, $\theta' = \theta - \eta\,(F(\theta) + \lambda I)^{-1}\nabla L(\theta)$,
 * where F is the Fisher information $F = \mathbb E[\nabla\log p\,\nabla\log p^\top]$ (Amari 1998).
 * The notes' Natural Gradient section is empty; this is the standard definition.
 * Returns a new vector; `x`, `grad` and the Fisher input are not modified.
 * @throws ShapeError if lengths disagree or inputs are empty; NonFiniteError for non-finite input; DomainError for bad options;
 *   NotPositiveDefiniteError if F + λI is not SPD.
 * @example naturalGradientStep([0, 0], [2, 1], [[2, 0], [0, 1]], { lr: 1, damping: 0 }) // Float64Array [-1, -1]
 */
export function naturalGradientStep(
  x: ArrayLike<number>,
  grad: ArrayLike<number>,
  fisherOrFvp: FisherInput,
  options: NaturalGradientOptions = {},
): Float64Array {
  const where = 'naturalGradientStep';
  const theta = readVector(where, 'x', x);
  readVector(where, 'grad', grad, theta.length);
  const lr = options.lr ?? DEFAULTS.lr;
  assertPositive(where, 'options.lr', lr);
  const nat = direction(where, grad, fisherOrFvp, options);
  for (let i = 0; i < theta.length; i++) theta[i]! -= lr * nat[i]!;
  return theta;
}
