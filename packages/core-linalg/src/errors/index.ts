export {
  AbortError,
  ConvergenceError,
  DomainError,
  NonFiniteError,
  NotesError,
  NotPositiveDefiniteError,
  ShapeError,
} from './errors.js';
export type { NotesErrorCode } from './errors.js';
export {
  assertFinite,
  assertInRange,
  assertInteger,
  assertLength,
  assertNonEmpty,
  assertNonNegative,
  assertPositive,
  assertProbabilityVector,
  assertShape,
  assertSquare,
  isMatrixLike,
  throwIfAborted,
} from './validate.js';
export type { MatrixLike } from './validate.js';
export { withDefaults } from './options.js';
export type { WithDefaults } from './options.js';
