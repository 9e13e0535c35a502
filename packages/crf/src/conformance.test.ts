// checkEstimator (tooling/check-kit, docs/conventions.md §8) over every fit of @notes/crf: report and progress
// shapes, unknown options, pre-aborted signals, async twins equal to the sync fits and aborted from setTimeout
// (latencies printed), JSON round trips, tampered JSON rejected, caller's data unchanged.
import { readFileSync } from 'node:fs';
import { abortLatencies, checkEstimator } from '@notes/check-kit';
import { createRng } from '@notes/core-linalg';
import { afterAll, describe, test } from 'vitest';
import { parseBrown } from './corpus/index.js';
import {
  buildFeatureTable,
  CRFModel,
  DEFAULT_TEMPLATES,
  fitCRF,
  fitCRFAsync,
  type TaggedSentence,
  trainPerceptron,
  trainPerceptronAsync,
} from './crf/index.js';
import { createGaussianHMM, createHMM, estimateHMM, fitHMM, fitHMMAsync, HMM, randomHMM } from './hmm/index.js';
import { fitHMMTagger, fitHMMTaggerAsync, HMMTagger } from './tagger/index.js';

const slice = parseBrown(readFileSync(new URL('../fixtures/brown-slice-train.txt', import.meta.url), 'utf8'));
/** 100 Brown sentences (≈ 2,200 tokens): quick fits, and slow ones with the slow options. */
const brown = (): TaggedSentence[] => slice.slice(0, 100).map((s) => ({ tokens: [...s.tokens], tags: [...s.tags] }));

const crfTamper = [
  { path: 'kind', value: 'hmm' },
  { path: 'version', value: 2 },
  { path: 'labels', value: 'NOUN' },
  { path: 'labels.0', value: 5 },
  { path: 'attributes.0', value: null },
  { path: 'attrStart.1', value: -1 },
  { path: 'attrStart.1', value: 0.5 },
  { path: 'stateLabels.0', value: 99 },
  { path: 'weights', value: {} },
  { path: 'weights.0', value: null },
  { path: 'weights.0', value: '0.1' },
  { path: 'templates', value: 5 },
  { path: 'templates.window', value: 9 },
  { path: 'templates.prefixes', value: [0] },
  { path: 'report', value: null },
  { path: 'report.reason', value: 'done' },
  { path: 'report.iterations', value: -1 },
  { path: 'tokens', value: -3 },
  { path: 'tokens', value: 1.5 },
];

const truth = () =>
  createHMM({
    initial: [0.6, 0.4],
    transition: [
      [0.9, 0.1],
      [0.2, 0.8],
    ],
    emission: [
      [0.7, 0.2, 0.1],
      [0.1, 0.3, 0.6],
    ],
  });
const discreteSeqs = () => {
  const rng = createRng(3);
  return [Array.from({ length: 10 }, () => truth().sample(100, rng).observations as number[])];
};
// 20 sequences of 2,000 symbols from nearly indistinguishable states: EM with tol 0 runs for seconds (≈ 20 ms per
// iteration), outlasting the abort timer. The 10 × 100 set above converges exactly (116 iterations) in 30–80 ms, so
// on a fast or idle machine the fit could end before runFitAsync's first yield and the timer check failed.
const slowDiscreteSeqs = () => {
  const rng = createRng(6);
  const overlap = createHMM({ initial: [0.5, 0.5], transition: [[0.6, 0.4], [0.4, 0.6]], emission: [[0.4, 0.35, 0.25], [0.3, 0.35, 0.35]] });
  return [Array.from({ length: 20 }, () => overlap.sample(2000, rng).observations as number[])];
};
const gaussianTruth = () =>
  createGaussianHMM({ initial: [0.5, 0.5], transition: [[0.9, 0.1], [0.1, 0.9]], means: [[-2, 0], [2, 1]], variances: [[1, 1], [0.5, 2]] });
const gaussianSeqs = () => {
  const rng = createRng(4);
  return [Array.from({ length: 10 }, () => gaussianTruth().sample(150, rng).observations as number[][])];
};
// 40 sequences of 2,000 points from heavily overlapping states: EM needs hundreds of ms, outlasting the abort timer
const slowGaussianSeqs = () => {
  const rng = createRng(5);
  const overlap = createGaussianHMM({ initial: [0.5, 0.5], transition: [[0.6, 0.4], [0.4, 0.6]], means: [[-0.3, 0], [0.3, 0.1]], variances: [[1, 1], [1, 1.2]] });
  return [Array.from({ length: 40 }, () => overlap.sample(2000, rng).observations as number[][])];
};
const gaussianInit = createGaussianHMM({ initial: [0.5, 0.5], transition: [[0.5, 0.5], [0.5, 0.5]], means: [[-1, 0], [1, 0]], variances: [[4, 4], [4, 4]] });

const hmmTamper = [
  { path: 'kind', value: 'crf' },
  { path: 'version', value: 0 },
  { path: 'initial', value: [1] },
  { path: 'initial.0', value: -0.5 },
  { path: 'initial.0', value: null },
  { path: 'transition.0.0', value: 2 },
  { path: 'transition.1', value: null },
  { path: 'transition', value: 'A' },
  { path: 'emission', value: null },
  { path: 'emission.kind', value: 'poisson' },
  { path: 'report.reason', value: 'fine' },
  { path: 'report.trace', value: 'abc' },
  { path: 'report.elapsedMs', value: -1 },
];

const specs = [
  {
    name: 'fitCRF',
    data: () => [brown()],
    fit: fitCRF,
    fitAsync: fitCRFAsync,
    options: { maxIterations: 3 },
    slowOptions: { maxIterations: 100_000, fTol: 0, gradTol: 1e-300 },
    fromJSON: (j: unknown) => CRFModel.fromJSON(j as never),
    tamper: crfTamper,
  },
  {
    name: "fitCRF (algorithm 'perceptron')",
    data: () => [brown()],
    fit: fitCRF,
    fitAsync: fitCRFAsync,
    options: { algorithm: 'perceptron', epochs: 2, seed: 1 },
    slowOptions: { epochs: 100_000 },
    fromJSON: (j: unknown) => CRFModel.fromJSON(j as never),
    tamper: crfTamper.slice(0, 8),
  },
  {
    name: 'trainPerceptron',
    data: () => {
      const { table, encoded } = buildFeatureTable(brown(), DEFAULT_TEMPLATES, 1);
      return [table, encoded];
    },
    fit: trainPerceptron,
    fitAsync: trainPerceptronAsync,
    options: { epochs: 2 },
    slowOptions: { epochs: 100_000 },
    fromJSON: (j: unknown) => CRFModel.fromJSON(j as never),
    tamper: crfTamper.slice(8, 12),
  },
  {
    name: 'fitHMM (discrete)',
    data: discreteSeqs,
    fit: fitHMM,
    fitAsync: fitHMMAsync,
    options: { init: randomHMM({ states: 2, symbols: 3, seed: 1 }), maxIterations: 20 },
    slowOptions: { tol: 0, maxIterations: 10_000_000 },
    slowData: slowDiscreteSeqs,
    fromJSON: (j: unknown) => HMM.fromJSON(j as never),
    tamper: [...hmmTamper, { path: 'emission.emission.0.0', value: null }, { path: 'emission.emission.1', value: [1, 0] }],
  },
  {
    name: 'fitHMM (Gaussian)',
    data: gaussianSeqs,
    fit: fitHMM,
    fitAsync: fitHMMAsync,
    options: { init: gaussianInit, maxIterations: 20 },
    slowOptions: { tol: 0, maxIterations: 10_000_000 },
    slowData: slowGaussianSeqs,
    fromJSON: (j: unknown) => HMM.fromJSON(j as never),
    tamper: [...hmmTamper, { path: 'emission.variances.0.0', value: -1 }, { path: 'emission.means.0.1', value: null }, { path: 'emission.means', value: [[0, 0]] }],
  },
  {
    name: 'estimateHMM',
    data: () => [[{ observations: [0, 1, 2, 2, 1], states: [0, 0, 1, 1, 0] }, { observations: [2, 0], states: [1, 0] }]],
    fit: estimateHMM,
    options: { states: 2, symbols: 3 },
    progress: false,
    signal: false,
    fromJSON: (j: unknown) => HMM.fromJSON(j as never),
    tamper: hmmTamper.filter((t) => t.path !== 'report.trace'),
  },
  {
    name: 'fitHMMTagger',
    data: () => [slice.slice(0, 150).map((s) => ({ tokens: [...s.tokens], tags: [...s.tags] }))],
    fit: fitHMMTagger,
    fitAsync: fitHMMTaggerAsync,
    progress: false,
    timerAbort: false,
    timerAbortReason: 'one counting pass over the sentences (no iterations): it finishes the tagged Brown fixture in milliseconds',
    fromJSON: (j: unknown) => HMMTagger.fromJSON(j as never),
    tamper: [
      { path: 'kind', value: 'hmm' },
      { path: 'version', value: 3 },
      { path: 'tags.0', value: 7 },
      { path: 'logTransition.0', value: null },
      { path: 'logStart', value: [] },
      { path: 'logEnd.0', value: 'x' },
      { path: 'lexicon', value: null },
      { path: 'lexicon.the', value: 'DET' },
      { path: 'lexicon.the.0.0', value: 99 },
      { path: 'suffix', value: null },
      { path: 'suffix.theta', value: -1 },
      { path: 'suffix.prior.0', value: 0 },
      { path: 'suffix.counts', value: null },
      { path: 'suffix.maxSuffix', value: 2.5 },
      { path: 'report.iterations', value: 'one' },
    ],
  },
];

for (const spec of specs) {
  describe(`checkEstimator: ${spec.name}`, () => {
    for (const c of checkEstimator(spec)) test(c.name, c.run, 30_000);
  });
}

afterAll(() => {
  for (const { name, latencyMs } of abortLatencies) console.log(`abort latency ${name}: ${latencyMs.toFixed(1)} ms`);
});
