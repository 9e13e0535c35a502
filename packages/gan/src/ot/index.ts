/**
 * Optimal transport (notes: GAN — Optimal transport, Wasserstein distance).
 * @packageDocumentation
 */
export { costMatrix } from './cost.js';
export type { CostMatrixOptions, CostMetric } from './cost.js';
export { emd, emdAsync } from './emd.js';
export type { EmdOptions, EmdProgress, EmdResult, OtPotentials } from './emd.js';
export { sinkhorn, sinkhornAsync } from './sinkhorn.js';
export type { SinkhornOptions, SinkhornProgress, SinkhornResult } from './sinkhorn.js';
export { wasserstein1d } from './wasserstein1d.js';
export type { Wasserstein1dOptions } from './wasserstein1d.js';
export { kantorovichDualCheck } from './dual.js';
export type { DualCheck } from './dual.js';
export { gaussianWasserstein1d } from './gaussian-wasserstein.js';
export type { Normal1d } from './gaussian-wasserstein.js';
