/**
 * Adversarial training (notes: GAN, Gan Algorithm; f-GAN; WGAN with a spectrally normalised critic).
 * @packageDocumentation
 */
export { adversarialLosses, criticValue, GAN_OBJECTIVES } from './losses.js';
export type { GanObjective, LossInputs } from './losses.js';
export { GANModel } from './model.js';
export type { GANModelJSON } from './model.js';
export { trainGAN, trainGANAsync } from './train.js';
export type { GANProgress, TrainGANOptions } from './train.js';
export { modeCoverage, ringModes, gridModes, sampleMixture } from './metrics.js';
export type { ModeCoverage } from './metrics.js';
export { refineSamples, refineSamplesAsync } from './refine.js';
export type { RatioSource, RefinedSample, RefineOptions } from './refine.js';
