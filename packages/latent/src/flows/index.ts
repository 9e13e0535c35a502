/**
 * Normalizing flows (notes: Normalizing Flows): RealNVP affine coupling stacks fitted by maximum
 * likelihood ({@link fitRealNVP}, {@link fitRealNVPAsync}) and the fitted {@link FlowModel}.
 * @packageDocumentation
 */
export { FlowModel, fitRealNVP, fitRealNVPAsync } from './realnvp.js';
export type { FlowModelJSON, FlowSampleOptions, RealNVPOptions, RealNVPProgress } from './realnvp.js';
export type { FlowConfig } from './layers.js';
