/**
 * @notes/latent — latent-variable models from the notes: the EM driver, Gaussian mixtures and k-means,
 * PCA / probabilistic PCA / mixture of PPCA, and gradient estimators for discrete and continuous latents.
 * @packageDocumentation
 */
export * from './em/index.js';
export * from './mixture/index.js';
export * from './pca/index.js';
export * from './discrete/index.js';
export * from './reparam/index.js';
export * from './vae/index.js';
export * from './vrnn/index.js';
export * from './flows/index.js';
export * from './contrastive/index.js';
