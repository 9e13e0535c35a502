/** Variational autoencoder and the IWAE bound (notes: "VAE", "Reparameterization trick"). */
export { fitVAE, fitVAEAsync, klDiagonalGaussian, logMeanExp, VAE_OPTIONS, VAEModel } from './vae.js';
export type { VAEJSON, VAELikelihood, VAELogLikelihood, VAEOptions, VAEProgress } from './vae.js';
