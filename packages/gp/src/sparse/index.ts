export { type FitSGPROptions, type SGPRModelJSON, type SGPRProgress, SGPRModel, fitSGPR, fitSGPRAsync } from './fit.js';
export { type FitSVGPOptions, type SVGPModelJSON, type SVGPProgress, SVGPModel, fitSVGP, fitSVGPAsync } from './svgp-fit.js';
