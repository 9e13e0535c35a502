/** Builds the internal state of a GP model at fixed hyperparameters (Cholesky or CG path), and the data scales. */
import { type CholeskyFactor, DomainError, NonFiniteError, makeFitReport, readVector } from '@notes/core-linalg';
import type { Kernel, Points } from '../kernels/index.js';
import { lmlCG } from './cg.js';
import { lmlCholesky } from './lml.js';
import type { GPFitReport, GPState } from './model.js';

/** Reads targets `y` (length `n`, the rows of X) into a fresh `Float64Array` with core's `readVector`. */
export function readTargets(where: string, y: unknown, n: number): Float64Array {
  return readVector(where, 'y', y, { length: n });
}

/** Mean and standard deviation used by `normalizeY` (std 1 when the targets are constant, as scikit-learn). */
export function targetScaling(y: Float64Array, normalizeY: boolean): { mean: number; std: number } {
  if (!normalizeY) return { mean: 0, std: 1 };
  const n = y.length;
  let mean = 0;
  for (const t of y) mean += t / n;
  let v = 0;
  for (const t of y) v += (t - mean) ** 2;
  const std = Math.sqrt(v / n);
  return { mean, std: std > 0 && Number.isFinite(std) ? std : 1 };
}

/**
 * The data's scales. `lengthFactor` and `varianceFactor` are the inputs' spread and the targets' mean square
 * rounded to the nearest power of 1000 (so data of unit scale, 0.03–30, gets factor 1 and keeps scikit-learn's
 * absolute defaults exactly); `length[j]` and `variance` are the unrounded values used to centre restarts.
 */
export interface DataScales {
  readonly length: Float64Array;
  readonly lengthRms: number;
  readonly variance: number;
  readonly lengthFactor: number;
  readonly varianceFactor: number;
}

function roundTo1000(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) return 1;
  return 1000 ** Math.round(Math.log10(x) / 3);
}

/** Scales of inputs (per-column standard deviation, max |x| for a constant column) and targets (mean square). */
export function dataScales(pts: Points, y: Float64Array): DataScales {
  const { n, d, data } = pts;
  const length = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    let mean = 0;
    let amax = 0;
    for (let i = 0; i < n; i++) {
      mean += (data[i * d + j] as number) / n;
      amax = Math.max(amax, Math.abs(data[i * d + j] as number));
    }
    let v = 0;
    for (let i = 0; i < n; i++) v += ((data[i * d + j] as number) - mean) ** 2 / n;
    const s = Math.sqrt(v);
    length[j] = s > 0 && Number.isFinite(s) ? s : amax > 0 && Number.isFinite(amax) ? amax : 1;
  }
  let rms = 0;
  for (const s of length) rms += (s * s) / d;
  rms = Math.sqrt(rms);
  if (!(rms > 0) || !Number.isFinite(rms)) rms = 1;
  let ms = 0;
  for (const t of y) ms += (t * t) / y.length;
  if (!(ms > 0) || !Number.isFinite(ms)) ms = 1;
  return { length, lengthRms: rms, variance: ms, lengthFactor: roundTo1000(rms), varianceFactor: roundTo1000(ms) };
}

function unitFactor(unit: string | undefined, s: DataScales): number {
  if (unit === 'length') return s.lengthFactor;
  if (unit === 'variance') return s.varianceFactor;
  if (unit === 'inverse-square-length') return 1 / (s.lengthFactor * s.lengthFactor);
  return 1;
}

/** Log bounds of `kernel.theta` with relative (default) bounds multiplied by the data's scale factor. */
export function resolveBounds(kernel: Kernel, s: DataScales): { lower: Float64Array; upper: Float64Array } {
  const { lower, upper } = kernel.bounds;
  let k = 0;
  for (const h of kernel.hyperparameters) {
    if (h.bounds === 'fixed') continue;
    const shift = h.relative ? Math.log(unitFactor(h.unit, s)) : 0;
    for (let i = 0; i < h.value.length; i++, k++) {
      lower[k] = (lower[k] as number) + shift;
      upper[k] = (upper[k] as number) + shift;
    }
  }
  return { lower, upper };
}

/**
 * Centres of the restart draws in log space: a length parameter at the inputs' spread (per column for ARD),
 * a variance at the targets' mean square, 1/x² parameters at 1/spread², dimensionless ones at their given
 * value. Restarts are drawn uniformly within ±2 (a factor e² ≈ 7.4) of these, inside the bounds.
 */
export function restartCenters(kernel: Kernel, s: DataScales, pts: Points): Float64Array {
  const theta = kernel.theta;
  const out = new Float64Array(theta.length);
  let k = 0;
  for (const h of kernel.hyperparameters) {
    if (h.bounds === 'fixed') continue;
    for (let i = 0; i < h.value.length; i++, k++) {
      if (h.unit === 'length') out[k] = Math.log(h.value.length === pts.d && pts.d > 1 ? (s.length[i] as number) : s.lengthRms);
      else if (h.unit === 'variance') out[k] = Math.log(s.variance);
      else if (h.unit === 'inverse-square-length') out[k] = -2 * Math.log(s.lengthRms);
      else out[k] = theta[k] as number;
    }
  }
  return out;
}

/** Model state at the kernel's current hyperparameters; `report` gets the jitter and is frozen. */
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
  const common = { kernel, noise, normalizeY, X, yRaw, y, yMean: mean, yStd: std };
  if (report.method === 'cg') {
    const settings = report.cg;
    if (!settings) throw new DomainError("GP model: report.cg is required when report.method is 'cg'");
    const r = lmlCG(kernel, X, y, noise, settings, false);
    if (!Number.isFinite(r.value)) throw new NonFiniteError(`GP model: the log marginal likelihood is not finite (${r.value})`);
    return {
      ...common,
      alpha: r.alpha,
      factor: null,
      solve: r.solve,
      logMarginalLikelihood: r.value,
      report: freezeReport({ ...report, jitter: 0, cg: settings, logMarginalLikelihoodStdErr: r.valueStdErr }),
    };
  }
  const r = lmlCholesky(kernel, X, y, noise, false);
  const factor = r.factor as CholeskyFactor; // always kept without the gradient
  if (!Number.isFinite(r.value)) throw new NonFiniteError(`GP model: the log marginal likelihood is not finite (${r.value}); rescale the data`);
  return {
    ...common,
    alpha: r.alpha,
    factor,
    solve: (b) => factor.solve(b),
    logMarginalLikelihood: r.value,
    report: freezeReport({ ...report, jitter: factor.jitter }),
  };
}

/** A frozen {@link GPFitReport}: core's `makeFitReport` fields plus the GP extension, arrays copied and frozen. */
export function freezeReport(r: GPFitReport): GPFitReport {
  const base = makeFitReport({
    reason: r.reason,
    iterations: r.iterations,
    elapsedMs: r.elapsedMs,
    ...(r.evaluations !== undefined ? { evaluations: r.evaluations } : {}),
    ...(r.criterion !== undefined ? { criterion: r.criterion } : {}),
    ...(r.trace !== undefined ? { trace: r.trace } : {}),
    ...(r.converged !== undefined ? { converged: r.converged } : {}),
  });
  const out: GPFitReport = {
    ...base,
    restarts: Object.freeze([...r.restarts]),
    startEvaluations: Object.freeze([...r.startEvaluations]),
    boundHits: Object.freeze([...r.boundHits]),
    jitter: r.jitter,
    method: r.method,
    scales: Object.freeze({ ...r.scales }),
    ...(r.logMarginalLikelihoodStdErr !== undefined ? { logMarginalLikelihoodStdErr: r.logMarginalLikelihoodStdErr } : {}),
    ...(r.cg !== undefined ? { cg: Object.freeze({ ...r.cg }) } : {}),
  };
  return Object.freeze(out);
}
