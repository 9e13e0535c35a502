export {
  type DeepGPLayerJSON,
  type DeepGPModelJSON,
  type DeepGPPrediction,
  type DeepGPProgress,
  type DeepGPSampleOptions,
  type FitDeepGPOptions,
  DeepGPModel,
  fitDeepGP,
  fitDeepGPAsync,
} from './fit.js';
