export { causalToeplitz, circulantEmbedding, circulantMatrix, toeplitzMatrix } from './toeplitz.js';
export type { DenseMatrixOptions } from './toeplitz.js';
export { causalDirectConv, causalFftConv, circulantEigenvalues, circulantFromEigenvalues } from './circulant-fft.js';
