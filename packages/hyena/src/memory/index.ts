export { memoryProfile, ssmOperator } from './profile.js';
export type { MemoryProfileOptions } from './profile.js';
export { bosLogitProfile, sinusoidalEncoding } from './attention-logits.js';
export type { AttentionHead, BosExperimentOptions } from './attention-logits.js';
