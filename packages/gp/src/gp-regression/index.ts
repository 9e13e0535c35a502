export { type CGOptions, type FitGPOptions, type GPProgress, type LogMarginalLikelihoodOptions, fitGP, fitGPAsync, logMarginalLikelihood } from './fit.js';
export {
  type CGSettings,
  type GPFitReport,
  GPModel,
  type GPModelJSON,
  type GPPredictAsyncOptions,
  type GPPredictOptions,
  type GPPrediction,
  type GPSampleOptions,
} from './model.js';
export type { GPWorkerPool } from '../parallel/protocol.js';
