export { causalToeplitz, circulantEmbedding, circulantMatrix, toeplitzMatrix } from './toeplitz.js';
export { causalDirectConv, causalFftConv, circulantEigenvalues, circulantFromEigenvalues } from './circulant-fft.js';
