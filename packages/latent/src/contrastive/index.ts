/**
 * Prototypical contrastive learning (notes: 聚类 · Prototypical Contrastive Learning): encoders trained
 * with ProtoNCE or InfoNCE ({@link fitProtoNCE}, {@link fitProtoNCEAsync}, {@link ContrastiveModel}) and
 * the clustering scores used to evaluate them ({@link normalizedMutualInfo}, {@link adjustedMutualInfo}).
 * @packageDocumentation
 */
export { ContrastiveModel, fitProtoNCE, fitProtoNCEAsync } from './protonce.js';
export type { ContrastiveModelJSON, EmbedOptions, EncoderConfig, ProtoNCEOptions, ProtoNCEProgress } from './protonce.js';
export { adjustedMutualInfo, normalizedMutualInfo } from './metrics.js';
