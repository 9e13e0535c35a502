/**
 * Univariate predictive distributions of the conjugate pairs: Normal, Student-t, negative binomial,
 * Bernoulli, categorical and the Pareto–uniform predictive. Each factory checks its parameters before any work
 * (DomainError / NonFiniteError naming the argument: variances, scales, df, rates > 0; p in [0, 1] or on the simplex).
 */
import { assertFinite, assertInRange, assertPositive, assertProbabilityVector, describeValue, DomainError, factorialln, gammaln, NonFiniteError, readNumber, sampleCategorical, sampleGamma, sampleNormal, samplePoisson, sampleUniform } from '@notes/core-linalg';
import { type RngInput, rngOf } from '../internal/fit.js';
import type { ContinuousDistribution, DiscreteDistribution } from './types.js';

const LOG_2PI = Math.log(2 * Math.PI);

/** NaN has no density: NonFiniteError naming `x` (±Infinity is fine, its density is 0). */
function notNaN(where: string, x: number): number {
  if (typeof x !== 'number') throw new DomainError(`${where}: argument 'x' must be a number, got ${describeValue(x)}`);
  if (Number.isNaN(x)) throw new NonFiniteError(`${where}: argument 'x' must not be NaN`);
  return x;
}

/** Normal $\mathcal N(\mu, \sigma^2)$: $\log p(x) = -\tfrac12\log(2\pi\sigma^2) - (x-\mu)^2/(2\sigma^2)$. */
export function normalDistribution(mu: number, variance: number): ContinuousDistribution<number> {
  assertFinite('normalDistribution', 'mu', readNumber('normalDistribution', 'mu', mu));
  assertPositive('normalDistribution', 'variance', readNumber('normalDistribution', 'variance', variance));
  return Object.freeze({
    kind: 'normal',
    logPdf: (x: number) => -0.5 * (LOG_2PI + Math.log(variance)) - ((notNaN('normal.logPdf', x) - mu) * (x - mu)) / (2 * variance),
    mean: () => mu,
    variance: () => variance,
    sample: (r: RngInput) => {
      const rng = rngOf('normalDistribution.sample', r);
      return sampleNormal(rng, mu, Math.sqrt(variance));
    },
  });
}

/**
 * Student-t with `df` degrees of freedom, location `loc` and squared scale `scale2`:
 * $$\log p(x) = \log\Gamma\!\left(\tfrac{\nu+1}2\right) - \log\Gamma\!\left(\tfrac\nu2\right) - \tfrac12\log(\nu\pi s^2)
 *   - \tfrac{\nu+1}2\log\!\left(1 + \tfrac{(x-m)^2}{\nu s^2}\right).$$
 * Variance $\nu s^2/(\nu-2)$ for ν > 2, `Infinity` otherwise; the mean throws for ν ≤ 1.
 */
export function studentTDistribution(df: number, loc: number, scale2: number): ContinuousDistribution<number> {
  assertPositive('studentTDistribution', 'df', readNumber('studentTDistribution', 'df', df));
  assertFinite('studentTDistribution', 'loc', readNumber('studentTDistribution', 'loc', loc));
  assertPositive('studentTDistribution', 'scale2', readNumber('studentTDistribution', 'scale2', scale2));
  const c = gammaln((df + 1) / 2) - gammaln(df / 2) - 0.5 * Math.log(df * Math.PI * scale2);
  return Object.freeze({
    kind: 'student-t',
    logPdf: (x: number) => c - ((df + 1) / 2) * Math.log1p(((notNaN('studentT.logPdf', x) - loc) * (x - loc)) / (df * scale2)),
    mean: () => {
      if (!(df > 1)) throw new DomainError(`studentT.mean: the mean does not exist for df = ${df} ≤ 1`);
      return loc;
    },
    variance: () => (df > 2 ? (df * scale2) / (df - 2) : Number.POSITIVE_INFINITY),
    sample: (r: RngInput) => {
      const rng = rngOf('studentTDistribution.sample', r);
      const g = sampleGamma(rng, df / 2, df / 2); // precision multiplier, mean 1
      return loc + sampleNormal(rng) * Math.sqrt(scale2 / g);
    },
  });
}

/**
 * Negative binomial, the Poisson–Gamma predictive with posterior Gamma(a, rate b):
 * $$p(x) = \frac{\Gamma(a+x)}{\Gamma(a)\,x!}\left(\frac{b}{b+1}\right)^a\left(\frac1{b+1}\right)^x,$$
 * mean a/b, variance a(b+1)/b².
 */
export function negativeBinomialDistribution(a: number, b: number): DiscreteDistribution<number> {
  assertPositive('negativeBinomialDistribution', 'a', readNumber('negativeBinomialDistribution', 'a', a));
  assertPositive('negativeBinomialDistribution', 'b', readNumber('negativeBinomialDistribution', 'b', b));
  const la = a * Math.log(b / (b + 1)) - gammaln(a);
  const lq = -Math.log(b + 1);
  return Object.freeze({
    kind: 'negative-binomial',
    logPmf: (x: number) =>
      Number.isInteger(x) && x >= 0 ? la + gammaln(a + x) - factorialln(x) + x * lq : Number.NEGATIVE_INFINITY,
    mean: () => a / b,
    variance: () => (a * (b + 1)) / (b * b),
    sample: (r: RngInput) => {
      const rng = rngOf('negativeBinomialDistribution.sample', r);
      return samplePoisson(rng, sampleGamma(rng, a, b));
    },
  });
}

/** Bernoulli(p): $\log p(x) = x\log p + (1-x)\log(1-p)$ for x ∈ {0, 1}. */
export function bernoulliDistribution(p: number): DiscreteDistribution<number> {
  assertInRange('bernoulliDistribution', 'p', readNumber('bernoulliDistribution', 'p', p), 0, 1);
  return Object.freeze({
    kind: 'bernoulli',
    logPmf: (x: number) => (x === 1 ? Math.log(p) : x === 0 ? Math.log1p(-p) : Number.NEGATIVE_INFINITY),
    mean: () => p,
    variance: () => p * (1 - p),
    sample: (r: RngInput) => {
      const rng = rngOf('bernoulliDistribution.sample', r);
      return (sampleUniform(rng) < p ? 1 : 0);
    },
  });
}

/** Categorical(p) over 0..K−1 (mean and variance are of the one-hot vector). */
export function categoricalDistribution(p: Float64Array): DiscreteDistribution<number, Float64Array> {
  assertProbabilityVector('categoricalDistribution', 'p', p);
  const probs = Float64Array.from(p);
  return Object.freeze({
    kind: 'categorical',
    logPmf: (x: number) =>
      Number.isInteger(x) && x >= 0 && x < probs.length ? Math.log(probs[x] as number) : Number.NEGATIVE_INFINITY,
    mean: () => Float64Array.from(probs),
    variance: () => probs.map((q) => q * (1 - q)),
    sample: (r: RngInput) => {
      const rng = rngOf('categoricalDistribution.sample', r);
      return sampleCategorical(rng, probs);
    },
  });
}

/**
 * Predictive of Uniform(0, θ) with θ ~ Pareto(m, k):
 * $$p(x) = \frac{k\,m^k}{(k+1)\max(x, m)^{k+1}},\ x > 0;$$
 * mean $km/(2(k-1))$ (k > 1), $\mathbb E[x^2] = km^2/(3(k-2))$ (k > 2).
 */
export function paretoUniformPredictive(m: number, k: number): ContinuousDistribution<number> {
  assertPositive('paretoUniformPredictive', 'm', readNumber('paretoUniformPredictive', 'm', m));
  assertPositive('paretoUniformPredictive', 'k', readNumber('paretoUniformPredictive', 'k', k));
  const c = Math.log(k) + k * Math.log(m) - Math.log(k + 1);
  return Object.freeze({
    kind: 'pareto-uniform',
    logPdf: (x: number) => (x > 0 ? c - (k + 1) * Math.log(Math.max(x, m)) : Number.NEGATIVE_INFINITY),
    mean: () => {
      if (!(k > 1)) throw new DomainError(`paretoUniformPredictive.mean: the mean does not exist for k = ${k} ≤ 1`);
      return (k * m) / (2 * (k - 1));
    },
    variance: () => {
      if (!(k > 2)) return Number.POSITIVE_INFINITY;
      const mean = (k * m) / (2 * (k - 1));
      return (k * m * m) / (3 * (k - 2)) - mean * mean;
    },
    sample: (r: RngInput) => {
      const rng = rngOf('paretoUniformPredictive.sample', r);
      const theta = m * (1 - sampleUniform(rng)) ** (-1 / k);
      return sampleUniform(rng) * theta;
    },
  });
}
