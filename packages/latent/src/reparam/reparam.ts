/**
 * The reparameterisation table of the notes ("Reparameterization trick"): a draw $y = g(\theta,\varepsilon)$,
 * $\varepsilon\sim r(\varepsilon)$ free of θ, so
 * $\nabla_\theta\mathbb E_{p(y\mid\theta)}h(y) = \mathbb E_r[\nabla_y h(g(\theta,\varepsilon))\,\partial_\theta g(\theta,\varepsilon)]$
 * (the pathwise gradient; Kingma & Welling 2014). Each sampler returns the draw and $\partial y/\partial\theta$.
 *
 * | p(y∣θ) | r(ε) | g |
 * |---|---|---|
 * | $\mathcal N(\mu,\sigma^2)$ | $\mathcal N(0,1)$ | $\mu+\sigma\varepsilon$ |
 * | $\mathrm{Exp}(\lambda)$ | $\mathcal U(0,1)$ | $-\log\varepsilon/\lambda$ |
 * | $\mathrm{Gamma}(\alpha,\text{scale }\beta)$ | $\mathrm{Gamma}(\alpha,1)$ | $\beta\varepsilon$ |
 * | $\mathcal N(\mu,\Sigma)$ | $\mathcal N(0,I)$ | $\mu+A\varepsilon$, $AA^\top=\Sigma$ (Cholesky) |
 * | $\mathrm{Logistic}(\mu,s)$ | $\mathcal U(0,1)$ | $\mu+s\log\frac{\varepsilon}{1-\varepsilon}$ |
 *
 * The notes' table writes the gamma row as $\mathcal G(y\mid1,\beta)$ (shape 1, i.e. an exponential with scale
 * β); any shape α works the same way since only the scale is reparameterised (the shape gradient is not pathwise).
 */
import { cholesky, type CholeskyFactor, fromRowMajor, isCholeskyFactor, type MatrixInput, type Rng, readNumber, readVector, sampleGamma, ShapeError } from '@notes/core-linalg';
import { assertFiniteResult, readPositive, readRng } from '../discrete/validate.js';
import { Matrix } from 'ml-matrix';

/** Normal draw $y=\mu+\sigma\varepsilon$ with $\partial y/\partial\mu = 1$, $\partial y/\partial\sigma=\varepsilon$. */
export function reparamNormal(rng: Rng, mu: number, sigma: number): { value: number; noise: number; dMu: number; dSigma: number } {
  readRng('reparamNormal', rng);
  readNumber('reparamNormal', 'mu', mu);
  readPositive('reparamNormal', 'sigma', sigma);
  const e = rng.normal();
  assertFiniteResult('reparamNormal', 'the draw', mu + sigma * e);
  return { value: mu + sigma * e, noise: e, dMu: 1, dSigma: e };
}

/** Exponential draw $y=-\log\varepsilon/\lambda$ (rate λ), $\partial y/\partial\lambda = -y/\lambda$. */
export function reparamExponential(rng: Rng, rate: number): { value: number; noise: number; dRate: number } {
  readRng('reparamExponential', rng);
  readPositive('reparamExponential', 'rate', rate);
  let u = rng.uniform();
  while (u === 0) u = rng.uniform();
  const y = -Math.log(u) / rate;
  assertFiniteResult('reparamExponential', 'the draw and its derivative', [y, -y / rate]);
  return { value: y, noise: u, dRate: -y / rate };
}

/** Gamma draw with SCALE β: $y=\beta\varepsilon$, $\varepsilon\sim\mathrm{Gamma}(\alpha,1)$, $\partial y/\partial\beta=\varepsilon$. */
export function reparamGamma(rng: Rng, shape: number, scale: number): { value: number; noise: number; dScale: number } {
  readRng('reparamGamma', rng);
  readPositive('reparamGamma', 'shape', shape);
  readPositive('reparamGamma', 'scale', scale);
  const e = sampleGamma(rng, shape, 1);
  assertFiniteResult('reparamGamma', 'the draw', [e, scale * e]);
  return { value: scale * e, noise: e, dScale: e };
}

/** Logistic draw $y=\mu+s\log\frac{\varepsilon}{1-\varepsilon}$, $\partial y/\partial\mu=1$, $\partial y/\partial s=\log\frac{\varepsilon}{1-\varepsilon}$. */
export function reparamLogistic(rng: Rng, mu: number, s: number): { value: number; noise: number; dMu: number; dScale: number } {
  readRng('reparamLogistic', rng);
  readNumber('reparamLogistic', 'mu', mu);
  readPositive('reparamLogistic', 'scale', s);
  let u = rng.uniform();
  while (u === 0) u = rng.uniform();
  const l = Math.log(u / (1 - u));
  assertFiniteResult('reparamLogistic', 'the draw', mu + s * l);
  return { value: mu + s * l, noise: u, dMu: 1, dScale: l };
}

/**
 * Multivariate normal draw $y = \mu + L\varepsilon$ with $LL^\top=\Sigma$ (core's Cholesky; pass a factor to
 * reuse it). Pathwise gradients of $h(y)$ follow from {@link mvnPathwiseGradient}.
 * @throws ShapeError for mismatched sizes; NotPositiveDefiniteError for a non-PD Σ.
 */
export function reparamMultivariateNormal(rng: Rng, mean: ArrayLike<number>, cov: MatrixInput | CholeskyFactor): { value: Float64Array; noise: Float64Array; L: Matrix } {
  readRng('reparamMultivariateNormal', rng);
  mean = readVector('reparamMultivariateNormal', 'mean', mean);
  const f = isCholeskyFactor(cov) ? cov : cholesky(cov);
  const d = mean.length;
  if (f.n !== d) throw new ShapeError(`reparamMultivariateNormal: argument 'cov' must be ${d}×${d} (length of mean), got ${f.n}×${f.n}`);
  const L = f.lowerData;
  const eps = new Float64Array(d);
  for (let j = 0; j < d; j++) eps[j] = rng.normal();
  const y = new Float64Array(d);
  for (let a = 0; a < d; a++) {
    let s = mean[a] as number;
    for (let b = 0; b <= a; b++) s += (L[a * d + b] as number) * (eps[b] as number);
    y[a] = s;
  }
  assertFiniteResult('reparamMultivariateNormal', 'the draw', y);
  return { value: y, noise: eps, L: fromRowMajor(L, d, d) };
}

/**
 * Chain rule through $y=\mu+L\varepsilon$: given $v=\nabla_y h(y)$, $\nabla_\mu h = v$ and
 * $\nabla_L h = \mathrm{tril}(v\varepsilon^\top)$ (lower triangle, the free entries of L).
 */
export function mvnPathwiseGradient(gradY: ArrayLike<number>, noise: ArrayLike<number>): { dMean: Float64Array; dL: Matrix } {
  gradY = readVector('mvnPathwiseGradient', 'gradY', gradY);
  noise = readVector('mvnPathwiseGradient', 'noise', noise);
  const d = gradY.length;
  if (noise.length !== d) throw new ShapeError(`mvnPathwiseGradient: argument 'noise' must have length ${d}, got ${noise.length}`);
  const dL = new Matrix(d, d);
  for (let a = 0; a < d; a++) {
    for (let b = 0; b <= a; b++) {
      const v = (gradY[a] as number) * (noise[b] as number);
      assertFiniteResult('mvnPathwiseGradient', 'an entry of dL', v);
      dL.set(a, b, v);
    }
  }
  return { dMean: Float64Array.from(gradY), dL };
}
