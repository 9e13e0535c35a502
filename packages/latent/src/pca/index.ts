/** PCA, probabilistic PCA and mixtures of PPCA (notes: "Mixture PCA"). */
export { fitPCA, PCA_DEFAULTS, PCA_OPTIONS, PCAModel } from './pca.js';
export type { PCAJSON, PCAOptions } from './pca.js';
export { fitPPCA, fitPPCAAsync, PPCA_DEFAULTS, PPCA_OPTIONS } from './ppca.js';
export type { PPCAOptions, PPCAProgress } from './ppca.js';
export { PPCAModel } from './ppca-model.js';
export type { PPCAJSON } from './ppca-model.js';
export { fitMixturePPCA, fitMixturePPCAAsync, MPPCA_DEFAULTS, MPPCA_OPTIONS } from './mixture-ppca.js';
export type { MixturePPCAOptions, MixturePPCAProgress } from './mixture-ppca.js';
export { MixturePPCAModel } from './mixture-ppca-model.js';
export type { MixturePPCAJSON } from './mixture-ppca-model.js';
