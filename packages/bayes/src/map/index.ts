export { type LogDensityAndGrad, MapEstimate, type MapEstimateJSON, type MapOptions, mapEstimate, mapEstimateAsync } from './map-estimate.js';
