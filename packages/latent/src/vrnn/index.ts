/** Variational RNN, its GRU baseline, and the Kalman filter reference (notes: "Variational RNN"). */
export { fitRNNGaussian, fitRNNGaussianAsync, fitVRNN, fitVRNNAsync, klDiagonalGaussians, VRNN_OPTIONS, VRNNModel } from './vrnn.js';
export type { SequenceData, VRNNJSON, VRNNOptions, VRNNProgress } from './vrnn.js';
export { exampleLGSSM, kalmanLogLikelihood, sampleLGSSM } from './kalman.js';
export type { LinearGaussianSSM } from './kalman.js';
