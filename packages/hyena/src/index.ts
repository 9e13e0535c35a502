/**
 * @notes/hyena — the notes' long-convolution chapter: state-space models, Toeplitz/circulant matrices
 * and FFT convolution, memory profiles, the Hyena operator, and a trainable causal sequence model with the
 * associative-recall task.
 * @packageDocumentation
 */
export * from './ssm/index.js';
export * from './toeplitz/index.js';
export * from './memory/index.js';
export * from './hyena/index.js';
export * from './sequence/index.js';
