// Full Brown run (universal tags, fixed file split): supervised HMM tagger, CRF by L-BFGS, CRF by averaged perceptron.
// Iterations: BROWN_LBFGS_ITERATIONS (default 100); BROWN_SKIP_LBFGS=1 skips the slow L-BFGS fit.
// Writes bench/results/brown-accuracy.json (committed figures quoted in the README come from it).
import { mkdirSync, writeFileSync } from 'node:fs';
import { report } from '@notes/bench-kit';
import { createRng } from '@notes/core-linalg';
import { evaluateTagging, fitCRF, fitHMMTagger, type TaggedSentence } from '../src/index.js';
import { loadBrown } from './brownData.js';

const iters = Number(process.env.BROWN_LBFGS_ITERATIONS ?? 100);
const { train, test } = loadBrown('universal');
const nTrain = train.reduce((s, x) => s + x.tokens.length, 0);
const nTest = test.reduce((s, x) => s + x.tokens.length, 0);
console.log(`Brown universal: ${train.length} train sentences (${nTrain} tokens), ${test.length} test sentences (${nTest} tokens)`);
const gold = test.map((s) => s.tags);
const accuracy = (tag: (s: TaggedSentence) => string[]) => evaluateTagging(gold, test.map(tag)).accuracy;

const results: Record<string, number | string> = { trainTokens: nTrain, testTokens: nTest };
let t0 = performance.now();
const hmm = fitHMMTagger(train);
results.hmmFitSeconds = (performance.now() - t0) / 1000;
t0 = performance.now();
results.hmmAccuracy = accuracy((s) => hmm.tag(s.tokens));
results.hmmTagSeconds = (performance.now() - t0) / 1000;
console.log(`HMM tagger: accuracy ${(100 * (results.hmmAccuracy as number)).toFixed(2)} %`);

t0 = performance.now();
const perc = fitCRF(train, { algorithm: 'perceptron', epochs: 8, rng: createRng(1) });
results.perceptronFitSeconds = (performance.now() - t0) / 1000;
results.perceptronAccuracy = accuracy((s) => perc.predict(s.tokens));
console.log(`CRF averaged perceptron (8 epochs): accuracy ${(100 * (results.perceptronAccuracy as number)).toFixed(2)} %`);

if (process.env.BROWN_SKIP_LBFGS !== '1') {
  t0 = performance.now();
  const fit = fitCRF(train, {
    maxIterations: iters,
    l2: 1,
    onProgress: (p) => {
      if (p.iteration % 10 === 0) console.log(`  L-BFGS iteration ${p.iteration}: objective ${p.objective.toFixed(1)} (${(p.elapsedMs / 1000).toFixed(0)} s)`);
    },
  });
  results.lbfgsFitSeconds = (performance.now() - t0) / 1000;
  results.lbfgsIterations = fit.report.iterations;
  results.lbfgsEvaluations = fit.report.evaluations ?? 0;
  results.lbfgsReason = fit.report.reason;
  results.features = fit.features;
  results.lbfgsAccuracy = accuracy((s) => fit.predict(s.tokens));
  console.log(`CRF L-BFGS (${fit.report.iterations} iterations, ${fit.report.reason}): accuracy ${(100 * (results.lbfgsAccuracy as number)).toFixed(2)} %`);
}
report('Brown (universal tags) fit time', [
  { name: 'HMM tagger fit', seconds: results.hmmFitSeconds as number },
  { name: 'CRF averaged perceptron, 8 epochs', seconds: results.perceptronFitSeconds as number, baseline: results.hmmFitSeconds as number, baselineName: 'HMM fit' },
  ...(results.lbfgsFitSeconds ? [{ name: `CRF L-BFGS, ${results.lbfgsIterations} iterations`, seconds: results.lbfgsFitSeconds as number, baseline: results.hmmFitSeconds as number, baselineName: 'HMM fit' }] : []),
]);
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(new URL('./results/brown-accuracy.json', import.meta.url), `${JSON.stringify({ ...results, date: new Date().toISOString() }, null, 2)}\n`);
console.log(JSON.stringify(results));
