/** Gaussian mixtures and k-means (notes: "Categorical latent variables"). */
export { fitGaussianMixture, GMM_DEFAULTS } from './gaussian-mixture.js';
export type { GaussianMixtureInit, GaussianMixtureOptions, GaussianMixtureProgress } from './gaussian-mixture.js';
export { GaussianMixtureModel } from './gaussian-mixture-model.js';
export type { GaussianMixtureJSON } from './gaussian-mixture-model.js';
export type { CovarianceType } from './gaussian-params.js';
export { kmeans, KMEANS_DEFAULTS } from './kmeans.js';
export type { KMeansOptions, KMeansResult } from './kmeans.js';
