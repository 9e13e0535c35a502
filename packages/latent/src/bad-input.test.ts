/**
 * docs/conventions.md §8: the bad-input sweep over every public export of @notes/latent (functions,
 * class statics and the methods of fitted models). Every argument, the first entry of every array
 * argument and every option is replaced by NaN, ±Infinity, null, '3', [], ragged/holey arrays, {}, -1,
 * 1e300, 1e-300 and true, one at a time: 0 untyped errors, 0 silent NaN/±Infinity, 0 mutated inputs.
 *
 * The RealNVP/ProtoNCE exports (src/flows, src/contrastive) are swept by their own file,
 * `src/flows/bad-input.test.ts` / `src/contrastive/bad-input.test.ts`, which write
 * `bad-input-results.flows.json` / `bad-input-results.contrastive.json`; when they exist their counts
 * are added here, so `bad-input-results.json` is the package total.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRng, Tensor } from '@notes/core-linalg';
import { sweepBadInputs, uncoveredExports } from '@notes/check-kit';
import { expect, test } from 'vitest';
import * as latent from './index.js';
import {
  categoricalScore,
  createNVIL,
  estimateOptimalBaseline,
  estimatorVarianceTable,
  exactGradient,
  exampleObjective,
  fitGaussianMixture,
  fitGaussianMixtureAsync,
  fitMixturePPCA,
  fitMixturePPCAAsync,
  fitPCA,
  fitPPCA,
  fitPPCAAsync,
  GaussianMixtureModel,
  gradientStatistics,
  gumbelMax,
  gumbelSoftmax,
  gumbelSoftmaxGradient,
  KMeansModel,
  kmeans,
  kmeansAsync,
  MixturePPCAModel,
  muPropGradient,
  mvnPathwiseGradient,
  oneHot,
  optimalBaseline,
  PCAModel,
  PPCAModel,
  reinforceGradient,
  reinforceVariance,
  reparamExponential,
  reparamGamma,
  reparamLogistic,
  reparamMultivariateNormal,
  reparamNormal,
  runEM,
  runEMAsync,
  fitVAE,
  fitVAEAsync,
  klDiagonalGaussian,
  logMeanExp,
  VAEModel,
  exampleLGSSM,
  fitRNNGaussian,
  fitRNNGaussianAsync,
  fitVRNN,
  fitVRNNAsync,
  kalmanLogLikelihood,
  klDiagonalGaussians,
  sampleLGSSM,
  VRNNModel,
} from './index.js';

const X = (): number[][] => {
  const r = createRng(1);
  return Array.from({ length: 24 }, (_, i) => [(i % 2) * 4 + r.normal(), r.normal() - (i % 2), r.normal() * 0.5 + (i % 3)]);
};
const gm = fitGaussianMixture(X(), { components: 2, seed: 1 });
const B = (): number[][] => {
  const r = createRng(2);
  return Array.from({ length: 20 }, (_, i) => [i % 2, r.uniform() < 0.5 ? 1 : 0, (i + 1) % 2, 0.5]);
};
const seqs = (): number[][][] => sampleLGSSM(exampleLGSSM(), 4, 5, createRng(3));
const vrnn = fitVRNN(seqs(), { latentDim: 1, hidden: 3, features: 3, epochs: 1, batchSize: 2, seed: 1 });
const vae = fitVAE(B(), { latentDim: 2, hidden: [4], epochs: 1, batchSize: 10, seed: 1 });
const km = kmeans(X(), { components: 2, seed: 1 });
const ppca = fitPPCA(X(), { components: 1 });
const mppca = fitMixturePPCA(X(), { components: 2, latentDim: 1, seed: 1, maxIterations: 20 });
const pca = fitPCA(X(), { components: 2 });
const json = (m: { toJSON(): unknown }) => () => [JSON.parse(JSON.stringify(m.toJSON()))];
const obj = () => exampleObjective(0);
const logits = () => [0.5, -0.3, 0.1, 1.0, -1.2];
const rng = () => createRng(3);
const emProblem = () => ({ eStep: (p: number) => ({ bound: -((p - 3) ** 2), expectations: 0 }), mStep: (p: number) => p + (3 - p) / 2 });

const cases = [
  { name: 'fitGaussianMixture', call: fitGaussianMixture, args: () => [X(), { components: 2, seed: 1, tol: 1e-3, maxIterations: 20, covariance: 'full', regCovar: 1e-6, restarts: 0, emptyThreshold: 1e-3, init: 'kmeans++' }], options: 1 },
  { name: 'fitGaussianMixtureAsync', call: fitGaussianMixtureAsync, args: () => [X(), { components: 2, seed: 1, maxIterations: 10, regCovarScale: 1 }], options: 1 },
  { name: 'fitPPCA', call: fitPPCA, args: () => [X(), { components: 1, method: 'em', tol: 1e-4, maxIterations: 20, seed: 1, missing: 'error' }], options: 1 },
  { name: 'fitPPCAAsync', call: fitPPCAAsync, args: () => [X(), { components: 2, method: 'closed-form' }], options: 1 },
  { name: 'fitMixturePPCA', call: fitMixturePPCA, args: () => [X(), { components: 2, latentDim: 1, tol: 1e-3, maxIterations: 10, minSigma2: 1e-6, seed: 1 }], options: 1 },
  { name: 'fitMixturePPCAAsync', call: fitMixturePPCAAsync, args: () => [X(), { components: 2, latentDim: 1, maxIterations: 5 }], options: 1 },
  { name: 'fitPCA', call: fitPCA, args: () => [X(), { components: 2, whiten: false, method: 'eigen' }], options: 1 },
  { name: 'kmeans', call: kmeans, args: () => [X(), { components: 2, seed: 1, maxIterations: 50, tol: 1e-4, restarts: 0, init: 'random' }], options: 1 },
  { name: 'kmeansAsync', call: kmeansAsync, args: () => [X(), { components: 2, init: [[0, 0, 0], [4, -1, 1]] }], options: 1 },
  { name: 'runEM', call: runEM, args: () => [emProblem(), 0, { tol: 1e-6, maxIterations: 50, where: 'em' }], options: 2 },
  { name: 'runEMAsync', call: runEMAsync, args: () => [emProblem(), 0, { tol: 1e-6, maxIterations: 50 }], options: 2 },
  { name: 'GaussianMixtureModel.fromJSON', call: GaussianMixtureModel.fromJSON, args: json(gm) },
  { name: 'GaussianMixtureModel.predict', call: (x: unknown) => gm.predict(x as never), args: () => [X()] },
  { name: 'GaussianMixtureModel.predictProba', call: (x: unknown) => gm.predictProba(x as never), args: () => [X()] },
  { name: 'GaussianMixtureModel.scoreSamples', call: (x: unknown) => gm.scoreSamples(x as never), args: () => [X()], allowInfinity: true },
  { name: 'GaussianMixtureModel.score', call: (x: unknown) => gm.score(x as never), args: () => [X()], allowInfinity: true },
  { name: 'GaussianMixtureModel.bic', call: (x: unknown) => gm.bic(x as never), args: () => [X()], allowInfinity: true },
  { name: 'GaussianMixtureModel.aic', call: (x: unknown) => gm.aic(x as never), args: () => [X()], allowInfinity: true },
  { name: 'GaussianMixtureModel.sample', call: (n: unknown, o: unknown) => gm.sample(n as never, o as never), args: () => [5, { seed: 2 }], options: 1 },
  { name: 'KMeansModel.fromJSON', call: KMeansModel.fromJSON, args: json(km) },
  { name: 'KMeansModel.predict', call: (x: unknown) => km.predict(x as never), args: () => [X()] },
  { name: 'PPCAModel.fromJSON', call: PPCAModel.fromJSON, args: json(ppca) },
  { name: 'PPCAModel.scoreSamples', call: (x: unknown) => ppca.scoreSamples(x as never), args: () => [X()], allowInfinity: true },
  { name: 'PPCAModel.logLikelihood', call: (x: unknown) => ppca.logLikelihood(x as never), args: () => [X()], allowInfinity: true },
  { name: 'PPCAModel.posteriorMean', call: (x: unknown) => ppca.posteriorMean(x as never), args: () => [X()] },
  { name: 'MixturePPCAModel.fromJSON', call: MixturePPCAModel.fromJSON, args: json(mppca) },
  { name: 'MixturePPCAModel.scoreSamples', call: (x: unknown) => mppca.scoreSamples(x as never), args: () => [X()], allowInfinity: true },
  { name: 'MixturePPCAModel.predict', call: (x: unknown) => mppca.predict(x as never), args: () => [X()] },
  { name: 'MixturePPCAModel.predictProba', call: (x: unknown) => mppca.predictProba(x as never), args: () => [X()] },
  { name: 'MixturePPCAModel.posteriorMean', call: (x: unknown) => mppca.posteriorMean(x as never), args: () => [X()] },
  { name: 'PCAModel.fromJSON', call: PCAModel.fromJSON, args: json(pca) },
  { name: 'PCAModel.transform', call: (x: unknown) => pca.transform(x as never), args: () => [X()] },
  { name: 'PCAModel.inverseTransform', call: (x: unknown) => pca.inverseTransform(x as never), args: () => [[[1, 2], [0, -1]]] },
  { name: 'categoricalScore', call: categoricalScore, args: () => [1, [0.2, 0.3, 0.5]] },
  { name: 'oneHot', call: oneHot, args: () => [1, 3] },
  { name: 'exactGradient', call: exactGradient, args: () => [obj(), logits()] },
  { name: 'exampleObjective', call: exampleObjective, args: () => [0.5] },
  { name: 'estimatorVarianceTable', call: estimatorVarianceTable, args: () => [200, 1] },
  { name: 'gumbelMax', call: gumbelMax, args: () => [logits(), rng()] },
  { name: 'gumbelSoftmax', call: gumbelSoftmax, args: () => [logits(), rng(), { temperature: 0.5 }], options: 2 },
  { name: 'gumbelSoftmaxGradient', call: gumbelSoftmaxGradient, args: () => [obj(), logits(), rng(), { temperature: 0.5, samples: 4, straightThrough: false }], options: 3 },
  { name: 'reinforceGradient', call: reinforceGradient, args: () => [obj(), logits(), rng(), { samples: 4, baseline: 0.1 }], options: 3 },
  { name: 'optimalBaseline', call: optimalBaseline, args: () => [obj(), logits()] },
  { name: 'estimateOptimalBaseline', call: estimateOptimalBaseline, args: () => [[1, 2, 3], [[0.5, -0.5], [0.2, -0.2], [-0.1, 0.1]]] },
  { name: 'reinforceVariance', call: reinforceVariance, args: () => [obj(), logits(), 0.2] },
  { name: 'muPropGradient', call: muPropGradient, args: () => [obj(), logits(), rng()] },
  { name: 'createNVIL', call: createNVIL, args: () => [{ contexts: 1, lr: 0.1, alpha: 0.9 }], options: 0 },
  // the conventions' form of the discrete estimators: seed (or rng) among the options
  { name: 'gumbelMax (seed)', call: gumbelMax, args: () => [logits(), { seed: 3 }], options: 1 },
  { name: 'gumbelSoftmax (seed)', call: gumbelSoftmax, args: () => [logits(), { seed: 3, temperature: 0.5 }], options: 1 },
  { name: 'gumbelSoftmaxGradient (seed)', call: gumbelSoftmaxGradient, args: () => [obj(), logits(), { seed: 3, temperature: 0.5, samples: 4, straightThrough: true }], options: 2 },
  { name: 'reinforceGradient (seed)', call: reinforceGradient, args: () => [obj(), logits(), { seed: 3, samples: 4, baseline: 0.1 }], options: 2 },
  { name: 'reinforceGradient (rng option)', call: reinforceGradient, args: () => [obj(), logits(), { rng: rng(), samples: 4 }], options: 2 },
  { name: 'muPropGradient (seed)', call: muPropGradient, args: () => [obj(), logits(), { seed: 3 }], options: 2 },
  { name: 'createNVIL.gradient (seed)', export: 'createNVIL', call: (o: unknown, l: unknown, r: unknown) => createNVIL({ contexts: 4 }).gradient(o as never, l as never, r as never), args: () => [obj(), logits(), { seed: 3, learn: false }], options: 2 },
  { name: 'createNVIL.gradient', export: 'createNVIL', call: (o: unknown, l: unknown, r: unknown) => createNVIL({ contexts: 4 }).gradient(o as never, l as never, r as never), args: () => [obj(), logits(), rng()] },
  {
    name: 'gradientStatistics',
    call: gradientStatistics,
    args: () => {
      const r = createRng(2);
      return [() => Float64Array.of(r.normal(), r.normal()), 50, [0, 0]];
    },
  },
  { name: 'reparamNormal', call: reparamNormal, args: () => [rng(), 1, 2] },
  { name: 'reparamExponential', call: reparamExponential, args: () => [rng(), 2] },
  { name: 'reparamGamma', call: reparamGamma, args: () => [rng(), 2, 0.5] },
  { name: 'reparamLogistic', call: reparamLogistic, args: () => [rng(), 0, 1] },
  { name: 'reparamMultivariateNormal', call: reparamMultivariateNormal, args: () => [rng(), [0, 1], [[2, 0.5], [0.5, 1]]] },
  { name: 'fitVAE', call: fitVAE, args: () => [B(), { latentDim: 2, hidden: [4], epochs: 1, batchSize: 10, seed: 1, lr: 1e-3, samples: 2, objective: 'iwae', binarize: true, likelihood: 'bernoulli', activation: 'tanh' }], options: 1 },
  { name: 'fitVAEAsync', call: fitVAEAsync, args: () => [B(), { latentDim: 1, hidden: [3], epochs: 1, likelihood: 'gaussian' }], options: 1 },
  { name: 'VAEModel.fromJSON', call: VAEModel.fromJSON, args: json(vae) },
  { name: 'VAEModel.elbo', call: (x: unknown, o: unknown) => vae.elbo(x as never, o as never), args: () => [B(), { samples: 2, seed: 1 }], options: 1 },
  { name: 'VAEModel.logLikelihood', call: (x: unknown, o: unknown) => vae.logLikelihood(x as never, o as never), args: () => [B(), { samples: 5, seed: 1 }], options: 1 },
  { name: 'VAEModel.encode', call: (x: unknown) => vae.encode(x as never), args: () => [B()] },
  { name: 'VAEModel.decode', call: (z: unknown) => vae.decode(z as never), args: () => [[[0.1, -0.2], [1, 2]]] },
  { name: 'VAEModel.reconstruct', call: (x: unknown) => vae.reconstruct(x as never), args: () => [B()] },
  { name: 'VAEModel.sample', call: (n: unknown, o: unknown) => vae.sample(n as never, o as never), args: () => [3, { seed: 1 }], options: 1 },
  { name: 'klDiagonalGaussian', call: (m: unknown, v: unknown) => klDiagonalGaussian(Tensor.fromArray(m as number[], [1, 2]), Tensor.fromArray(v as number[], [1, 2])), args: () => [[0.1, 0.2], [0, -1]] },
  { name: 'logMeanExp', call: (a: unknown) => logMeanExp(Tensor.fromArray(a as number[], [3, 1])), args: () => [[0, -1, 2]] },
  { name: 'fitVRNN', call: fitVRNN, args: () => [seqs(), { latentDim: 1, hidden: 3, features: 3, epochs: 1, batchSize: 2, seed: 1, lr: 1e-3, minVariance: 1e-4, clipNorm: 5 }], options: 1 },
  { name: 'fitVRNNAsync', call: fitVRNNAsync, args: () => [seqs(), { latentDim: 1, hidden: 2, features: 2, epochs: 1 }], options: 1 },
  { name: 'fitRNNGaussian', call: fitRNNGaussian, args: () => [seqs(), { hidden: 2, features: 2, epochs: 1, seed: 2 }], options: 1 },
  { name: 'fitRNNGaussianAsync', call: fitRNNGaussianAsync, args: () => [seqs(), { hidden: 2, features: 2, epochs: 1, seed: 2 }], options: 1 },
  { name: 'VRNNModel.fromJSON', call: VRNNModel.fromJSON, args: json(vrnn) },
  { name: 'VRNNModel.elbo', call: (x: unknown, o: unknown) => vrnn.elbo(x as never, o as never), args: () => [seqs(), { samples: 2, seed: 1 }], options: 1 },
  { name: 'VRNNModel.logLikelihood', call: (x: unknown, o: unknown) => vrnn.logLikelihood(x as never, o as never), args: () => [seqs(), { samples: 3, seed: 1 }], options: 1 },
  { name: 'VRNNModel.generate', call: (n: unknown, o: unknown) => vrnn.generate(n as never, o as never), args: () => [4, { count: 2, seed: 1 }], options: 1 },
  { name: 'kalmanLogLikelihood', call: kalmanLogLikelihood, args: () => [exampleLGSSM(), [[0.5], [1], [-0.2]]] },
  { name: 'exampleLGSSM', call: exampleLGSSM, args: () => [] },
  { name: 'sampleLGSSM', call: (m: unknown, c: unknown, t: unknown, r: unknown) => sampleLGSSM(m as never, c as never, t as never, r as never), args: () => [exampleLGSSM(), 2, 3, createRng(1)] },
  {
    name: 'klDiagonalGaussians',
    call: (a: unknown, b: unknown, c: unknown, d: unknown) =>
      klDiagonalGaussians(Tensor.fromArray(a as number[], [1, 2]), Tensor.fromArray(b as number[], [1, 2]), Tensor.fromArray(c as number[], [1, 2]), Tensor.fromArray(d as number[], [1, 2])),
    args: () => [[0.1, 0.2], [0, -1], [0.3, 0], [0.5, 0.2]],
  },
  { name: 'mvnPathwiseGradient', call: mvnPathwiseGradient, args: () => [[1, 2], [0.5, -0.5]] },
];

/** Exports swept elsewhere (the flows/contrastive developer's files), with the reason. */
const EXEMPT: Record<string, string> = {
  fitRealNVP: 'covered in src/flows',
  fitRealNVPAsync: 'covered in src/flows',
  FlowModel: 'covered in src/flows',
  fitProtoNCE: 'covered in src/contrastive',
  fitProtoNCEAsync: 'covered in src/contrastive',
  ContrastiveModel: 'covered in src/contrastive',
  adjustedMutualInfo: 'covered in src/contrastive',
  normalizedMutualInfo: 'covered in src/contrastive',
};

test('bad-input sweep over every public export of @notes/latent', async () => {
  const uncovered = uncoveredExports(latent, cases, EXEMPT);
  // any new export must get a case (or be listed above as covered by the flows/contrastive sweep)
  expect(uncovered).toEqual([]);
  const { counts, failures } = await sweepBadInputs(cases as never);
  const total: Record<string, number> = { ...counts };
  const exemptions = Object.keys(EXEMPT).map((k) => `${k}: ${EXEMPT[k]}`);
  for (const part of ['flows', 'contrastive']) {
    const file = new URL(`../bad-input-results.${part}.json`, import.meta.url);
    if (!existsSync(file)) continue;
    const r = JSON.parse(readFileSync(file, 'utf8')) as { counts: Record<string, number> };
    for (const k of Object.keys(total)) total[k] = (total[k] as number) + (r.counts[k] ?? 0);
  }
  writeFileSync(
    new URL('../bad-input-results.json', import.meta.url),
    `${JSON.stringify({ package: '@notes/latent', counts: total, own: counts, exemptions }, null, 2)}\n`,
  );
  console.log(`latent sweep (own exports): ${JSON.stringify(counts)}`);
  if (failures.length) console.log(failures.map((f) => `${f.case} | ${f.mutation} | ${f.outcome} | ${f.detail}`).join('\n'));
  expect(failures).toEqual([]);
}, 120_000);
