// The bad-input sweep of docs/conventions.md §8 over every public export of @notes/gp: each argument, first
// element and option (and each JSON field of the fromJSON functions) is replaced by NaN, ±Infinity, null, '3',
// [], ragged/holey arrays, {}, -1, 1e300, 1e-300 and true, one at a time. Required: 0 untyped errors, 0 silent
// NaN/±Infinity results, 0 mutated inputs. Writes bad-input-results.json next to package.json.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createRng } from '@notes/core-linalg';
import { sweepBadInputs, uncoveredExports } from '@notes/check-kit';
import { expect, test } from 'vitest';
import * as gp from './index.js';

const {
  BayesianOptimizer,
  BayesianRegressionModel,
  GPModel,
  TrustRegion,
  acquisition,
  arcsine,
  basisFromJSON,
  basisKernel,
  basisKernelFromJSON,
  constant,
  expectedImprovement,
  fitBayesianRegression,
  fitBayesianRegressionAsync,
  fitGP,
  fitGPAsync,
  fourierBasis,
  kernelFromJSON,
  linear,
  logMarginalLikelihood,
  lowerConfidenceBound,
  matern,
  maximizeInBox,
  minimize,
  minimizeAsync,
  periodic,
  polynomialBasis,
  probabilityOfImprovement,
  product,
  rationalQuadratic,
  rbf,
  rbfBasis,
  samplePrior,
  scale,
  SGPRModel,
  SVGPModel,
  fitSGPR,
  fitSGPRAsync,
  fitSVGP,
  fitSVGPAsync,
  DeepGPModel,
  fitDeepGP,
  fitDeepGPAsync,
  sum,
  white,
} = gp;

type Case = { name: string; export?: string; call: (...args: never[]) => unknown; args: () => unknown[]; options?: number; allowInfinity?: boolean };

const X = () => [[0], [0.5], [1.2], [2], [3.1]];
const y = () => [0.1, 0.5, 0.9, 0.4, -0.2];
const X2 = () => [
  [0, 1],
  [0.5, 0.2],
  [1.2, 0.7],
];
const kern = () => sum(scale(rbf({ lengthScale: 1 }), 1), white(0.1));
const model = () => fitGP(X(), y(), { kernel: kern(), optimize: false });
const blr = () => fitBayesianRegression(X(), y(), { basis: polynomialBasis(2), optimize: true });

/** Kernel instances of every class, for the instance-method cases. */
const KERNELS: [string, () => gp.Kernel][] = [
  ['RBFKernel', () => rbf({ lengthScale: 0.8 })],
  ['MaternKernel', () => matern({ nu: 2.5, lengthScale: 0.8 })],
  ['RationalQuadraticKernel', () => rationalQuadratic({ lengthScale: 0.8, alpha: 2 })],
  ['PeriodicKernel', () => periodic({ lengthScale: 1, periodicity: 2 })],
  ['LinearKernel', () => linear({ sigma0: 0.5 })],
  ['ConstantKernel', () => constant(2)],
  ['WhiteKernel', () => white(0.1)],
  ['ArcsineKernel', () => arcsine({ weightVariance: 2 })],
  ['BasisKernel', () => basisKernel(polynomialBasis(2))],
  ['SumKernel', () => sum(rbf(), white(0.1))],
  ['ProductKernel', () => product(constant(2), rbf())],
];

const kernelCases: Case[] = KERNELS.flatMap(([name, make]) => [
  { name: `${name}.matrix`, export: name, call: (a: never, b: never) => make().matrix(a, b), args: () => [X(), X().slice(0, 2)] },
  { name: `${name}.diag`, export: name, call: (a: never) => make().diag(a), args: () => [X()] },
  { name: `${name}.gradient`, export: name, call: (a: never) => make().gradient(a), args: () => [X()] },
  { name: `${name}.withTheta`, export: name, call: (t: never) => make().withTheta(t).matrix(X()), args: () => [Array.from(make().theta)] },
  { name: `${name} → kernelFromJSON`, export: 'kernelFromJSON', call: (j: never) => kernelFromJSON(j).matrix(X()), args: () => [JSON.parse(JSON.stringify(make().toJSON()))], options: 0 },
]);

const gpJSON = () => JSON.parse(JSON.stringify(model().toJSON()));
const blrJSON = () => JSON.parse(JSON.stringify(blr().toJSON()));
const f2 = (x: Float64Array) => (x[0] as number) ** 2 + (x[1] as number);
const box = () => [
  [-1, 1],
  [0, 2],
];

const cases: Case[] = [
  // kernels and their factories
  { name: 'rbf', call: (o: never) => rbf(o).matrix(X()), args: () => [{ lengthScale: 1, lengthScaleBounds: [1e-3, 1e3] }], options: 0 },
  { name: 'matern', call: (o: never) => matern(o).matrix(X()), args: () => [{ nu: 1.5, lengthScale: 1, lengthScaleBounds: [1e-3, 1e3] }], options: 0 },
  {
    name: 'rationalQuadratic',
    call: (o: never) => rationalQuadratic(o).matrix(X()),
    args: () => [{ lengthScale: 1, lengthScaleBounds: [1e-3, 1e3], alpha: 1, alphaBounds: [1e-3, 1e3] }],
    options: 0,
  },
  {
    name: 'periodic',
    call: (o: never) => periodic(o).matrix(X()),
    args: () => [{ lengthScale: 1, lengthScaleBounds: [1e-3, 1e3], periodicity: 2, periodicityBounds: [1e-3, 1e3] }],
    options: 0,
  },
  { name: 'linear', call: (o: never) => linear(o).matrix(X()), args: () => [{ sigma0: 1, sigma0Bounds: [1e-3, 1e3] }], options: 0 },
  {
    name: 'arcsine',
    call: (o: never) => arcsine(o).matrix(X()),
    args: () => [{ weightVariance: 1, weightVarianceBounds: [1e-3, 1e3], biasVariance: 1, biasVarianceBounds: [1e-3, 1e3], bias: true }],
    options: 0,
  },
  { name: 'constant', call: (v: never, b: never) => constant(v, b).matrix(X()), args: () => [2, [1e-3, 1e3]] },
  { name: 'white', call: (v: never, b: never) => white(v, b).matrix(X()), args: () => [0.1, [1e-3, 1e3]] },
  { name: 'scale', call: (k: never, c: never, b: never) => scale(k, c, b).matrix(X()), args: () => [rbf(), 2, [1e-3, 1e3]] },
  { name: 'sum', call: (a: never, b: never) => sum(a, b).matrix(X()), args: () => [rbf(), white(0.1)] },
  { name: 'product', call: (a: never, b: never) => product(a, b).matrix(X()), args: () => [rbf(), constant(2)] },
  ...kernelCases,
  { name: 'samplePrior', call: (k: never, x: never, o: never) => samplePrior(k, x, o), args: () => [kern(), X(), { seed: 1, n: 2, maxMemoryBytes: 1e9 }], options: 2 },
  // GP regression
  {
    name: 'fitGP',
    call: (x: never, t: never, o: never) => fitGP(x, t, o),
    args: () => [X(), y(), { kernel: kern(), noise: 1e-8, restarts: 1, normalizeY: true, seed: 1, maxIterations: 30, maxEvaluations: 60, tol: 1e-9, method: 'cholesky', maxMemoryBytes: 1e9 }],
    options: 2,
  },
  {
    name: 'fitGP (cg)',
    export: 'fitGP',
    call: (o: never) => fitGP(X(), y(), { kernel: kern(), method: 'cg', optimize: false, cg: o }),
    args: () => [{ tol: 1e-8, maxIterations: 100, rank: 3, probes: 4, lanczosSteps: 5 }],
    options: 0,
  },
  { name: 'fitGPAsync', call: (x: never, t: never, o: never) => fitGPAsync(x, t, o), args: () => [X(), y(), { kernel: kern(), restarts: 1, seed: 2 }], options: 2 },
  { name: 'GPModel.predict', export: 'GPModel', call: (x: never, o: never) => model().predict(x, o), args: () => [X(), { covariance: true, maxMemoryBytes: 1e9 }], options: 1 },
  { name: 'GPModel.samplePosterior', export: 'GPModel', call: (x: never, o: never) => model().samplePosterior(x, o), args: () => [X(), { n: 2, seed: 3, maxMemoryBytes: 1e9 }], options: 1 },
  { name: 'GPModel.fromJSON', export: 'GPModel', call: (j: never) => GPModel.fromJSON(j), args: () => [gpJSON()], options: 0 },
  { name: 'GPModel.fromJSON (report)', export: 'GPModel', call: (r: never) => GPModel.fromJSON({ ...gpJSON(), report: r }), args: () => [gpJSON().report], options: 0 },
  { name: 'GPModel.fromJSON (X, y)', export: 'GPModel', call: (a: never, b: never) => GPModel.fromJSON({ ...gpJSON(), X: a, y: b }), args: () => [X(), y()] },
  {
    name: 'logMarginalLikelihood',
    call: (k: never, x: never, t: never, o: never) => logMarginalLikelihood(k, x, t, o),
    args: () => [kern(), X(), y(), { noise: 1e-6, normalizeY: true, maxMemoryBytes: 1e9 }],
    options: 3,
  },
  // Bayesian regression
  { name: 'polynomialBasis', call: (d: never) => polynomialBasis(d).features({ data: Float64Array.of(0.5, 2), n: 2, d: 1 }), args: () => [3] },
  { name: 'rbfBasis', call: (c: never, l: never) => rbfBasis(c, l).toJSON(), args: () => [X2(), 0.5] },
  { name: 'fourierBasis', call: (o: never) => fourierBasis(o).toJSON(), args: () => [{ size: 4, dim: 2, lengthScale: 1, seed: 1 }], options: 0 },
  { name: 'basisFromJSON', call: (j: never) => basisFromJSON(j).toJSON(), args: () => [fourierBasis({ size: 3, dim: 2, lengthScale: 1 }).toJSON()], options: 0 },
  { name: 'basisFromJSON (rbf)', export: 'basisFromJSON', call: (j: never) => basisFromJSON(j).toJSON(), args: () => [rbfBasis(X2(), 0.5).toJSON()], options: 0 },
  { name: 'basisKernel', call: (b: never, o: never) => basisKernel(b, o).matrix(X()), args: () => [polynomialBasis(2), { priorVariance: 2, priorVarianceBounds: [1e-3, 1e3] }], options: 1 },
  {
    name: 'basisKernelFromJSON',
    call: (p: never, b: never) => basisKernelFromJSON(p, b).matrix(X()),
    args: () => [basisKernel(polynomialBasis(2)).hyperparameters.map((h) => ({ ...h })), { kind: 'polynomial', degree: 2 }],
  },
  {
    name: 'fitBayesianRegression',
    call: (x: never, t: never, o: never) => fitBayesianRegression(x, t, o),
    args: () => [X(), y(), { basis: polynomialBasis(2), alpha: 1, beta: 2, optimize: true, alphaPrior: [1e-6, 1e-6], betaPrior: [1e-6, 1e-6], maxIterations: 50, tol: 1e-10 }],
    options: 2,
  },
  {
    name: 'fitBayesianRegressionAsync',
    call: (x: never, t: never, o: never) => fitBayesianRegressionAsync(x, t, o),
    args: () => [X(), y(), { basis: polynomialBasis(2), optimize: true }],
    options: 2,
  },
  { name: 'BayesianRegressionModel.predict', export: 'BayesianRegressionModel', call: (x: never) => blr().predict(x), args: () => [X()] },
  { name: 'BayesianRegressionModel.fromJSON', export: 'BayesianRegressionModel', call: (j: never) => BayesianRegressionModel.fromJSON(j), args: () => [blrJSON()], options: 0 },
  // Bayesian optimisation
  { name: 'expectedImprovement', call: (a: never, b: never, c: never, d: never) => expectedImprovement(a, b, c, d), args: () => [0.3, 1.2, 0.5, 0.01] },
  { name: 'probabilityOfImprovement', call: (a: never, b: never, c: never, d: never) => probabilityOfImprovement(a, b, c, d), args: () => [0.3, 1.2, 0.5, 0.01] },
  { name: 'lowerConfidenceBound', call: (a: never, b: never, c: never, d: never) => lowerConfidenceBound(a, b, c, d), args: () => [0.3, 1.2, 2, 'notes'] },
  { name: 'acquisition', call: (k: never, a: never, b: never, p: never) => acquisition(k, a, b, p), args: () => ['ei', 0.3, 1.2, { fBest: 0.5, kappa: 2, xi: 0.01 }], options: 3 },
  {
    name: 'maximizeInBox',
    call: (f: never, lo: never, hi: never, r: never, o: never) => maximizeInBox(f, lo, hi, r, o),
    args: () => [(x: Float64Array) => -((x[0] as number) ** 2), [-1], [1], createRng(1), { candidates: 16, starts: 2, maxIterations: 10, around: [0.2], perturbationScale: 0.1 }],
    options: 4,
  },
  {
    name: 'minimize',
    call: (f: never, b: never, o: never) => minimize(f, b, o),
    args: () => [f2, box(), { budget: 4, seed: 1, acquisition: 'ei', kappa: 2, xi: 0.01, initialPoints: 3, restarts: 0, searchAroundBest: true, search: { candidates: 16, starts: 1 } }],
    options: 2,
  },
  { name: 'minimizeAsync', call: (f: never, b: never, o: never) => minimizeAsync(f, b, o), args: () => [f2, box(), { budget: 4, seed: 1, trustRegion: true }], options: 2 },
  { name: 'BayesianOptimizer', call: (b: never, o: never) => new BayesianOptimizer(b, o).ask(), args: () => [box(), { seed: 1, initialPoints: 2, kappa: 2 }], options: 1 },
  {
    name: 'BayesianOptimizer.tell',
    export: 'BayesianOptimizer',
    call: (x: never, v: never) => {
      const o = new BayesianOptimizer(box() as never, { seed: 1 });
      o.tell(x, v);
      return o.best;
    },
    args: () => [[0.5, 1], 2],
  },
  {
    name: 'BayesianOptimizer.acquisitionAt',
    export: 'BayesianOptimizer',
    call: (x: never) => {
      const o = new BayesianOptimizer(box() as never, { seed: 1, initialPoints: 2, search: { candidates: 8, starts: 1 } });
      for (let i = 0; i < 3; i++) {
        const p = o.ask();
        o.tell(p, f2(p));
      }
      o.ask();
      return o.acquisitionAt(x);
    },
    args: () => [[0.5, 1]],
  },
  { name: 'TrustRegion', call: (d: never, o: never) => new TrustRegion(d, o).length, args: () => [2, { initialLength: 0.8, minLength: 0.01, maxLength: 1.6, successTolerance: 3, failureTolerance: 4 }], options: 1 },
  { name: 'TrustRegion.update', export: 'TrustRegion', call: (a: never, b: never) => { const t = new TrustRegion(2); t.update(a, b); return t.length; }, args: () => [1, 2] },
  { name: 'TrustRegion.box', export: 'TrustRegion', call: (c: never, l: never) => new TrustRegion(2).box(c, l), args: () => [[0.5, 0.5], [1, 2]] },
];

const sgpr = () => fitSGPR(X(), y(), { inducing: 3, seed: 1, maxIterations: 10 });
cases.push(
  {
    name: 'fitSGPR',
    call: (x: never, t: never, o: never) => fitSGPR(x, t, o),
    args: () => [X(), y(), { kernel: kern(), inducing: 3, noise: 0.1, noiseBounds: [1e-4, 10], normalizeY: true, jitter: 1e-8, chunk: 2, seed: 1, maxIterations: 20, maxEvaluations: 40, tol: 1e-9, maxMemoryBytes: 1e9 }],
    options: 2,
  },
  { name: 'fitSGPRAsync', call: (x: never, t: never, o: never) => fitSGPRAsync(x, t, o), args: () => [X(), y(), { inducing: [[0.5], [2]], seed: 2, maxIterations: 10 }], options: 2 },
  { name: 'SGPRModel.predict', export: 'SGPRModel', call: (x: never) => sgpr().predict(x), args: () => [X()] },
  { name: 'SGPRModel.fromJSON', export: 'SGPRModel', call: (j: never) => SGPRModel.fromJSON(j), args: () => [JSON.parse(JSON.stringify(sgpr().toJSON()))], options: 0 },
);

const svgp = () => fitSVGP(X(), y(), { inducing: 3, batchSize: 2, epochs: 1, seed: 1 });
cases.push(
  {
    name: 'fitSVGP',
    call: (x: never, t: never, o: never) => fitSVGP(x, t, o),
    args: () => [X(), y(), { kernel: kern(), inducing: 3, noise: 0.1, batchSize: 2, epochs: 1, gamma: 0.5, learningRate: 0.01, optimize: true, normalizeY: true, jitter: 1e-8, seed: 1, maxMemoryBytes: 1e9 }],
    options: 2,
  },
  { name: 'fitSVGPAsync', call: (x: never, t: never, o: never) => fitSVGPAsync(x, t, o), args: () => [X(), y(), { inducing: [[0.5], [2]], epochs: 1, seed: 2 }], options: 2 },
  { name: 'SVGPModel.predict', export: 'SVGPModel', call: (x: never) => svgp().predict(x), args: () => [X()] },
  { name: 'SVGPModel.fromJSON', export: 'SVGPModel', call: (j: never) => SVGPModel.fromJSON(j), args: () => [JSON.parse(JSON.stringify(svgp().toJSON()))], options: 0 },
);

const dgp = () => fitDeepGP(X(), y(), { layers: 2, inducing: 3, batchSize: 3, epochs: 1, seed: 1 });
cases.push(
  {
    name: 'fitDeepGP',
    call: (x: never, t: never, o: never) => fitDeepGP(x, t, o),
    args: () => [
      X(),
      y(),
      { layers: 2, hiddenDims: 2, inducing: 3, learnInducing: true, noise: 0.1, samples: 2, batchSize: 3, epochs: 1, learningRate: 0.01, normalizeY: true, jitter: 1e-6, seed: 1, maxMemoryBytes: 1e9 },
    ],
    options: 2,
  },
  { name: 'fitDeepGPAsync', call: (x: never, t: never, o: never) => fitDeepGPAsync(x, t, o), args: () => [X(), y(), { layers: 3, inducing: [[0.5], [2]], epochs: 1, seed: 2 }], options: 2 },
  { name: 'DeepGPModel.predict', export: 'DeepGPModel', call: (x: never, o: never) => dgp().predict(x, o), args: () => [X(), { samples: 3, seed: 1 }], options: 1 },
  {
    name: 'DeepGPModel.logPredictiveDensity',
    export: 'DeepGPModel',
    call: (x: never, t: never, o: never) => dgp().logPredictiveDensity(x, t, o),
    args: () => [X(), y(), { samples: 3, seed: 1 }],
    options: 2,
  },
  { name: 'DeepGPModel.elbo', export: 'DeepGPModel', call: (x: never, t: never, o: never) => dgp().elbo(x, t, o), args: () => [X(), y(), { samples: 2, seed: 1 }], options: 2 },
  { name: 'DeepGPModel.sampleLayers', export: 'DeepGPModel', call: (x: never, o: never) => dgp().sampleLayers(x, o), args: () => [X(), { samples: 2, seed: 1 }], options: 1 },
  { name: 'DeepGPModel.fromJSON', export: 'DeepGPModel', call: (j: never) => DeepGPModel.fromJSON(j), args: () => [JSON.parse(JSON.stringify(dgp().toJSON()))], options: 0 },
);

const EXEMPTIONS: Record<string, string> = {
  Kernel: 'abstract base class; its public methods are swept through every concrete kernel',
  LeafKernel: 'abstract base class of user kernels; swept through every concrete kernel',
};

test('bad-input sweep over every public export of @notes/gp', async () => {
  expect(uncoveredExports(gp, cases, EXEMPTIONS)).toEqual([]);
  const { counts, failures } = await sweepBadInputs(cases);
  const file = fileURLToPath(new URL('../bad-input-results.json', import.meta.url));
  writeFileSync(file, `${JSON.stringify({ package: '@notes/gp', counts, exemptions: Object.keys(EXEMPTIONS) }, null, 2)}\n`);
  console.info(`@notes/gp bad-input sweep: ${JSON.stringify(counts)}`);
  expect(failures.slice(0, 40)).toEqual([]);
}, 120_000);
