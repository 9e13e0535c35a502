/**
 * Optimal transport (notes: GAN — Optimal transport, Wasserstein distance).
 * @packageDocumentation
 */
export { costMatrix } from './cost.js';
export type { CostMetric } from './cost.js';
export { emd } from './emd.js';
export type { EmdOptions, EmdResult, OtPotentials } from './emd.js';
export { sinkhorn } from './sinkhorn.js';
export type { SinkhornOptions, SinkhornResult } from './sinkhorn.js';
export { wasserstein1d } from './wasserstein1d.js';
export type { Wasserstein1dOptions } from './wasserstein1d.js';
export { kantorovichDualCheck } from './dual.js';
export type { DualCheck } from './dual.js';
export { gaussianWasserstein1d } from './gaussian-wasserstein.js';
export type { Normal1d } from './gaussian-wasserstein.js';
