/** EM algorithm (notes: "Latent variable model", "EM Algorithm"). */
export { EM_DEFAULTS, runEM } from './em.js';
export type { EMOptions, EMProblem, EMProgress, EMResult } from './em.js';
