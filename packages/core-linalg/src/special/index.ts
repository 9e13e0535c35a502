export {
  betaln,
  digamma,
  erf,
  erfc,
  erfinv,
  expm1,
  factorialln,
  gammainc,
  gammaincUpper,
  gammaln,
  log1p,
  logit,
  trigamma,
} from './stdlib.js';
export { logSigmoid, sigmoid, softplus } from './logistic.js';
export { normalCdf, normalLogPdf, normalPdf, normalQuantile } from './normal.js';
export { multigammaln } from './multigammaln.js';
