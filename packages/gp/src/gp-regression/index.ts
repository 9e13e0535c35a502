export { type FitGPOptions, type GPProgress, fitGP, logMarginalLikelihood } from './fit.js';
export { type CGSettings, type GPFitReport, GPModel, type GPModelJSON, type GPPrediction } from './model.js';
