/** Builds the internal state of a GP model at fixed hyperparameters (Cholesky or CG path). */
import { DomainError, NonFiniteError, assertFinite, assertLength, withDefaults } from '@notes/core-linalg';
import type { Kernel, Points } from '../kernels/index.js';
import { CG_DEFAULTS, lmlCG } from './cg.js';
import { lmlCholesky } from './lml.js';
import type { GPFitReport, GPState } from './model.js';

/** Validates targets `y` against the rows of `X` (errors name `where`) and copies them. */
export function toTargets(where: string, y: ArrayLike<number>, X: Points): Float64Array {
  if (y === null || typeof y !== 'object' || typeof y.length !== 'number') {
    throw new DomainError(`${where}: argument 'y' must be an array of numbers, got ${typeof y}`);
  }
  assertLength(where, 'y', y, X.n, 'rows of X');
  for (let i = 0; i < y.length; i++) {
    // null (a NaN after JSON.stringify) or a non-number would be coerced by Float64Array.from
    if (typeof y[i] !== 'number') throw new NonFiniteError(`${where}: argument 'y' must hold finite numbers, got ${y[i] === null ? 'null' : typeof y[i]} at [${i}]`);
  }
  assertFinite(where, 'y', y);
  return Float64Array.from(y);
}

/** Mean and standard deviation used by `normalizeY` (std 1 when the targets are constant, as scikit-learn). */
export function targetScaling(y: Float64Array, normalizeY: boolean): { mean: number; std: number } {
  if (!normalizeY) return { mean: 0, std: 1 };
  const n = y.length;
  const mean = y.reduce((a, b) => a + b, 0) / n;
  let v = 0;
  for (const t of y) v += (t - mean) ** 2;
  const std = Math.sqrt(v / n);
  return { mean, std: std > 0 ? std : 1 };
}

/** Model state at the kernel's current hyperparameters. */
export function buildState(
  X: Points,
  yRaw: Float64Array,
  kernel: Kernel,
  noise: number,
  normalizeY: boolean,
  report: GPFitReport,
): GPState {
  const { mean, std } = targetScaling(yRaw, normalizeY);
  const y = yRaw.map((v) => (v - mean) / std);
  if (report.method === 'cg') {
    const settings = withDefaults({ ...CG_DEFAULTS, seed: 0 }, report.cg);
    const r = lmlCG(kernel, X, y, noise, settings, false);
    return {
      kernel, noise, normalizeY, X, yRaw, y, yMean: mean, yStd: std,
      alpha: r.alpha, factor: null, solve: r.solve, logMarginalLikelihood: r.value,
      report: { ...report, jitter: 0, cg: settings, logMarginalLikelihoodStdErr: r.valueStdErr },
    };
  }
  const r = lmlCholesky(kernel, X, y, noise, false);
  return {
    kernel, noise, normalizeY, X, yRaw, y, yMean: mean, yStd: std,
    alpha: r.alpha, factor: r.factor, solve: (b) => r.factor.solve(b), logMarginalLikelihood: r.value,
    report: { ...report, jitter: r.factor.jitter },
  };
}
