import { checkArgument } from './guard.js';

/**
 * Logistic sigmoid $\sigma(x) = \frac{1}{1+e^{-x}}$, evaluated as $e^{x}/(1+e^{x})$ for $x<0$ so neither
 * branch overflows. NaN or a non-number throws (NonFiniteError / DomainError).
 * @example sigmoid(0) // 0.5
 */
export function sigmoid(x: number): number {
  if (typeof x !== 'number' || Number.isNaN(x)) checkArgument('sigmoid', 'x', x);
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/**
 * Softplus $\ln(1+e^{x}) = \max(x,0) + \ln(1 + e^{-|x|})$ (stable for any $x$; ≈ x for large x).
 * @example softplus(0) // ln 2
 */
export function softplus(x: number): number {
  if (typeof x !== 'number' || Number.isNaN(x)) checkArgument('softplus', 'x', x);
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}

/**
 * Log-sigmoid $\ln\sigma(x) = -\mathrm{softplus}(-x)$, stable for large negative $x$ (≈ x).
 * @example logSigmoid(-1000) // -1000
 */
export function logSigmoid(x: number): number {
  if (typeof x !== 'number' || Number.isNaN(x)) checkArgument('logSigmoid', 'x', x);
  return -softplus(-x);
}
