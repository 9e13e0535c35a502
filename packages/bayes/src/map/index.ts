export { type LogDensityAndGrad, type MapOptions, type MapResult, mapEstimate } from './map-estimate.js';
