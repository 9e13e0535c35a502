/** EM algorithm (notes: "Latent variable model", "EM Algorithm"). */
export { EM_DEFAULTS, EM_OPTIONS, runEM, runEMAsync } from './em.js';
export type { EMOptions, EMPartial, EMProblem, EMProgress, EMResult } from './em.js';
