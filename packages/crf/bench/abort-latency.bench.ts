// Abort latency of the async fits: time from `controller.abort()` (fired by a timer 300 ms into training) to the
// rejection (the tagger's at 20 ms), on the committed Brown slice (900 training sentences, 19,954 tokens) and, for Baum–Welch, 40 × 2,000
// observations from a 2-state HMM. Five runs each; prints median and max and writes bench/results/abort-latency.json.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { AbortError, createRng } from '@notes/core-linalg';
import { buildFeatureTable, createHMM, DEFAULT_TEMPLATES, fitCRFAsync, fitHMMAsync, fitHMMTaggerAsync, parseBrown, randomHMM, trainPerceptronAsync } from '../src/index.js';

const slice = parseBrown(readFileSync(new URL('../fixtures/brown-slice-train.txt', import.meta.url), 'utf8'));
const { table, encoded } = buildFeatureTable(slice, DEFAULT_TEMPLATES, 1);
const truth = createHMM({ initial: [0.5, 0.5], transition: [[0.9, 0.1], [0.2, 0.8]], emission: [[0.7, 0.2, 0.1], [0.1, 0.3, 0.6]] });
const rng = createRng(1);
const seqs = Array.from({ length: 40 }, () => truth.sample(2000, rng).observations as number[]);
// fitHMMTagger counts 900 sentences in a few ms: a 100× repeated slice (90,000 sentences) and a 20 ms timer so
// that the abort fires during counting
const many = Array.from({ length: 100 }, () => slice).flat();

const fits: Record<string, (signal: AbortSignal) => Promise<unknown>> = {
  "fitCRFAsync (L-BFGS), Brown slice": (signal) => fitCRFAsync(slice, { maxIterations: 100_000, fTol: 0, gradTol: 1e-300, signal }),
  "fitCRFAsync (perceptron), Brown slice": (signal) => fitCRFAsync(slice, { algorithm: 'perceptron', epochs: 100_000, signal }),
  'trainPerceptronAsync, Brown slice table': (signal) => trainPerceptronAsync(table, encoded, { epochs: 100_000, signal }),
  'fitHMMAsync (Baum–Welch), 40 × 2,000 observations': (signal) => fitHMMAsync(seqs, { init: randomHMM({ states: 2, symbols: 3, seed: 2 }), tol: 0, maxIterations: 10_000_000, signal }),
  'fitHMMTaggerAsync, 90,000 sentences (timer at 20 ms)': (signal) => fitHMMTaggerAsync(many, { signal }),
};

const results: Record<string, { latenciesMs: number[]; medianMs: number; maxMs: number; partial: string }> = {};
for (const [name, run] of Object.entries(fits)) {
  const latencies: number[] = [];
  let partial = '';
  for (let r = 0; r < 5; r++) {
    const c = new AbortController();
    let fired = 0;
    const p: Promise<unknown> = run(c.signal).catch((e: unknown) => e);
    setTimeout(
      () => {
        fired = performance.now();
        c.abort();
      },
      name.startsWith('fitHMMTagger') ? 20 : 300,
    );
    const out: unknown = await p;
    if (!(out instanceof AbortError)) throw new Error(`${name}: finished before the abort (${String(out)})`);
    latencies.push(performance.now() - fired);
    const report = (out.partial as { report?: { reason: string; iterations: number } } | undefined)?.report;
    partial = report ? `model, reason ${report.reason}, ${report.iterations} iterations` : 'none';
  }
  const sorted = [...latencies].sort((a, b) => a - b);
  results[name] = { latenciesMs: latencies, medianMs: sorted[2], maxMs: sorted[4], partial };
  console.log(`${name}: abort latency median ${sorted[2].toFixed(1)} ms, max ${sorted[4].toFixed(1)} ms (partial: ${partial})`);
}
console.log(`load average: ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(
  new URL('./results/abort-latency.json', import.meta.url),
  `${JSON.stringify({ results, load: loadavg(), date: new Date().toISOString() }, null, 2)}\n`,
);
