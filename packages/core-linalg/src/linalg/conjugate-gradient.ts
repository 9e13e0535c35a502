/**
 * Preconditioned conjugate gradient for symmetric positive-definite systems (notes: Conjugate gradient algorithm).
 */
import { DomainError, NonFiniteError, ShapeError, assertInteger, assertPositive, throwIfAborted } from '../errors/index.js';
import { toVector } from './matrix.js';

/** Progress report of {@link conjugateGradient}. */
export interface ConjugateGradientProgress {
  iteration: number;
  residualNorm: number;
}

/** Options of {@link conjugateGradient}. */
export interface ConjugateGradientOptions {
  /** Stop when $\lVert r_k\rVert \le \mathrm{tol}\,\lVert b\rVert$ (relative residual). @defaultValue 1e-10 */
  tol?: number;
  /** Iteration cap. @defaultValue `max(10·n, 50)` (exact arithmetic needs at most n) */
  maxIterations?: number;
  /** Applies $M^{-1}$ for an SPD preconditioner M ≈ A (e.g. Jacobi: divide by diag A). @defaultValue identity */
  preconditioner?: (r: Float64Array) => Float64Array;
  /** Starting point. @defaultValue zeros */
  x0?: ArrayLike<number>;
  /** Checked between iterations; aborting throws `AbortError`. */
  signal?: AbortSignal;
  /** Called after every iteration. */
  onProgress?: (info: ConjugateGradientProgress) => void;
}

/** Why {@link conjugateGradient} stopped. */
export type ConjugateGradientReason = 'tolerance' | 'max-iterations' | 'not-positive-definite';

/** Result of {@link conjugateGradient}. */
export interface ConjugateGradientResult {
  x: Float64Array;
  iterations: number;
  /** $\lVert b - Ax\rVert_2$ (recursively updated residual). */
  residualNorm: number;
  converged: boolean;
  reason: ConjugateGradientReason;
}

const DEFAULTS = { tol: 1e-10 } satisfies Pick<Required<ConjugateGradientOptions>, 'tol'>;

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

function checkOutput(name: string, v: unknown, n: number): Float64Array {
  const where = 'conjugateGradient';
  if (!(v instanceof Float64Array) && !Array.isArray(v)) {
    throw new ShapeError(`${where}: '${name}' must return a Float64Array of length ${n}, got ${typeof v}`);
  }
  const arr = v as ArrayLike<number>;
  if (arr.length !== n) throw new ShapeError(`${where}: '${name}' must return length ${n}, got ${arr.length}`);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(arr[i])) {
      throw new NonFiniteError(`${where}: '${name}' returned a non-finite value ${String(arr[i])} at [${i}]`);
    }
  }
  return v instanceof Float64Array ? v : Float64Array.from(arr);
}

/**
 * Solves $Ax = b$ for SPD A given only the product $v \mapsto Av$ (Hestenes & Stiefel 1952; the notes
 * follow Rasmussen's 2006 write-up). With preconditioner $M^{-1}$, $z_k = M^{-1} r_k$:
 * $$\alpha_k = \frac{r_k^\top z_k}{p_k^\top A p_k},\quad x_{k+1} = x_k + \alpha_k p_k,\quad
 *   r_{k+1} = r_k - \alpha_k A p_k,\quad \beta_k = \frac{r_{k+1}^\top z_{k+1}}{r_k^\top z_k},\quad
 *   p_{k+1} = z_{k+1} + \beta_k p_k.$$
 * Without a preconditioner $z = r$, which is exactly the notes' iteration. In exact arithmetic it
 * terminates in at most n steps. The notes' stopping test "$r_{k+1} = c$" is read as
 * $\lVert r_{k+1}\rVert \le \mathrm{tol}\lVert b\rVert$. Stops with reason `'not-positive-definite'` if
 * $p^\top A p \le 0$ (A or M not SPD). The vectors passed to `applyA`/`preconditioner` are scratch
 * buffers: read them, do not keep them.
 *
 * @throws ShapeError if `b` is empty, or `x0`/the callbacks' outputs have the wrong length.
 * @throws NonFiniteError if `b`, `x0` or a callback's output holds NaN/±Infinity.
 * @throws AbortError if `signal` is aborted.
 * @example conjugateGradient((v) => Float64Array.from([4 * v[0] + v[1], v[0] + 3 * v[1]]), [1, 2]).x // [1/11, 7/11]
 */
export function conjugateGradient(
  applyA: (v: Float64Array) => Float64Array,
  b: ArrayLike<number>,
  options: ConjugateGradientOptions = {},
): ConjugateGradientResult {
  const where = 'conjugateGradient';
  if (typeof applyA !== 'function') {
    throw new DomainError(`${where}: argument 'applyA' must be a function v => A·v, got ${typeof applyA}`);
  }
  const bv = toVector(b, where, 'b');
  const n = bv.length;
  if (n === 0) throw new ShapeError(`${where}: argument 'b' must not be empty`);
  const tol = options.tol ?? DEFAULTS.tol;
  assertPositive(where, 'options.tol', tol);
  const maxIterations = options.maxIterations ?? Math.max(10 * n, 50);
  assertInteger(where, 'options.maxIterations', maxIterations, 0);
  const precond = options.preconditioner;
  if (precond !== undefined && typeof precond !== 'function') {
    throw new DomainError(`${where}: option 'preconditioner' must be a function r => M⁻¹r, got ${typeof precond}`);
  }
  const x = options.x0 === undefined ? new Float64Array(n) : toVector(options.x0, where, 'options.x0', n, 'length of b');
  throwIfAborted(where, options.signal);

  const bNorm = Math.sqrt(dot(bv, bv));
  const r = bv.slice();
  if (options.x0 !== undefined) {
    const Ax = checkOutput('applyA', applyA(x.slice()), n);
    for (let i = 0; i < n; i++) r[i]! -= Ax[i]!;
  }
  let rNorm = Math.sqrt(dot(r, r));
  const target = tol * bNorm;
  if (rNorm <= target) return { x, iterations: 0, residualNorm: rNorm, converged: true, reason: 'tolerance' };

  const applyM = (v: Float64Array): Float64Array =>
    precond ? checkOutput('preconditioner', precond(v.slice()), n) : v.slice();
  let z = applyM(r);
  const p = z.slice();
  let rz = dot(r, z);
  for (let k = 0; k < maxIterations; k++) {
    throwIfAborted(where, options.signal);
    const Ap = checkOutput('applyA', applyA(p.slice()), n);
    const pAp = dot(p, Ap);
    if (!(pAp > 0) || !(rz > 0)) {
      return { x, iterations: k, residualNorm: rNorm, converged: false, reason: 'not-positive-definite' };
    }
    const alpha = rz / pAp;
    for (let i = 0; i < n; i++) {
      x[i]! += alpha * p[i]!;
      r[i]! -= alpha * Ap[i]!;
    }
    rNorm = Math.sqrt(dot(r, r));
    options.onProgress?.({ iteration: k + 1, residualNorm: rNorm });
    if (rNorm <= target) return { x, iterations: k + 1, residualNorm: rNorm, converged: true, reason: 'tolerance' };
    z = applyM(r);
    const rzNew = dot(r, z);
    const beta = rzNew / rz;
    rz = rzNew;
    for (let i = 0; i < n; i++) p[i] = z[i]! + beta * p[i]!;
  }
  return { x, iterations: maxIterations, residualNorm: rNorm, converged: false, reason: 'max-iterations' };
}
