/**
 * @notes/hyena — the notes' long-convolution chapter: state-space models, Toeplitz/circulant matrices
 * and FFT convolution, memory profiles, and the Hyena operator.
 * @packageDocumentation
 */
export * from './ssm/index.js';
export * from './toeplitz/index.js';
export * from './memory/index.js';
export * from './hyena/index.js';
