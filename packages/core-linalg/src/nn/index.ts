/**
 * nn: layers (Linear, MLP, GRUCell, Conv1d, Conv2d, DepthwiseSeparableConv2d, Embedding, LayerNorm)
 * built on the autodiff `Tensor`, seeded initialisation, losses, optimisers over tensors, a training
 * loop, and the notes' convolution parameter counts.
 * @packageDocumentation
 */
export { Module } from './module.js';
export type { ModuleJSON, ParameterJSON } from './module.js';
export { glorotUniform, heNormal } from './init.js';
export type { InitKind, InitOptions } from './init.js';
export { Linear } from './linear.js';
export type { LinearOptions } from './linear.js';
export { MLP } from './mlp.js';
export type { Activation, MLPOptions } from './mlp.js';
export { GRUCell } from './gru.js';
export { Conv1d, Conv2d, DepthwiseSeparableConv2d } from './conv.js';
export type { ConvLayerOptions } from './conv.js';
export { Embedding } from './embedding.js';
export { LayerNorm } from './layernorm.js';
export { accuracy, bceWithLogitsLoss, crossEntropyWithLogitsLoss, gaussianNllLoss, mseLoss } from './losses.js';
export { clipGradNorm, createAdamOptimizer, createSgdOptimizer } from './optimizers.js';
export type { AdamOptimizerOptions, Optimizer, SgdOptimizerOptions } from './optimizers.js';
export { train, trainAsync } from './train.js';
export type { TrainOptions, TrainPartial, TrainProgress, TrainResult } from './train.js';
export { convMultiplyCount, convParameterCount } from './conv-count.js';
export type { ConvCount } from './conv-count.js';
