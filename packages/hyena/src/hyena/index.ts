export { HyenaProjection, hyenaProjection } from './projection.js';
export type { HyenaProjectionOptions, HyenaStreams } from './projection.js';
export { HyenaFilter, hyenaFilter, hyenaPositionalEncoding } from './filter.js';
export type { HyenaFilterOptions } from './filter.js';
export { hyenaMatrixForm, hyenaRecurrence } from './recurrence.js';
export { HyenaOperator, hyenaOperator } from './operator.js';
export type { HyenaForward, HyenaOperatorOptions } from './operator.js';
export { CausalSelfAttention } from './attention.js';
export type { CausalSelfAttentionOptions } from './attention.js';
