/**
 * Typed errors shared by every @notes package.
 *
 * Callers tell errors apart by `code` (or `instanceof`), never by matching the message.
 * Messages follow one form: `<where>: argument '<name>' <expected>, got <received>`.
 */

/** Machine-readable error codes. */
export type NotesErrorCode =
  | 'notes'
  | 'shape'
  | 'domain'
  | 'non-finite'
  | 'not-positive-definite'
  | 'convergence'
  | 'aborted'
  | 'resource';

/** Base class of every error thrown by @notes packages. */
export class NotesError extends Error {
  /** Stable machine-readable code; subclasses narrow it. */
  readonly code: NotesErrorCode = 'notes';
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** An argument has the wrong shape, length or dimensions (or is empty where data is required). */
export class ShapeError extends NotesError {
  override readonly code: NotesErrorCode = 'shape';
}

/** An argument is outside its mathematical domain (e.g. a negative variance, a probability above 1). */
export class DomainError extends NotesError {
  override readonly code: NotesErrorCode = 'domain';
}

/** An argument holds NaN or ±Infinity where finite numbers are required. */
export class NonFiniteError extends DomainError {
  override readonly code: NotesErrorCode = 'non-finite';
}

/** A matrix that must be symmetric positive definite is not, even after the allowed jitter. */
export class NotPositiveDefiniteError extends NotesError {
  override readonly code: NotesErrorCode = 'not-positive-definite';
  /** The largest diagonal jitter that was tried before giving up. */
  readonly jitterTried: number;
  constructor(message: string, jitterTried = 0) {
    super(message);
    this.jitterTried = jitterTried;
  }
}

/** An iterative method failed to converge where convergence is required (not raised for a mere iteration cap). */
export class ConvergenceError extends NotesError {
  override readonly code: NotesErrorCode = 'convergence';
  /** Iterations performed before giving up. */
  readonly iterations: number;
  constructor(message: string, iterations = 0) {
    super(message);
    this.iterations = iterations;
  }
}

/**
 * A long-running computation was stopped through its `AbortSignal`.
 *
 * `partial` holds the best state reached before the abort where the computation has one (an L-BFGS
 * or EM iterate, a Bayesian-optimisation trace and best point, a partly trained model); it is
 * `undefined` otherwise. Each function documents what its `partial` is.
 */
export class AbortError extends NotesError {
  override readonly code: NotesErrorCode = 'aborted';
  /** The best state so far, or `undefined` when the computation has none. */
  readonly partial: unknown;
  constructor(message: string, partial?: unknown) {
    super(message);
    this.partial = partial;
  }
}

/**
 * A call would need more memory than its budget allows (option `maxMemoryBytes`, default
 * {@link DEFAULT_MAX_MEMORY_BYTES}); raised before anything large is allocated. The message names the
 * size and the scalable alternative.
 */
export class ResourceError extends NotesError {
  override readonly code: NotesErrorCode = 'resource';
  /** Estimated bytes the call would allocate. */
  readonly bytes: number;
  /** The budget in bytes that was exceeded. */
  readonly budget: number;
  constructor(message: string, bytes: number, budget: number) {
    super(message);
    this.bytes = bytes;
    this.budget = budget;
  }
}

/** Default memory budget of calls that allocate O(n²) or more: 2 GiB. */
export const DEFAULT_MAX_MEMORY_BYTES = 2 * 1024 ** 3;
