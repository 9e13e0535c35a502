// The bad-input sweep (tooling/check-kit sweepBadInputs, docs/conventions.md §8) over every public export of
// @notes/crf: each argument, the first element (and first entry of the first row) of every array argument, and
// every option / params / JSON field is replaced by NaN, ±Infinity, null, '3', [], a ragged array, a hole, {}, -1,
// 1e300, 1e-300 and true, one at a time. Required: 0 untyped errors, 0 silent NaN/±Infinity results, 0 mutated
// inputs. Writes bad-input-results.json (summed by tooling/scripts/bad-input-summary.mjs).
import { writeFileSync } from 'node:fs';
import { sweepBadInputs, uncoveredExports } from '@notes/check-kit';
import { expect, test } from 'vitest';
import * as crf from './index.js';

const {
  buildFeatureTable,
  CRFModel,
  CRFObjective,
  createBayesNet,
  createFactorGraph,
  createGaussianHMM,
  createHMM,
  DEFAULT_TEMPLATES,
  DirectedGraph,
  fitCRF,
  fitHMMTagger,
  HMM,
  HMMTagger,
  UndirectedGraph,
} = crf;

/**
 * Exports not swept, with the reason (documented in the README as inner kernels without validation: they take
 * preallocated flat buffers and offsets from validated callers, and checking them would cost the training loop).
 */
const EXEMPTIONS: Record<string, string> = {
  ChainWorkspace: 'raw kernel workspace (preallocated buffers for forwardLog/backwardLog)',
  ScaledWorkspace: 'raw kernel workspace (preallocated buffers for the scaled kernels)',
  forwardLog: 'raw flat-buffer kernel (validated callers: chainLogPartition, CRFModel, HMM)',
  backwardLog: 'raw flat-buffer kernel',
  nodeMarginals: 'raw flat-buffer kernel',
  pairwiseMarginals: 'raw flat-buffer kernel',
  viterbiKernel: 'raw flat-buffer kernel',
  lseRow: 'raw flat-buffer kernel',
  scaledForwardBackward: 'raw flat-buffer kernel (returns NaN by design to signal the log-space fallback)',
  scaledExpectations: 'raw flat-buffer kernel (NaN by design: log-space fallback)',
  scaledExpectationsExp: 'raw flat-buffer kernel (NaN by design: log-space fallback)',
  fillUnary: 'raw training kernel (writes a flat unary buffer from validated EncodedData)',
  AttributeEncoder: 'raw encoder behind buildFeatureTable/CRFModel (takes resolved templates and an id resolver)',
  unknownWordLogEmission: 'raw kernel of HMMTagger (writes into a flat buffer at an offset)',
};

const toy = () => [
  { tokens: ['The', 'dog', 'runs'], tags: ['D', 'N', 'V'] },
  { tokens: ['a', 'cat', 'sleeps', 'here'], tags: ['D', 'N', 'V', 'R'] },
  { tokens: ['Dogs', 'run'], tags: ['N', 'V'] },
];
const crfModel = fitCRF(toy(), { l2: 0.1, maxIterations: 5 });
const crfJSON = () => JSON.parse(JSON.stringify(crfModel.toJSON()));
const built = () => buildFeatureTable(toy(), DEFAULT_TEMPLATES, 1);
const objective = (() => {
  const { table, encoded } = built();
  return new CRFObjective(table, encoded, 1);
})();
const hmmParams = () => ({
  initial: [0.6, 0.4],
  transition: [
    [0.9, 0.1],
    [0.2, 0.8],
  ],
  emission: [
    [0.7, 0.3],
    [0.1, 0.9],
  ],
});
const hmm = createHMM(hmmParams());
const gaussParams = () => ({ initial: [0.5, 0.5], transition: [[0.9, 0.1], [0.1, 0.9]], means: [[0], [3]], variances: [[1], [2]] });
const gauss = createGaussianHMM(gaussParams());
const tagger = fitHMMTagger(toy(), { rareThreshold: 1 });
const factorArgs = (): [number[], { scope: number[]; table: number[] }[]] => [
  [2, 2],
  [
    { scope: [0], table: [1, 2] },
    { scope: [0, 1], table: [1, 2, 3, 4] },
  ],
];
const fg = createFactorGraph(...factorArgs());
const bayesNodes = () => [
  { cardinality: 2, parents: [], cpt: [[0.3, 0.7]] },
  { cardinality: 2, parents: [0], cpt: [[0.9, 0.1], [0.2, 0.8]] },
];
const bn = createBayesNet(bayesNodes());
const dg = new DirectedGraph(3, [
  [0, 1],
  [1, 2],
]);
const ug = new UndirectedGraph(3, [[0, 1]]);
const unary = () => [
  [0, 1],
  [2, 0],
  [0, 0],
];
const trans = () => [
  [1, -1],
  [-1, 1],
];

const cases = [
  // chain
  ...['chainLogPartition', 'chainViterbi', 'chainMarginals', 'chainPairwiseMarginals', 'chainBruteForce'].map((name) => ({
    name,
    call: (crf as unknown as Record<string, (...a: unknown[]) => unknown>)[name] as (...a: unknown[]) => unknown,
    args: () => [unary(), trans()],
  })),
  // −∞ scores mean "impossible" by design (documented), so −∞ may pass through
  { name: 'flattenScores', call: crf.flattenScores, args: () => ['t', 'x', unary()], allowInfinity: true },
  { name: 'assertNoOverflow', call: crf.assertNoOverflow, args: () => ['t', 1.5], allowInfinity: true },
  // graphs
  { name: 'DirectedGraph', call: (n: number, e: [number, number][]) => new DirectedGraph(n, e), args: () => [3, [[0, 1], [1, 2]]] },
  { name: 'DirectedGraph.parents', call: (v: number) => dg.parents(v), args: () => [1] },
  { name: 'DirectedGraph.children', call: (v: number) => dg.children(v), args: () => [1] },
  { name: 'UndirectedGraph', call: (n: number, e: [number, number][]) => new UndirectedGraph(n, e), args: () => [3, [[0, 1]]] },
  { name: 'UndirectedGraph.neighbours', call: (v: number) => ug.neighbours(v), args: () => [0] },
  { name: 'UndirectedGraph.fromDirected', call: (g: unknown) => UndirectedGraph.fromDirected(g as never), args: () => [dg] },
  { name: 'createFactorGraph', call: createFactorGraph, args: factorArgs },
  { name: 'createFactorGraph (factor fields)', export: 'createFactorGraph', call: (f: unknown) => createFactorGraph([2, 2], [f as never]), args: () => [{ scope: [0, 1], table: [1, 2, 3, 4] }], options: 0 },
  { name: 'bruteForceFactorGraph', call: crf.bruteForceFactorGraph, args: () => [fg] },
  { name: 'sumProduct', call: crf.sumProduct, args: () => [fg] },
  { name: 'createBayesNet', call: createBayesNet, args: () => [bayesNodes()] },
  { name: 'createBayesNet (node fields)', export: 'createBayesNet', call: (nd: unknown) => createBayesNet([bayesNodes()[0], nd as never]), args: () => [bayesNodes()[1]], options: 0 },
  { name: 'BayesNet.logProb', export: 'createBayesNet', call: (x: number[]) => bn.logProb(x), args: () => [[0, 1]] },
  { name: 'BayesNet.sample', export: 'createBayesNet', call: (r: unknown) => bn.sample(r as never), args: () => [{ seed: 1 }], options: 0 },
  // HMM
  { name: 'createHMM', call: createHMM, args: () => [hmmParams()], options: 0 },
  { name: 'createGaussianHMM', call: createGaussianHMM, args: () => [gaussParams()], options: 0 },
  { name: 'HMM.fromJSON', call: (j: unknown) => HMM.fromJSON(j as never), args: () => [JSON.parse(JSON.stringify(hmm.toJSON()))], options: 0 },
  { name: 'HMM.fromJSON (Gaussian)', export: 'HMM', call: (j: unknown) => HMM.fromJSON(j as never), args: () => [JSON.parse(JSON.stringify(gauss.toJSON()))], options: 0 },
  { name: 'HMM.logLikelihood', call: (x: unknown) => hmm.logLikelihood(x as never), args: () => [[0, 1, 1]] },
  { name: 'HMM.logLikelihood (Gaussian)', export: 'HMM', call: (x: unknown) => gauss.logLikelihood(x as never), args: () => [[0.5, 2, 3.5]] },
  { name: 'HMM.viterbi', call: (x: unknown) => hmm.viterbi(x as never), args: () => [[0, 1, 1]] },
  { name: 'HMM.posteriors', call: (x: unknown) => gauss.posteriors(x as never), args: () => [[[0.5], [2], [3.5]]] },
  { name: 'HMM.pairwiseMarginals', call: (x: unknown) => hmm.pairwiseMarginals(x as never), args: () => [[0, 1, 1]] },
  { name: 'HMM.sample', call: (T: number, r: unknown) => hmm.sample(T, r as never), args: () => [5, { seed: 2 }] },
  { name: 'estimateHMM', call: crf.estimateHMM, args: () => [[{ observations: [0, 1, 1], states: [0, 1, 1] }], { states: 2, symbols: 2, smoothing: 1 }], options: 1 },
  { name: 'estimateHMM (sequence fields)', export: 'estimateHMM', call: (s: unknown) => crf.estimateHMM([s as never], { states: 2, symbols: 2 }), args: () => [{ observations: [0, 1, 1], states: [0, 1, 1] }], options: 0 },
  { name: 'fitHMM', call: crf.fitHMM, args: () => [[[0, 1, 1, 0], [1, 1]], { init: hmm, maxIterations: 5, tol: 1e-6, smoothing: 0.1, varianceFloor: 1e-3 }], options: 1 },
  { name: 'fitHMM (Gaussian)', export: 'fitHMM', call: crf.fitHMM, args: () => [[[0.5, 2, 3], [1, 4]], { init: gauss, maxIterations: 5 }], options: 1 },
  { name: 'fitHMMAsync', call: crf.fitHMMAsync, args: () => [[[0, 1, 1, 0], [1, 1]], { init: hmm, maxIterations: 5, tol: 1e-6 }], options: 1 },
  // a concentration of 1e-300 draws exact zeros: log 0 = −∞ in logInitial/logTransition is exact (as for createHMM with zeros)
  { name: 'randomHMM', call: crf.randomHMM, args: () => [{ states: 2, symbols: 3, concentration: 1, seed: 1 }], options: 0, allowInfinity: true },
  // CRF
  { name: 'fitCRF', call: fitCRF, args: () => [toy(), { l2: 0.1, maxIterations: 3, gradTol: 1e-4, fTol: 1e-6, memory: 4, minFeatureCount: 1, algorithm: 'lbfgs', templates: { window: 1 } }], options: 1 },
  { name: 'fitCRF (perceptron)', export: 'fitCRF', call: fitCRF, args: () => [toy(), { algorithm: 'perceptron', epochs: 2, seed: 1 }], options: 1 },
  { name: 'fitCRF (sentence fields)', export: 'fitCRF', call: (s: unknown) => fitCRF([s as never], { maxIterations: 2 }), args: () => [toy()[0]], options: 0 },
  { name: 'fitCRF (templates)', export: 'fitCRF', call: (t: unknown) => fitCRF(toy(), { maxIterations: 2, templates: t as never }), args: () => [{ word: true, prefixes: [1], suffixes: [2], window: 1, shape: true, bias: true, bosEos: true, lower: true }], options: 0 },
  { name: 'fitCRFAsync', call: crf.fitCRFAsync, args: () => [toy(), { l2: 0.1, maxIterations: 3, memory: 4 }], options: 1 },
  { name: 'CRFModel.fromJSON', call: (j: unknown) => CRFModel.fromJSON(j as never), args: () => [crfJSON()], options: 0 },
  { name: 'CRFModel.fromJSON (report)', export: 'CRFModel', call: (r: unknown) => CRFModel.fromJSON({ ...crfJSON(), report: r }), args: () => [crfJSON().report], options: 0 },
  { name: 'CRFModel.predict', call: (t: unknown) => crfModel.predict(t as never), args: () => [['the', 'cat']] },
  { name: 'CRFModel.predictIds', call: (t: unknown) => crfModel.predictIds(t as never), args: () => [['the', 'cat']] },
  { name: 'CRFModel.marginals', call: (t: unknown) => crfModel.marginals(t as never), args: () => [['the', 'cat']] },
  { name: 'CRFModel.logPartition', call: (t: unknown) => crfModel.logPartition(t as never), args: () => [['the', 'cat']] },
  { name: 'CRFModel.logProbability', call: (t: unknown, y: unknown) => crfModel.logProbability(t as never, y as never), args: () => [['the', 'cat'], ['D', 'N']] },
  { name: 'CRFModel.unaryScores', call: (t: unknown) => crfModel.unaryScores(t as never), args: () => [['the', 'cat']] },
  { name: 'CRFModel.transitionWeight', call: (i: number, j: number) => crfModel.transitionWeight(i, j), args: () => [0, 1] },
  { name: 'CRFObjective', call: (t: unknown, d: unknown, l2: unknown) => new CRFObjective(t as never, d as never, l2 as never), args: () => [built().table, built().encoded, 1] },
  { name: 'CRFObjective.evaluate', call: (w: unknown, g: unknown) => objective.evaluate(w as never, g as never), args: () => [new Float64Array(objective.table.nWeights), new Float64Array(objective.table.nWeights)] },
  { name: 'CRFObjective (table fields)', export: 'CRFObjective', call: (t: unknown) => new CRFObjective(t as never, built().encoded, 1), args: () => [{ ...built().table }], options: 0 },
  { name: 'CRFObjective (data fields)', export: 'CRFObjective', call: (d: unknown) => new CRFObjective(built().table, d as never, 1), args: () => [{ ...built().encoded }], options: 0 },
  { name: 'buildFeatureTable', call: crf.buildFeatureTable, args: () => [toy(), { window: 1 }, 1] },
  { name: 'encodeSentences', call: crf.encodeSentences, args: () => [built().table, DEFAULT_TEMPLATES, toy()] },
  { name: 'empiricalCounts', call: crf.empiricalCounts, args: () => [built().table, built().encoded] },
  { name: 'checkTable', call: crf.checkTable, args: () => ['t', built().table] },
  { name: 'checkEncoded', call: crf.checkEncoded, args: () => ['t', built().table, built().encoded, true] },
  { name: 'checkSentences', call: crf.checkSentences, args: () => ['t', toy(), true] },
  { name: 'checkTokens', call: crf.checkTokens, args: () => ['t', ['a', 'b'], 'tokens'] },
  { name: 'trainPerceptron', call: crf.trainPerceptron, args: () => [built().table, built().encoded, { epochs: 2, seed: 1 }], options: 2 },
  { name: 'trainPerceptronAsync', call: crf.trainPerceptronAsync, args: () => [built().table, built().encoded, { epochs: 2 }], options: 2 },
  { name: 'forEachAttribute', call: (t: unknown, tpl: unknown, emit: unknown) => crf.forEachAttribute(t as never, tpl as never, emit as never), args: () => [['a', 'b'], DEFAULT_TEMPLATES, () => undefined] },
  { name: 'resolveTemplates', call: crf.resolveTemplates, args: () => ['t', { window: 2, prefixes: [1, 2], suffixes: [3], word: true }], options: 1 },
  { name: 'tokenAttributes', call: crf.tokenAttributes, args: () => [['The', 'dog'], { window: 1 }] },
  { name: 'wordShape', call: crf.wordShape, args: () => ['McDonald'] },
  // corpus, evaluation
  { name: 'baseBrownTag', call: crf.baseBrownTag, args: () => ['nn-tl'] },
  { name: 'brownToUniversal', call: crf.brownToUniversal, args: () => ['nn-tl'] },
  { name: 'brownSplit', call: crf.brownSplit, args: () => [['ca01', 'ca02', 'README']] },
  { name: 'parseBrown', call: crf.parseBrown, args: () => ['The/at dog/nn ./.', { tagset: 'universal' }], options: 1 },
  { name: 'evaluateTagging', call: crf.evaluateTagging, args: () => [[['D', 'N']], [['D', 'V']]] },
  { name: 'chunkF1', call: crf.chunkF1, args: () => [[['B-NP', 'I-NP', 'O']], [['B-NP', 'O', 'O']]] },
  { name: 'extractChunks', call: crf.extractChunks, args: () => [['B-NP', 'I-NP', 'O']] },
  { name: 'parseConll', call: crf.parseConll, args: () => ['a D\nb N\n\nc V\n', { tokenColumn: 0, tagColumn: 1 }], options: 1 },
  { name: 'formatConll', call: crf.formatConll, args: () => [toy(), ' '] },
  // tagger
  { name: 'fitHMMTagger', call: fitHMMTagger, args: () => [toy(), { rareThreshold: 1, maxSuffix: 3, smoothing: 0.1 }], options: 1 },
  { name: 'fitHMMTaggerAsync', call: crf.fitHMMTaggerAsync, args: () => [toy(), { rareThreshold: 1 }], options: 1 },
  { name: 'HMMTagger.fromJSON', call: (j: unknown) => HMMTagger.fromJSON(j as never), args: () => [JSON.parse(JSON.stringify(tagger.toJSON()))], options: 0 },
  { name: 'HMMTagger.fromJSON (suffix model)', export: 'HMMTagger', call: (m: unknown) => HMMTagger.fromJSON({ ...tagger.toJSON(), suffix: m as never }), args: () => [tagger.toJSON().suffix], options: 0 },
  { name: 'HMMTagger.tag', call: (t: unknown) => tagger.tag(t as never), args: () => [['the', 'cat', 'runs']] },
  { name: 'HMMTagger.posteriors', call: (t: unknown) => tagger.posteriors(t as never), args: () => [['the', 'cat', 'runs']] },
  { name: 'buildSuffixModel', call: crf.buildSuffixModel, args: () => [[{ word: 'running', tag: 0, count: 2 }], Float64Array.from([0.5, 0.5]), 3] },
  { name: 'wordClass', call: crf.wordClass, args: () => ['Paris'] },
];

test('bad-input sweep over every public export: 0 untyped, 0 silent NaN/±Infinity, 0 mutated', async () => {
  const uncovered = uncoveredExports(crf, cases, EXEMPTIONS);
  expect(uncovered).toEqual([]);
  const counts = { typed: 0, accepted: 0, silent: 0, untyped: 0, mutated: 0, total: 0 };
  const failures: { case: string; mutation: string; outcome: string; detail: string }[] = [];
  const slow: string[] = [];
  for (const c of cases) {
    const t0 = performance.now();
    const r = await sweepBadInputs([c]);
    const ms = performance.now() - t0;
    if (ms > 500) slow.push(`${c.name} ${ms.toFixed(0)} ms`);
    for (const k of Object.keys(counts) as (keyof typeof counts)[]) counts[k] += r.counts[k];
    failures.push(...r.failures);
  }
  if (slow.length) console.log(`slowest cases: ${slow.join('; ')}`);
  writeFileSync(
    new URL('../bad-input-results.json', import.meta.url),
    `${JSON.stringify({ package: '@notes/crf', counts, exemptions: Object.keys(EXEMPTIONS) }, null, 2)}\n`,
  );
  console.log(`@notes/crf bad-input sweep: ${JSON.stringify(counts)}`);
  for (const f of failures) console.log(`${f.outcome}: ${f.case} — ${f.mutation} — ${f.detail}`);
  expect(failures).toEqual([]);
  expect(counts.untyped + counts.silent + counts.mutated).toBe(0);
}, 120_000);
