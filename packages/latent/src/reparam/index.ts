/** Reparameterisation-trick samplers with pathwise gradients (notes: "Reparameterization trick"). */
export { mvnPathwiseGradient, reparamExponential, reparamGamma, reparamLogistic, reparamMultivariateNormal, reparamNormal } from './reparam.js';
