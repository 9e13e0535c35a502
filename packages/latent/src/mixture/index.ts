/** Gaussian mixtures and k-means (notes: "Categorical latent variables"). */
export { fitGaussianMixture, fitGaussianMixtureAsync, GMM_DEFAULTS, GMM_OPTIONS } from './gaussian-mixture.js';
export type { GaussianMixtureInit, GaussianMixtureOptions, GaussianMixtureProgress } from './gaussian-mixture.js';
export { GaussianMixtureModel } from './gaussian-mixture-model.js';
export type { GaussianMixtureJSON } from './gaussian-mixture-model.js';
export type { CovarianceType } from './gaussian-params.js';
export { KMeansModel, kmeans, kmeansAsync, KMEANS_DEFAULTS, KMEANS_OPTIONS } from './kmeans.js';
export type { KMeansJSON, KMeansOptions } from './kmeans.js';
