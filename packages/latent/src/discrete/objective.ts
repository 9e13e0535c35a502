/**
 * The discrete-latent objective of the notes' "Discrete Latent Variables" section:
 * $\mathcal L(\varphi) = \mathbb E_{x}\,\mathbb E_{q(z;\varphi)} f(z, x)$ with
 * $q(z=k;\varphi) = \mathrm{softmax}(\varphi)_k$ over K categories and x uniform over C contexts (C = 1
 * is the plain $\mathbb E_{q(Z;\varphi)}f(Z)$). Here $z$ is one-hot; relaxed estimators evaluate f on the simplex.
 */
import { DomainError, describeValue, NonFiniteError, readVector, ShapeError, softmax } from '@notes/core-linalg';
import { readCount } from './validate.js';

/** An objective $f(z, x)$ of a categorical latent. */
export interface CategoricalObjective {
  /** Number of categories K (≥ 2). */
  categories: number;
  /** Number of contexts x, drawn uniformly. @defaultValue 1 */
  contexts?: number;
  /** $f(z, x)$; z is one-hot (or a point of the simplex for relaxed estimators). */
  f(z: Float64Array, x: number): number;
  /** $\nabla_z f(z, x)$; needed by Gumbel-softmax and MuProp. */
  gradF?(z: Float64Array, x: number): Float64Array;
}

/** Validates an objective and logits; returns the probabilities $\pi = \mathrm{softmax}(\varphi)$. @internal */
export function checkObjective(where: string, obj: CategoricalObjective, logits: ArrayLike<number>, needGrad = false): Float64Array {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
    throw new DomainError(`${where}: argument 'objective' must be an object { categories, f, gradF? }, got ${describeValue(obj)}`);
  }
  readCount(where, 'objective.categories', obj.categories, 2);
  readCount(where, 'objective.contexts', obj.contexts ?? 1, 1);
  if (typeof obj.f !== 'function') throw new DomainError(`${where}: argument 'objective.f' must be a function`);
  if (needGrad && typeof obj.gradF !== 'function') throw new DomainError(`${where}: argument 'objective.gradF' is required by this estimator`);
  const l = readVector(where, 'logits', logits, { length: obj.categories });
  return softmax(l);
}

/** Reads logits (ShapeError for empty or nested, DomainError for non-numbers, NonFiniteError for NaN/±Infinity). @internal */
export function assertLogits(where: string, logits: ArrayLike<number>): Float64Array {
  return readVector(where, 'logits', logits);
}

/** Calls `objective.f(z, x)`; throws {@link NonFiniteError} (naming `where`) for a NaN/±Infinity value. @internal */
export function callF(where: string, objective: CategoricalObjective, z: Float64Array, x: number): number {
  const v = objective.f(z, x);
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new NonFiniteError(`${where}: objective.f returned ${String(v)} (context x = ${x})`);
  return v;
}

/**
 * Calls `objective.gradF(z, x)` (checked present by {@link checkObjective}); throws {@link ShapeError} unless it
 * has length K and {@link NonFiniteError} for NaN/±Infinity entries. @internal
 */
export function callGradF(where: string, objective: CategoricalObjective, z: Float64Array, x: number): Float64Array {
  const g = (objective.gradF as (z: Float64Array, x: number) => Float64Array)(z, x);
  const K = objective.categories;
  if (g?.length !== K) throw new ShapeError(`${where}: objective.gradF must return length ${K} (categories), got ${g?.length}`);
  for (let j = 0; j < K; j++) {
    if (!Number.isFinite(g[j])) throw new NonFiniteError(`${where}: objective.gradF returned ${g[j]} at [${j}] (context x = ${x})`);
  }
  return g;
}

/** One-hot vector $e_k$ of length K. */
export function oneHot(k: number, K: number): Float64Array {
  readCount('oneHot', 'K', K, 1);
  readCount('oneHot', 'k', k, 0, K - 1);
  const z = new Float64Array(K);
  z[k] = 1;
  return z;
}

/** Score function of the softmax categorical: $\nabla_\varphi\log q(z=k;\varphi) = e_k - \pi$. */
export function categoricalScore(k: number, probs: ArrayLike<number>): Float64Array {
  const p = readVector('categoricalScore', 'probs', probs);
  let total = 0;
  for (let j = 0; j < p.length; j++) {
    const v = p[j] as number;
    if (v < 0 || v > 1) throw new DomainError(`categoricalScore: argument 'probs' must hold probabilities in [0, 1], got ${v} at [${j}]`);
    total += v;
  }
  if (Math.abs(total - 1) > 1e-9 * p.length) throw new DomainError(`categoricalScore: argument 'probs' must sum to 1, got ${total}`);
  readCount('categoricalScore', 'k', k, 0, p.length - 1);
  const s = p.map((v) => -v);
  s[k] = (s[k] as number) + 1;
  return s;
}

/**
 * Exact value and gradient by enumeration over contexts and categories:
 * $\nabla_\varphi\mathcal L = \tfrac1C\sum_x\sum_k \pi_k f(e_k,x)(e_k-\pi)$.
 * @example exactGradient({ categories: 2, f: (z) => z[0] }, [0, 0]) // { value: 0.5, gradient: [0.25, -0.25] }
 */
export function exactGradient(objective: CategoricalObjective, logits: ArrayLike<number>): { value: number; gradient: Float64Array } {
  const p = checkObjective('exactGradient', objective, logits);
  const K = objective.categories;
  const C = objective.contexts ?? 1;
  const g = new Float64Array(K);
  let value = 0;
  for (let x = 0; x < C; x++) {
    for (let k = 0; k < K; k++) {
      const fk = callF('exactGradient', objective, oneHot(k, K), x);
      const w = ((p[k] as number) * fk) / C;
      value += w;
      for (let j = 0; j < K; j++) g[j] += w * ((j === k ? 1 : 0) - (p[j] as number));
    }
  }
  return { value, gradient: g };
}
