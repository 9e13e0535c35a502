// CRF speed on the Brown split (universal tags): training tokens/s per objective evaluation (one L-BFGS
// iteration costs about one evaluation; the accuracy bench prints evaluations per iteration) with the default
// scaled path (interned attribute segments, `ExpectedCounts`) vs the per-sentence log-space reference kernel, and tagging tokens/s including feature extraction vs the HMM tagger.
import { report, sink, time } from '@notes/bench-kit';
import { createRng } from '@notes/core-linalg';
import { buildFeatureTable, CRFObjective, fitCRF, fitHMMTagger, resolveTemplates } from '../src/index.js';
import { loadBrown } from './brownData.js';

const { train, test } = loadBrown('universal');
const nTrain = train.reduce((s, x) => s + x.tokens.length, 0);
const nTest = test.reduce((s, x) => s + x.tokens.length, 0);
const tpl = resolveTemplates('bench', {});
const t0 = performance.now();
const { table, encoded } = buildFeatureTable(train, tpl, 1);
const buildSeconds = (performance.now() - t0) / 1000;
console.log(`features: ${table.attrNames.length} attributes, ${table.nWeights} weights; table + encoding ${buildSeconds.toFixed(1)} s`);
const w = Float64Array.from({ length: table.nWeights }, (_, k) => 0.01 * Math.sin(k));
const g = new Float64Array(table.nWeights);
const scaled = new CRFObjective(table, encoded, 1, 'scaled');
const logk = new CRFObjective(table, encoded, 1, 'log');
let acc = 0;
/** CPU seconds (user + system) of one call: robust to other jobs on a shared machine, unlike wall time. */
const cpu = (fn: () => void): number => {
  const c0 = process.cpuUsage();
  fn();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1e6;
};
const tScaled = time(() => { acc += scaled.evaluate(w, g); }, { minRuns: 3, warmup: 1, minMs: 1 });
const tLog = time(() => { acc += logk.evaluate(w, g); }, { minRuns: 3, warmup: 1, minMs: 1 });
const cScaled = cpu(() => { acc += scaled.evaluate(w, g); });
const cLog = cpu(() => { acc += logk.evaluate(w, g); });
console.log(`CPU time per evaluation: scaled (segments) ${cScaled.toFixed(2)} s (${(nTrain / cScaled / 1e3).toFixed(0)}k tokens/s), log-space ${cLog.toFixed(2)} s (${(nTrain / cLog / 1e3).toFixed(0)}k tokens/s)`);
report(`CRF objective + gradient over ${nTrain} training tokens (wall clock)`, [
  { name: `log-space kernels: ${(nTrain / tLog / 1e3).toFixed(0)}k tokens/s`, seconds: tLog },
  { name: `scaled path (segments): ${(nTrain / tScaled / 1e3).toFixed(0)}k tokens/s`, seconds: tScaled, baseline: tLog, baselineName: 'log-space' },
]);

const model = fitCRF(train, { algorithm: 'perceptron', epochs: 2, rng: createRng(1) });
const hmm = fitHMMTagger(train);
const tCrf = time(() => { for (const s of test) acc += model.predictIds(s.tokens)[0]; }, { minRuns: 3, warmup: 1, minMs: 1 });
const tHmm = time(() => { for (const s of test) acc += hmm.tag(s.tokens).length; }, { minRuns: 3, warmup: 1, minMs: 1 });
const cCrf = cpu(() => { for (const s of test) acc += model.predictIds(s.tokens)[0]; });
const cHmm = cpu(() => { for (const s of test) acc += hmm.tag(s.tokens).length; });
console.log(`CPU time per tagging pass: CRF ${cCrf.toFixed(2)} s (${(nTest / cCrf / 1e3).toFixed(0)}k tokens/s), HMM ${cHmm.toFixed(2)} s (${(nTest / cHmm / 1e3).toFixed(0)}k tokens/s)`);
console.log(`load average while measuring: ${(await import('node:os')).loadavg().map((x) => x.toFixed(1)).join(' ')}`);
report(`Tagging ${nTest} test tokens (feature extraction + Viterbi; wall clock)`, [
  { name: `HMM tagger: ${(nTest / tHmm / 1e3).toFixed(0)}k tokens/s`, seconds: tHmm },
  { name: `CRF predict: ${(nTest / tCrf / 1e3).toFixed(0)}k tokens/s`, seconds: tCrf, baseline: tHmm, baselineName: 'HMM tagger' },
]);
console.log('CRFsuite comparison: see bench/crfsuite.bench.ts (needs CRFSUITE_MODULE pointing at a crfsuite binding built from source outside the repo).');
console.log(`sink ${sink + (acc > 0 ? 1 : 0)}`);
