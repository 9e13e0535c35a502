export {
  AbortError,
  ConvergenceError,
  DomainError,
  NonFiniteError,
  NotesError,
  NotPositiveDefiniteError,
  ResourceError,
  ShapeError,
  DEFAULT_MAX_MEMORY_BYTES,
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
export { describeValue } from './describe.js';
export { checkOption, closestName, defineOptions, describeRule, parseOptions } from './option-spec.js';
export type {
  BooleanRule,
  CustomRule,
  EnumRule,
  FunctionRule,
  NumberRule,
  OptionParser,
  OptionRule,
  OptionsSpec,
  ParsedOptions,
  RngRule,
  SignalRule,
} from './option-spec.js';
export { readLabels, readMatrix, readNumber, readVector } from './inputs.js';
export type { DenseMatrix, MatrixData, ReadMatrixOptions, ReadVectorOptions } from './inputs.js';
export { checkMemory } from './resources.js';
export type { MemoryBudget } from './resources.js';
