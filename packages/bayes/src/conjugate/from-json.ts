/**
 * Rebuilds any conjugate model from its `toJSON()` form (exact round trip).
 */
import { assertFinite, assertPositive, DomainError, readNumber, readVector } from '@notes/core-linalg';
import { readSymmetric } from '../internal/input.js';
import { betaBernoulli } from './beta-bernoulli.js';
import { betaBinomial } from './beta-binomial.js';
import { dirichletCategorical } from './dirichlet-categorical.js';
import { dirichletMultinomial } from './dirichlet-multinomial.js';
import { gammaPoisson } from './gamma-poisson.js';
import { gammaPrecision } from './gamma-precision.js';
import { normalGamma } from './normal-gamma.js';
import { normalKnownVariance } from './normal-known-variance.js';
import { NormalWishart } from './normal-wishart.js';
import { paretoUniform } from './pareto-uniform.js';
import type { ConjugateJSON } from './types.js';
import { WishartPrecision } from './wishart-precision.js';

type P = ConjugateJSON['params'];
const W = 'conjugateFromJSON';
const num = (p: P, k: string): number => p[k] as number;
const vec = (p: P, k: string): Float64Array => readVector(W, `json.params.${k}`, p[k] as number[]);

/**
 * W⁻¹ and ν of the Wishart kinds, checked as their factories check W (symmetric, finite, ν > d − 1);
 * the constructors reject a W⁻¹ that is not positive definite.
 */
function wishartParts(p: P, d: number): { df: number; scaleInv: Float64Array } {
  const s = readSymmetric(W, 'json.params.scaleInverse', p.scaleInverse as number[][], d);
  const df = num(p, 'df');
  assertFinite(W, 'json.params.df', readNumber(W, 'json.params.df', df));
  if (!(df > d - 1)) throw new DomainError(`${W}: argument 'json.params.df' must be > d − 1 = ${d - 1}, got ${df}`);
  return { df, scaleInv: s.data };
}

// The scalar kinds go through their public factories, so invalid parameters throw the same typed errors.
const BUILDERS = {
  'normal-known-variance': (p: P) =>
    normalKnownVariance({ mean: num(p, 'mean'), variance: num(p, 'variance'), noiseVariance: num(p, 'noiseVariance') }),
  'gamma-precision': (p: P) => gammaPrecision({ mean: num(p, 'mean'), shape: num(p, 'shape'), rate: num(p, 'rate') }),
  'normal-gamma': (p: P) =>
    normalGamma({ mean: num(p, 'mean'), kappa: num(p, 'kappa'), shape: num(p, 'shape'), rate: num(p, 'rate') }),
  'beta-bernoulli': (p: P) => betaBernoulli({ alpha: num(p, 'alpha'), beta: num(p, 'beta') }),
  'beta-binomial': (p: P) => betaBinomial({ alpha: num(p, 'alpha'), beta: num(p, 'beta'), trials: num(p, 'trials') }),
  'dirichlet-categorical': (p: P) => dirichletCategorical({ alpha: vec(p, 'alpha') }),
  'dirichlet-multinomial': (p: P) => dirichletMultinomial({ alpha: vec(p, 'alpha'), trials: num(p, 'trials') }),
  'gamma-poisson': (p: P) => gammaPoisson({ shape: num(p, 'shape'), rate: num(p, 'rate') }),
  'pareto-uniform': (p: P) => paretoUniform({ scale: num(p, 'scale'), shape: num(p, 'shape') }),
  'wishart-precision': (p: P) => {
    const mean = vec(p, 'mean');
    const { df, scaleInv } = wishartParts(p, mean.length);
    return new WishartPrecision(mean, df, scaleInv);
  },
  'normal-wishart': (p: P) => {
    const mean = vec(p, 'mean');
    assertPositive(W, 'json.params.kappa', num(p, 'kappa'));
    const { df, scaleInv } = wishartParts(p, mean.length);
    return new NormalWishart(mean, num(p, 'kappa'), df, scaleInv);
  },
} as const;

/** Any conjugate model of this package. */
export type AnyConjugateModel = ReturnType<(typeof BUILDERS)[keyof typeof BUILDERS]>;

/**
 * Inverse of `model.toJSON()`: `conjugateFromJSON(m.toJSON())` has identical parameters, bit for bit.
 * @throws DomainError for an unknown kind or version, or parameters the model's factory would reject (the same
 *   typed errors: DomainError / NonFiniteError / ShapeError naming `json.params.<name>` or the factory's argument)
 */
export function conjugateFromJSON(json: ConjugateJSON): AnyConjugateModel {
  if (json === null || typeof json !== 'object' || json.params === null || typeof json.params !== 'object') {
    throw new DomainError(`${W}: argument 'json' must be an object { kind, version, params } from toJSON()`);
  }
  const build = (BUILDERS as Record<string, ((p: P) => AnyConjugateModel) | undefined>)[json.kind];
  if (!build || json.version !== 1) {
    throw new DomainError(`conjugateFromJSON: argument 'json' has unknown kind/version ${json.kind}/${json.version}`);
  }
  return build(json.params);
}
