/**
 * docs/conventions.md §8: the bad-input sweep over every public export of @notes/bayes. Every positional
 * argument, the first element of every array argument and every option key is replaced by NaN, ±Infinity,
 * null, a string, [], a ragged or holey array, {}, −1, 1e300, 1e-300 and true, one at a time. Asserts 0
 * untyped errors, 0 silent NaN/±Infinity results and 0 mutated inputs; writes bad-input-results.json.
 */
import { writeFileSync } from 'node:fs';
import { type SweepCase, sweepBadInputs, uncoveredExports } from '@notes/check-kit';
import { createRng, type Rng, sampleNormal } from '@notes/core-linalg';
import { Matrix } from 'ml-matrix';
import { expect, test } from 'vitest';
import * as B from '../index.js';

const X2 = () => {
  const g = createRng(2);
  return Array.from({ length: 12 }, (_, i) => [sampleNormal(g, i % 2 ? 3 : -3, 0.5), sampleNormal(g, 0, 0.5)]);
};
const x1 = () => [0.3, 1.2, -0.4, 0.8, 1.9, 0.1];
const I2 = () => [
  [1, 0],
  [0, 1],
];
const NW = () => ({ type: 'normal-wishart', mean: [0, 0], kappa: 0.1, df: 4, scale: [[0.5, 0], [0, 0.5]] }) as B.DPMMBase;
const quad = (t: Float64Array) => ({ value: -(((t[0] as number) - 1) ** 2), gradient: [-2 * ((t[0] as number) - 1)] });
const flat = (t: Float64Array) => ({ value: 0, gradient: new Float64Array(t.length) });

/** Cases for a conjugate model: factory, update, evidence, likelihood, density, predictive, sample. */
function conjugate(
  name: string,
  make: (p: never) => B.AnyConjugateModel,
  params: () => object,
  data: () => unknown,
  theta: () => unknown,
  predictiveAt: () => unknown,
): SweepCase[] {
  // biome-ignore lint/suspicious/noExplicitAny: the sweep calls every model with its own argument types
  const m = (p: object) => make(p as never) as any;
  const pred = (p: object) => {
    const d = m(p).predictive();
    return d.logPdf ? d.logPdf.bind(d) : d.logPmf.bind(d);
  };
  return [
    { name, call: (p: object) => m(p), args: () => [params()], options: 0 },
    { name: `${name}.update`, export: name, call: (d: unknown) => m(params()).update(d).params, args: () => [data()] },
    // the evidence of data far in the tail underflows to −∞ (log 0): accepted
    { name: `${name}.logMarginalLikelihood`, export: name, call: (d: unknown) => m(params()).logMarginalLikelihood(d), args: () => [data()], allowInfinity: true },
    {
      name: `${name}.logLikelihood`,
      export: name,
      call: (d: unknown, t: unknown) => m(params()).logLikelihood(d, t),
      args: () => [data(), theta()],
      allowInfinity: true,
    },
    { name: `${name}.logDensity`, export: name, call: (t: unknown) => m(params()).logDensity(t), args: () => [theta()], allowInfinity: true },
    { name: `${name}.predictive`, export: name, call: (x: unknown) => pred(params())(x), args: () => [predictiveAt()], allowInfinity: true },
    { name: `${name}.sample`, export: name, call: (r: unknown) => m(params()).sample(r), args: () => [{ seed: 3 }] },
  ];
}

const cases: SweepCase[] = [
  ...conjugate('betaBernoulli', B.betaBernoulli as never, () => ({ alpha: 2, beta: 3 }), () => [1, 0, 1], () => 0.4, () => 1),
  ...conjugate('betaBinomial', B.betaBinomial as never, () => ({ alpha: 2, beta: 3, trials: 5 }), () => [1, 4, 2], () => 0.4, () => 2),
  ...conjugate('dirichletCategorical', B.dirichletCategorical as never, () => ({ alpha: [1, 2, 3] }), () => [0, 2, 1], () => [0.2, 0.3, 0.5], () => 1),
  ...conjugate(
    'dirichletMultinomial',
    B.dirichletMultinomial as never,
    () => ({ alpha: [1, 2, 3], trials: 4 }),
    () => [[1, 2, 1], [0, 0, 4]],
    () => [0.2, 0.3, 0.5],
    () => [1, 1, 2],
  ),
  ...conjugate('gammaPoisson', B.gammaPoisson as never, () => ({ shape: 2, rate: 1 }), () => [1, 3, 0], () => 1.5, () => 2),
  ...conjugate('gammaPrecision', B.gammaPrecision as never, () => ({ mean: 0, shape: 2, rate: 1 }), x1, () => 1.5, () => 0.3),
  ...conjugate('normalGamma', B.normalGamma as never, () => ({ mean: 0, kappa: 1, shape: 2, rate: 1 }), x1, () => ({ mu: 0.2, tau: 1.1 }), () => 0.3),
  ...conjugate('normalKnownVariance', B.normalKnownVariance as never, () => ({ mean: 0, variance: 2, noiseVariance: 0.5 }), x1, () => 0.2, () => 0.3),
  ...conjugate('paretoUniform', B.paretoUniform as never, () => ({ scale: 1, shape: 2 }), () => [0.5, 1.5, 0.2], () => 2, () => 0.5),
  ...conjugate(
    'normalWishart',
    B.normalWishart as never,
    () => ({ mean: [0, 0], kappa: 1, df: 3, scale: I2() }),
    X2,
    () => ({ mu: Float64Array.of(0, 0), Lambda: new Matrix(I2()) }),
    () => [0.1, 0.2],
  ),
  ...conjugate('wishartPrecision', B.wishartPrecision as never, () => ({ mean: [0, 0], df: 3, scale: I2() }), X2, () => new Matrix(I2()), () => [0.1, 0.2]),
  { name: 'conjugateFromJSON', call: (j: unknown) => B.conjugateFromJSON(j as never).params, args: () => [B.betaBernoulli({ alpha: 2, beta: 3 }).toJSON()] },
  { name: 'normalDistribution', call: (m: number, v: number, x: number) => B.normalDistribution(m, v).logPdf(x), args: () => [0, 2, 0.5], allowInfinity: true },
  { name: 'studentTDistribution', call: (d: number, l: number, s: number, x: number) => B.studentTDistribution(d, l, s).logPdf(x), args: () => [3, 0, 2, 0.5], allowInfinity: true },
  { name: 'negativeBinomialDistribution', call: (a: number, b: number, x: number) => B.negativeBinomialDistribution(a, b).logPmf(x), args: () => [2, 1, 3], allowInfinity: true },
  { name: 'bernoulliDistribution', call: (p: number, x: number) => B.bernoulliDistribution(p).logPmf(x), args: () => [0.3, 1], allowInfinity: true },
  { name: 'categoricalDistribution', call: (p: never, x: number) => B.categoricalDistribution(p).logPmf(x), args: () => [[0.2, 0.8], 1], allowInfinity: true },
  { name: 'paretoUniformPredictive', call: (m: number, k: number, x: number) => B.paretoUniformPredictive(m, k).logPdf(x), args: () => [1, 3, 0.5], allowInfinity: true },
  { name: 'betaBinomialDistribution', call: (a: number, b: number, n: number, x: number) => B.betaBinomialDistribution(a, b, n).logPmf(x), args: () => [2, 3, 5, 2], allowInfinity: true },
  {
    name: 'dirichletMultinomialDistribution',
    call: (a: never, n: number, x: never) => B.dirichletMultinomialDistribution(a, n).logPmf(x),
    args: () => [[1, 2], 3, [1, 2]],
    allowInfinity: true,
  },
  {
    name: 'multivariateStudentT',
    call: (d: number, l: never, sc: never, x: never) => B.multivariateStudentT(d, l, sc).logPdf(x),
    args: () => [4, [0, 0], [1, 0, 0, 1], [0.5, 0.5]],
    allowInfinity: true,
  },
  { name: 'klBernoulli', call: B.klBernoulli, args: () => [0.3, 0.6], allowInfinity: true },
  { name: 'klCategorical', call: B.klCategorical, args: () => [[0.2, 0.8], [0.5, 0.5]], allowInfinity: true },
  { name: 'klNormal', call: B.klNormal, args: () => [0, 1, 1, 2] },
  { name: 'klDiagonalNormal', call: B.klDiagonalNormal, args: () => [[0, 1], [1, 1], [1, 0], [2, 0.5]] },
  { name: 'klMultivariateNormal', call: B.klMultivariateNormal, args: () => [[0, 1], I2(), [1, 0], [[2, 0.3], [0.3, 1]]] },
  { name: 'klBeta', call: B.klBeta, args: () => [2, 3, 1, 1] },
  { name: 'klGamma', call: B.klGamma, args: () => [2, 3, 1, 1] },
  { name: 'klDirichlet', call: B.klDirichlet, args: () => [[1, 2], [2, 2]] },
  {
    name: 'monteCarloKL',
    call: (n: number, r: unknown) => B.monteCarloKL((t: number) => -0.5 * t * t, (t: number) => -0.5 * (t - 1) ** 2, (g) => sampleNormal(g), n, r as never),
    args: () => [100, { seed: 1 }],
  },
  {
    name: 'elbo',
    call: (n: number, r: unknown) => B.elbo((t: number) => -0.5 * t * t, (t: number) => -0.5 * (t - 1) ** 2, (g) => sampleNormal(g), n, r as never),
    args: () => [100, { seed: 1 }],
  },
  { name: 'sampleStickBreaking', call: B.sampleStickBreaking, args: () => [2, { seed: 1 }, { base: (g: Rng) => sampleNormal(g), truncation: 50 }], options: 2 },
  { name: 'sampleCRP', call: B.sampleCRP, args: () => [20, 1.5, { seed: 1 }] },
  { name: 'samplePolyaUrn', call: (n: number, a: number, r: unknown) => B.samplePolyaUrn(n, a, (g) => sampleNormal(g), r as never), args: () => [20, 1.5, { seed: 1 }] },
  { name: 'expectedClusters', call: B.expectedClusters, args: () => [20, 1.5] },
  { name: 'adjustedRandIndex', call: B.adjustedRandIndex, args: () => [[0, 0, 1, 1], [1, 1, 0, 0]] },
  // a log density far out in the tail underflows to −∞ (log 0): accepted
  { name: 'gaussianNoise', call: (m: number, s: number) => B.gaussianNoise(m, s).logPdf(Float64Array.of(0.5)), args: () => [0, 2], allowInfinity: true },
  { name: 'mapEstimate', call: B.mapEstimate, args: () => [quad, flat, [0], { maxIterations: 50, gradTol: 1e-9 }], options: 3 },
  { name: 'mapEstimateAsync', call: B.mapEstimateAsync, args: () => [quad, flat, [0], { maxIterations: 50, gradTol: 1e-9 }], options: 3 },
  {
    name: 'fitCaviGaussian',
    call: B.fitCaviGaussian,
    args: () => [x1(), { prior: { mean: 0, kappa: 1, shape: 2, rate: 1 }, maxIterations: 50, tol: 1e-10 }],
    options: 1,
  },
  { name: 'fitCaviGaussianAsync', call: B.fitCaviGaussianAsync, args: () => [x1(), { maxIterations: 50, tol: 1e-10 }], options: 1 },
  {
    name: 'fitVariationalGMM',
    call: B.fitVariationalGMM,
    args: () => [X2(), { components: 2, maxIterations: 20, tol: 1e-6, seed: 1, meanPrecision: 1, regCovar: 1e-6, degreesOfFreedom: 3, weightConcentration: 0.5, mean: [0, 0], covariancePrior: I2() }],
    options: 1,
  },
  { name: 'fitVariationalGMMAsync', call: B.fitVariationalGMMAsync, args: () => [X2(), { components: 2, maxIterations: 10, seed: 1 }], options: 1 },
  {
    name: 'fitDPMM',
    call: B.fitDPMM,
    args: () => [X2(), { base: NW(), alpha: 1, iterations: 8, burnIn: 2, thin: 2, initialClusters: 2, seed: 1 }],
    options: 1,
  },
  { name: 'fitDPMMAsync', call: B.fitDPMMAsync, args: () => [X2(), { base: NW(), iterations: 6, burnIn: 2, seed: 1 }], options: 1 },
  {
    name: 'fitNCE',
    call: B.fitNCE,
    args: () => [x1(), { model: B.unnormalizedGaussian, alpha0: [0, 0], noise: B.gaussianNoise(0, 2), c0: 0, noiseRatio: 2, seed: 1, maxIterations: 30, gradTol: 1e-6 }],
    options: 1,
  },
  {
    name: 'fitNCEAsync',
    call: B.fitNCEAsync,
    args: () => [x1(), { model: B.unnormalizedGaussian, alpha0: [0, 0], noise: B.gaussianNoise(0, 2), seed: 1, maxIterations: 30 }],
    options: 1,
  },
  {
    name: 'VariationalGMMModel.predictProba',
    call: (X: unknown) => B.fitVariationalGMM(X2(), { components: 2, maxIterations: 5 }).predictProba(X as never),
    args: () => [X2()],
  },
  {
    name: 'DPMMModel.logPredictiveDensity',
    call: (Y: unknown) => B.fitDPMM(X2(), { base: NW(), iterations: 4, burnIn: 1 }).logPredictiveDensity(Y as never),
    args: () => [X2()],
    allowInfinity: true, // a far point's predictive density underflows to −∞ (log 0)
  },
  {
    name: 'DPMMModel.coClustering',
    call: (idx: unknown) => B.fitDPMM(X2(), { base: NW(), iterations: 4, burnIn: 1 }).coClustering(idx as never),
    args: () => [[0, 1, 2]],
  },
  { name: 'VariationalGMMModel.fromJSON', call: (j: unknown) => B.VariationalGMMModel.fromJSON(j), args: () => [vbJSON()] },
  { name: 'DPMMModel.fromJSON', call: (j: unknown) => B.DPMMModel.fromJSON(j), args: () => [dpJSON()] },
  { name: 'CaviGaussianModel.fromJSON', call: (j: unknown) => B.CaviGaussianModel.fromJSON(j), args: () => [B.fitCaviGaussian(x1()).toJSON()] },
  { name: 'NCEModel.fromJSON', call: (j: unknown) => B.NCEModel.fromJSON(j), args: () => [B.fitNCE(x1(), { model: B.unnormalizedGaussian, alpha0: [0, 0], noise: B.gaussianNoise(0, 2) }).toJSON()] },
  { name: 'MapEstimate.fromJSON', call: (j: unknown) => B.MapEstimate.fromJSON(j), args: () => [B.mapEstimate(quad, flat, [0]).toJSON()] },
];
const vbCache = B.fitVariationalGMM(X2(), { components: 2, maxIterations: 5 }).toJSON();
const vbJSON = () => JSON.parse(JSON.stringify(vbCache));
const dpCache = B.fitDPMM(X2(), { base: NW(), iterations: 4, burnIn: 1 }).toJSON();
const dpJSON = () => JSON.parse(JSON.stringify(dpCache));

/** Exports the sweep does not call directly, with the reason. */
const EXEMPT: Record<string, string> = {
  BetaBernoulli: 'internal constructor (@internal); built and swept through betaBernoulli',
  BetaBinomial: 'internal constructor (@internal); swept through betaBinomial',
  DirichletCategorical: 'internal constructor (@internal); swept through dirichletCategorical',
  DirichletMultinomial: 'internal constructor (@internal); swept through dirichletMultinomial',
  GammaPoisson: 'internal constructor (@internal); swept through gammaPoisson',
  GammaPrecision: 'internal constructor (@internal); swept through gammaPrecision',
  NormalGamma: 'internal constructor (@internal); swept through normalGamma',
  NormalKnownVariance: 'internal constructor (@internal); swept through normalKnownVariance',
  NormalWishart: 'internal constructor (@internal); swept through normalWishart',
  ParetoUniform: 'internal constructor (@internal); swept through paretoUniform',
  WishartPrecision: 'internal constructor (@internal); swept through wishartPrecision',
  unnormalizedGaussian:
    "raw kernel (STYLE §11): fitNCE calls it once per point with Float64Arrays it built and validated; it trusts its caller and does not re-check",
};

test('bad-input sweep over every export of @notes/bayes: 0 untyped, 0 silent NaN/Infinity, 0 mutated', async () => {
  expect(uncoveredExports(B as Record<string, unknown>, cases, EXEMPT)).toEqual([]);
  const { counts, failures } = await sweepBadInputs(cases);
  writeFileSync(
    new URL('../../bad-input-results.json', import.meta.url),
    `${JSON.stringify({ package: '@notes/bayes', counts, exemptions: Object.keys(EXEMPT) }, null, 2)}\n`,
  );
  console.log(`bad-input sweep: ${JSON.stringify(counts)}`);
  if (process.env.SWEEP_DUMP) writeFileSync(process.env.SWEEP_DUMP, JSON.stringify(failures, null, 1));
  expect(failures.slice(0, 40)).toEqual([]);
  expect(counts.untyped + counts.silent + counts.mutated).toBe(0);
}, 120_000);
