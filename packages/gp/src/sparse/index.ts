export { type FitSGPROptions, type SGPRModelJSON, type SGPRProgress, SGPRModel, fitSGPR, fitSGPRAsync } from './fit.js';
