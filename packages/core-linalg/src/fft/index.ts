export { fft, ifft } from './fft.js';
export type { Complex } from './fft.js';
export { rfft, irfft } from './rfft.js';
export { dft, dftMatrix } from './dft.js';
export type { DftMatrixOptions } from './dft.js';
export { circularConvolve, CONVOLVE_FFT_CROSSOVER, convolve } from './convolve.js';
export type { ConvolveOptions } from './convolve.js';
export { nextPowerOfTwo } from './plan.js';
