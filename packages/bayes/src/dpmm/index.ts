export type { DPMMBase } from './families.js';
export { type DPMMOptions, type DPMMPartial, type DPMMProgress, fitDPMM, fitDPMMAsync } from './fit-dpmm.js';
export { type DPMMJSON, DPMMModel, type DPMMState } from './model.js';
export { adjustedRandIndex } from './ari.js';
