/** PCA, probabilistic PCA and mixtures of PPCA (notes: "Mixture PCA"). */
export { fitPCA, PCA_DEFAULTS, PCAModel } from './pca.js';
export type { PCAJSON, PCAOptions } from './pca.js';
export { fitPPCA, PPCA_DEFAULTS } from './ppca.js';
export type { PPCAOptions } from './ppca.js';
export { PPCAModel } from './ppca-model.js';
export type { PPCAJSON } from './ppca-model.js';
export { fitMixturePPCA, MPPCA_DEFAULTS } from './mixture-ppca.js';
export type { MixturePPCAOptions } from './mixture-ppca.js';
export { MixturePPCAModel } from './mixture-ppca-model.js';
export type { MixturePPCAJSON } from './mixture-ppca-model.js';
