/**
 * @notes/core-linalg — the numerical core shared by every @notes package.
 * Each concern is a folder of `src/` and also a subpath export (`@notes/core-linalg/fft`).
 * @packageDocumentation
 */
export * from './errors/index.js';
export * from './linalg/index.js';
export * from './fft/index.js';
export * from './random/index.js';
export * from './special/index.js';
export * from './montecarlo/index.js';
export * from './optim/index.js';
export * from './autodiff/index.js';
export * from './nn/index.js';
export * from './wasm/index.js';
export * from './fit/index.js';
