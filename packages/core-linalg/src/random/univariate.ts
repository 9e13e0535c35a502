/**
 * Univariate samplers. Each takes the {@link Rng} first, validates its parameters (typed errors, before
 * drawing anything) and delegates to the stdlib-js sampler (`@stdlib/random-base-*`) bound to that rng.
 */
import binomialSampler from '@stdlib/random-base-binomial';
import exponentialSampler from '@stdlib/random-base-exponential';
import gumbelSampler from '@stdlib/random-base-gumbel';
import poissonSampler from '@stdlib/random-base-poisson';
import uniformSampler from '@stdlib/random-base-uniform';
import { assertInRange, assertInteger, assertPositive, DomainError, readNumber } from '../errors/index.js';
import { type Rng, assertRng } from './rng.js';
import { betaOf, gammaOf, prngOf } from './stdlib-streams.js';

type Bound = {
  exponential: (rate: number) => number;
  gumbel: (mu: number, beta: number) => number;
  poisson: (lambda: number) => number;
  binomial: (n: number, p: number) => number;
  uniform: (a: number, b: number) => number;
};

// stdlib's uniform, exponential, Gumbel, Poisson and binomial samplers draw only from the `prng` they are
// given (no hidden state), so binding them to the rng's uniform stream keeps `clone()` exact.
const bound = new WeakMap<() => number, Bound>();

function samplers(rng: Rng): Bound {
  const prng = prngOf(rng);
  let s = bound.get(prng);
  if (!s) {
    s = {
      exponential: exponentialSampler.factory({ prng }),
      gumbel: gumbelSampler.factory({ prng }),
      poisson: poissonSampler.factory({ prng }),
      binomial: binomialSampler.factory({ prng }),
      uniform: uniformSampler.factory({ prng }),
    };
    bound.set(prng, s);
  }
  return s;
}

/**
 * Uniform draw on `[a, b)`: $x = a + (b-a)u$, $u \sim U[0,1)$.
 * @defaultValue a = 0, b = 1
 * @throws NonFiniteError for non-finite bounds; DomainError unless `a < b`.
 */
export function sampleUniform(rng: Rng, a = 0, b = 1): number {
  assertRng('sampleUniform', rng);
  readNumber('sampleUniform', 'a', a);
  readNumber('sampleUniform', 'b', b);
  if (!(a < b)) throw new DomainError(`sampleUniform: argument 'a' must be below 'b', got a=${a}, b=${b}`);
  return samplers(rng).uniform(a, b);
}

/**
 * Gamma draw in the RATE parameterisation:
 * $p(x) = \frac{\beta^\alpha}{\Gamma(\alpha)} x^{\alpha-1} e^{-\beta x}$, mean $\alpha/\beta$, variance $\alpha/\beta^2$
 * (stdlib: Marsaglia & Tsang 2000, with the $U^{1/\alpha}$ boost for $\alpha < 1$; may underflow to 0 for
 * tiny shapes — use {@link sampleDirichlet}, which works in log space, for normalised gammas).
 * @defaultValue rate = 1
 * @throws DomainError unless `shape > 0` and `rate > 0`.
 */
export function sampleGamma(rng: Rng, shape: number, rate = 1): number {
  assertRng('sampleGamma', rng);
  assertPositive('sampleGamma', 'shape', shape);
  assertPositive('sampleGamma', 'rate', rate);
  return gammaOf(rng)(shape, rate);
}

/**
 * Beta draw, $p(x) \propto x^{a-1}(1-x)^{b-1}$ on $[0,1]$; mean $a/(a+b)$ (stdlib `random-base-beta`).
 * @throws DomainError unless `0 < a <= 1e12` and `0 < b <= 1e12` (stdlib's sampler does not return in
 * reasonable time beyond).
 */
export function sampleBeta(rng: Rng, a: number, b: number): number {
  assertRng('sampleBeta', rng);
  assertPositive('sampleBeta', 'a', a);
  assertPositive('sampleBeta', 'b', b);
  // stdlib's sampler slows down with the parameters (0.3 s per draw at 1e12, no answer at 1e300)
  if (a > 1e12 || b > 1e12) throw new DomainError(`sampleBeta: arguments 'a' and 'b' must be <= 1e12, got a = ${a}, b = ${b}`);
  return betaOf(rng)(a, b);
}

/**
 * Gumbel draw $x = \mu - \beta\log(-\log u)$; mean $\mu + \beta\gamma_E$, variance $\pi^2\beta^2/6$.
 * Adding Gumbel(0,1) noise to logits and taking the argmax samples the softmax (Gumbel-max trick).
 * @defaultValue mu = 0, beta = 1
 * @throws NonFiniteError for a non-finite `mu`; DomainError unless `beta > 0`.
 */
export function sampleGumbel(rng: Rng, mu = 0, beta = 1): number {
  assertRng('sampleGumbel', rng);
  readNumber('sampleGumbel', 'mu', mu);
  assertPositive('sampleGumbel', 'beta', beta);
  return samplers(rng).gumbel(mu, beta);
}

/**
 * Exponential draw with RATE $\lambda$: $p(x) = \lambda e^{-\lambda x}$, mean $1/\lambda$.
 * @defaultValue rate = 1
 * @throws DomainError unless `rate > 0`.
 */
export function sampleExponential(rng: Rng, rate = 1): number {
  assertRng('sampleExponential', rng);
  assertPositive('sampleExponential', 'rate', rate);
  return samplers(rng).exponential(rate);
}

/**
 * Poisson draw, $P(k) = \lambda^k e^{-\lambda}/k!$ (stdlib: Knuth for small λ, PTRS rejection otherwise).
 * @throws DomainError unless `lambda > 0`.
 */
export function samplePoisson(rng: Rng, lambda: number): number {
  assertRng('samplePoisson', rng);
  assertPositive('samplePoisson', 'lambda', lambda);
  return samplers(rng).poisson(lambda);
}

/**
 * Binomial draw, $P(k) = \binom{n}{k} p^k (1-p)^{n-k}$.
 *
 * stdlib's sampler is exact by inversion when $n\min(p,1-p) < 10$ and is used there; its BTPE branch
 * (`@stdlib/random-base-binomial` 0.2.2) is biased — `bench/random.bench.ts` measures a mean of 50.40 for
 * n = 1000, p = 0.05 over 200,000 draws (26 standard errors off) — so larger cases first reduce $n$ with Knuth's exact beta-splitting
 * recursion (TAOCP vol. 2, §3.4.1F): with $a = 1 + \lfloor n/2 \rfloor$, $b = n + 1 - a$ and
 * $X \sim \mathrm{Beta}(a, b)$ (the $a$-th smallest of $n$ uniforms), $K = \mathrm{Bin}(a-1, p/X)$ if
 * $X \ge p$, else $K = a + \mathrm{Bin}(b-1, (p-X)/(1-X))$. O(log n) beta draws.
 * @throws DomainError unless `n` is a non-negative integer and `p ∈ [0, 1]`.
 */
export function sampleBinomial(rng: Rng, n: number, p: number): number {
  assertRng('sampleBinomial', rng);
  assertInteger('sampleBinomial', 'n', n, 0);
  assertInRange('sampleBinomial', 'p', p, 0, 1);
  return binomial(rng, n, p);
}

function binomial(rng: Rng, n: number, p: number): number {
  let offset = 0;
  for (;;) {
    if (n === 0 || p <= 0) return offset;
    if (p >= 1) return offset + n;
    if (p > 0.5) return offset + n - binomial(rng, n, 1 - p);
    if (n * p < 10) return offset + samplers(rng).binomial(n, p);
    const a = 1 + Math.floor(n / 2);
    const b = n + 1 - a;
    const x = betaOf(rng)(a, b);
    if (x >= p) {
      n = a - 1;
      p = p / x;
    } else {
      offset += a;
      n = b - 1;
      p = (p - x) / (1 - x);
    }
  }
}
