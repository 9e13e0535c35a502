/**
 * Rebuilds any conjugate model from its `toJSON()` form (exact round trip).
 */
import { DomainError } from '@notes/core-linalg';
import { BetaBernoulli } from './beta-bernoulli.js';
import { BetaBinomial } from './beta-binomial.js';
import { DirichletCategorical } from './dirichlet-categorical.js';
import { DirichletMultinomial } from './dirichlet-multinomial.js';
import { GammaPoisson } from './gamma-poisson.js';
import { GammaPrecision } from './gamma-precision.js';
import { NormalGamma } from './normal-gamma.js';
import { NormalKnownVariance } from './normal-known-variance.js';
import { NormalWishart } from './normal-wishart.js';
import { ParetoUniform } from './pareto-uniform.js';
import type { ConjugateJSON } from './types.js';
import { WishartPrecision } from './wishart-precision.js';

type P = ConjugateJSON['params'];
const num = (p: P, k: string): number => p[k] as number;
const vec = (p: P, k: string): Float64Array => Float64Array.from(p[k] as number[]);
const mat = (p: P, k: string): Float64Array => Float64Array.from((p[k] as number[][]).flat());

const BUILDERS = {
  'normal-known-variance': (p: P) => new NormalKnownVariance(num(p, 'mean'), num(p, 'variance'), num(p, 'noiseVariance')),
  'gamma-precision': (p: P) => new GammaPrecision(num(p, 'mean'), num(p, 'shape'), num(p, 'rate')),
  'normal-gamma': (p: P) => new NormalGamma(num(p, 'mean'), num(p, 'kappa'), num(p, 'shape'), num(p, 'rate')),
  'beta-bernoulli': (p: P) => new BetaBernoulli(num(p, 'alpha'), num(p, 'beta')),
  'beta-binomial': (p: P) => new BetaBinomial(num(p, 'alpha'), num(p, 'beta'), num(p, 'trials')),
  'dirichlet-categorical': (p: P) => new DirichletCategorical(vec(p, 'alpha')),
  'dirichlet-multinomial': (p: P) => new DirichletMultinomial(vec(p, 'alpha'), num(p, 'trials')),
  'gamma-poisson': (p: P) => new GammaPoisson(num(p, 'shape'), num(p, 'rate')),
  'pareto-uniform': (p: P) => new ParetoUniform(num(p, 'scale'), num(p, 'shape')),
  'wishart-precision': (p: P) => new WishartPrecision(vec(p, 'mean'), num(p, 'df'), mat(p, 'scaleInverse')),
  'normal-wishart': (p: P) => new NormalWishart(vec(p, 'mean'), num(p, 'kappa'), num(p, 'df'), mat(p, 'scaleInverse')),
} as const;

/** Any conjugate model of this package. */
export type AnyConjugateModel = ReturnType<(typeof BUILDERS)[keyof typeof BUILDERS]>;

/**
 * Inverse of `model.toJSON()`: `conjugateFromJSON(m.toJSON())` has identical parameters, bit for bit.
 * @throws DomainError for an unknown kind or version
 */
export function conjugateFromJSON(json: ConjugateJSON): AnyConjugateModel {
  const build = (BUILDERS as Record<string, ((p: P) => AnyConjugateModel) | undefined>)[json.kind];
  if (!build || json.version !== 1) {
    throw new DomainError(`conjugateFromJSON: argument 'json' has unknown kind/version ${json.kind}/${json.version}`);
  }
  return build(json.params);
}
