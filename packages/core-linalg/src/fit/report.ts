/**
 * The one fit-report shape of @notes: every `fitX` returns a model whose `report` is a {@link FitReport},
 * and every `onProgress` receives at least a {@link FitProgress}.
 */
import { describeValue } from '../errors/describe.js';
import { DomainError } from '../errors/index.js';

/**
 * Why an iterative fit stopped.
 * - `'converged'`: its documented tolerance was met (which one may be named in `FitReport.criterion`);
 * - `'max-iterations'` / `'max-evaluations'`: a budget ran out first;
 * - `'target-reached'`: a user-given target (e.g. a loss or objective value) was reached;
 * - `'unbounded'`: the objective decreases without bound;
 * - `'line-search-failed'`: no step along the search direction decreased the objective;
 * - `'aborted'`: the caller's `AbortSignal` fired (only in the `partial` state of an `AbortError`);
 * - `'completed'`: a fixed-length run (a sampler, a set number of epochs) did all its steps.
 */
export type StopReason =
  | 'converged'
  | 'max-iterations'
  | 'max-evaluations'
  | 'target-reached'
  | 'unbounded'
  | 'line-search-failed'
  | 'aborted'
  | 'completed';

/** Every {@link StopReason}, for validation. */
export const STOP_REASONS: readonly StopReason[] = Object.freeze([
  'converged',
  'max-iterations',
  'max-evaluations',
  'target-reached',
  'unbounded',
  'line-search-failed',
  'aborted',
  'completed',
]);

/** What a fit reports about its own run. Immutable. */
export interface FitReport {
  /** True when the stop reason is a success (`'converged'`, `'target-reached'` or `'completed'`). */
  readonly converged: boolean;
  /** Why the loop stopped. */
  readonly reason: StopReason;
  /** Iterations (EM steps, L-BFGS iterations, epochs, sweeps …) performed. */
  readonly iterations: number;
  /** Objective evaluations, where the method counts them. */
  readonly evaluations?: number;
  /** Wall-clock milliseconds the fit took. */
  readonly elapsedMs: number;
  /** Which tolerance fired, e.g. `'gradTol'`, `'fTol'`, `'tol'` (free text, documented per fit). */
  readonly criterion?: string;
  /** Objective after each iteration, where the fit keeps it. */
  readonly trace?: readonly number[];
}

/** What every `onProgress` callback receives (fits add their own fields). */
export interface FitProgress {
  /** Iterations completed so far. */
  readonly iteration: number;
  /** Current objective (loss, negative log-likelihood, lower bound … as the fit documents). */
  readonly objective: number;
  /** Milliseconds since the fit started. */
  readonly elapsedMs: number;
}

/** Input of {@link makeFitReport}. */
export interface FitReportInput {
  reason: StopReason;
  iterations: number;
  elapsedMs: number;
  evaluations?: number;
  criterion?: string;
  trace?: ArrayLike<number>;
  /** Overrides the default `converged` of the reason. */
  converged?: boolean;
}

/** True for the reasons that count as success. */
export function isSuccessReason(reason: StopReason): boolean {
  return reason === 'converged' || reason === 'target-reached' || reason === 'completed';
}

/**
 * Builds a frozen {@link FitReport} (the trace is copied).
 * @throws DomainError for an input that is not such a record: an unknown reason, a negative or
 * non-integer count, a negative or non-finite `elapsedMs`, a non-string criterion, a non-boolean
 * `converged` or a trace that is not an array of numbers.
 */
export function makeFitReport(input: FitReportInput): FitReport {
  const where = 'makeFitReport';
  const bad = (field: string, expected: string, got: unknown): never => {
    throw new DomainError(`${where}: field '${field}' must be ${expected}, got ${describeValue(got)}`);
  };
  if (typeof input !== 'object' || input === null) bad('input', 'an object', input);
  if (!STOP_REASONS.includes(input.reason)) bad('reason', `one of ${STOP_REASONS.join(', ')}`, input.reason);
  if (!Number.isSafeInteger(input.iterations) || input.iterations < 0) bad('iterations', 'an integer >= 0', input.iterations);
  if (typeof input.elapsedMs !== 'number' || !Number.isFinite(input.elapsedMs) || input.elapsedMs < 0) {
    bad('elapsedMs', 'a finite number >= 0', input.elapsedMs);
  }
  if (input.evaluations !== undefined && (!Number.isSafeInteger(input.evaluations) || input.evaluations < 0)) {
    bad('evaluations', 'an integer >= 0', input.evaluations);
  }
  if (input.criterion !== undefined && typeof input.criterion !== 'string') bad('criterion', 'a string', input.criterion);
  if (input.converged !== undefined && typeof input.converged !== 'boolean') bad('converged', 'a boolean', input.converged);
  if (input.trace !== undefined) {
    const tr = input.trace as unknown;
    if (!(Array.isArray(tr) || ArrayBuffer.isView(tr))) bad('trace', 'an array of numbers', tr);
    for (let i = 0; i < (tr as ArrayLike<unknown>).length; i++) {
      if (typeof (tr as ArrayLike<unknown>)[i] !== 'number') bad(`trace[${i}]`, 'a number', (tr as ArrayLike<unknown>)[i]);
    }
  }
  const report: {
    converged: boolean;
    reason: StopReason;
    iterations: number;
    elapsedMs: number;
    evaluations?: number;
    criterion?: string;
    trace?: readonly number[];
  } = {
    converged: input.converged ?? isSuccessReason(input.reason),
    reason: input.reason,
    iterations: input.iterations,
    elapsedMs: input.elapsedMs,
  };
  if (input.evaluations !== undefined) report.evaluations = input.evaluations;
  if (input.criterion !== undefined) report.criterion = input.criterion;
  if (input.trace !== undefined) report.trace = Object.freeze(Array.from(input.trace));
  return Object.freeze(report);
}

function fail(where: string, field: string, expected: string, got: unknown): never {
  throw new DomainError(`${where}: field 'report.${field}' must be ${expected}, got ${describeValue(got)}`);
}

/**
 * Validates a report read from JSON (`fromJSON`) and returns it frozen. `converged` must agree with `reason`
 * ({@link isSuccessReason}), as every report the packages write does.
 * @throws DomainError naming the first bad field.
 */
export function readFitReport(where: string, value: unknown): FitReport {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(where, '', 'an object', value);
  const r = value as Record<string, unknown>;
  if (typeof r.converged !== 'boolean') fail(where, 'converged', 'a boolean', r.converged);
  if (!STOP_REASONS.includes(r.reason as StopReason)) fail(where, 'reason', `one of ${STOP_REASONS.join(', ')}`, r.reason);
  if (r.converged !== isSuccessReason(r.reason as StopReason)) {
    fail(where, 'converged', `${!r.converged} for reason '${r.reason as string}' (true exactly for the success reasons)`, r.converged);
  }
  if (!Number.isInteger(r.iterations) || (r.iterations as number) < 0) fail(where, 'iterations', 'an integer >= 0', r.iterations);
  if (typeof r.elapsedMs !== 'number' || !(r.elapsedMs >= 0) || !Number.isFinite(r.elapsedMs)) {
    fail(where, 'elapsedMs', 'a finite number >= 0', r.elapsedMs);
  }
  if (r.evaluations !== undefined && (!Number.isInteger(r.evaluations) || (r.evaluations as number) < 0)) {
    fail(where, 'evaluations', 'an integer >= 0', r.evaluations);
  }
  if (r.criterion !== undefined && typeof r.criterion !== 'string') fail(where, 'criterion', 'a string', r.criterion);
  let trace: number[] | undefined;
  if (r.trace !== undefined) {
    if (!Array.isArray(r.trace)) fail(where, 'trace', 'an array of numbers', r.trace);
    trace = (r.trace as unknown[]).map((v, i) => {
      // JSON turns ±Infinity/NaN into null; a trace may legitimately hold -Infinity before the first step.
      if (v === null) return Number.NaN;
      if (typeof v !== 'number') fail(where, `trace[${i}]`, 'a number', v);
      return v as number;
    });
  }
  return makeFitReport({
    converged: r.converged as boolean,
    reason: r.reason as StopReason,
    iterations: r.iterations as number,
    elapsedMs: r.elapsedMs as number,
    ...(r.evaluations !== undefined ? { evaluations: r.evaluations as number } : {}),
    ...(r.criterion !== undefined ? { criterion: r.criterion as string } : {}),
    ...(trace !== undefined ? { trace } : {}),
  });
}
