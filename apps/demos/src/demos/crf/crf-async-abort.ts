/**
 * Linear CRF trained with `fitCRFAsync` (the L-BFGS loop of `fitCRF` driven by core's `minimizeLBFGSAsync`, which
 * yields to the event loop at least every 50 ms) on 6,000 Brown training sentences, stopped by an `AbortSignal`
 * fired from a timer after 4 s — what a "stop" button in a web page does. The rejection's `AbortError.partial` is
 * the model at the current weights: it tags the held-out files, and the progress trace (objective vs elapsed ms)
 * shows how far training got.
 */
import { AbortError } from '@notes/core-linalg';
import { CRFModel, type CRFProgress, evaluateTagging, fitCRFAsync } from '@notes/crf';
import { atLeast, atMost, equals } from '../../claims.js';
import type { Demo } from '../../demo.js';
import { loadBrown } from './_brown.js';

const demo: Demo = {
  id: 'crf/crf-async-abort',
  title: 'CRF training stopped from a timer: fitCRFAsync and the partial model',
  section: 'Conditional Probabilistic Graphical Model · Linear CRF',
  order: 615,
  async run({ log }) {
    const { train, test } = loadBrown('universal');
    const sub = train.slice(0, 6000);
    const trace: CRFProgress[] = [];
    const controller = new AbortController();
    let fired = 0;
    const pending = fitCRFAsync(sub, {
      l2: 1,
      maxIterations: 10_000,
      signal: controller.signal,
      onProgress: (p) => {
        trace.push(p);
        if (p.iteration % 10 === 0) log(`iteration ${p.iteration}: objective ${p.objective.toFixed(1)} at ${p.elapsedMs.toFixed(0)} ms`);
      },
    });
    setTimeout(() => {
      fired = performance.now();
      controller.abort();
    }, 4000);
    const outcome = await pending.then(
      (model) => ({ model, error: undefined as unknown }),
      (error: unknown) => ({ model: undefined, error }),
    );
    const latencyMs = performance.now() - fired;
    const partial = outcome.error instanceof AbortError ? outcome.error.partial : outcome.model;
    if (!(partial instanceof CRFModel)) throw new Error(`crf-async-abort: expected a partial model, got ${String(outcome.error)}`);
    const gold = test.map((s) => s.tags);
    const r = evaluateTagging(
      gold,
      test.map((s) => partial.predict(s.tokens)),
    );
    // baseline: tag every test token with the most frequent training tag
    const counts = new Map<string, number>();
    for (const s of sub) for (const t of s.tags) counts.set(t, (counts.get(t) ?? 0) + 1);
    const top = [...counts].sort((a, b) => b[1] - a[1])[0][0];
    const baseline = evaluateTagging(
      gold,
      gold.map((g) => g.map(() => top)),
    ).accuracy;
    return {
      claims: [
        equals('the fit was stopped by the signal (report.reason of the partial model)', partial.report?.reason ?? 'none', 'aborted'),
        atMost('ms from abort() to the rejection (one objective evaluation at most)', latencyMs, 2000),
        atLeast('iterations done before the abort', partial.report?.iterations ?? 0, 1),
        atLeast(`token accuracy of the partial model on the held-out files, vs tagging everything ${top}`, r.accuracy, baseline),
      ],
      metrics: {
        'training sentences': sub.length,
        'training tokens': partial.tokens ?? 0,
        'L-BFGS iterations before the abort': partial.report?.iterations ?? 0,
        'objective evaluations': partial.report?.evaluations ?? 0,
        'abort latency (ms)': latencyMs,
        'test accuracy of the partial model': r.accuracy,
        'test accuracy of the most-frequent-tag baseline': baseline,
      },
      summary:
        'fitCRFAsync runs the same L-BFGS iterations as fitCRF but yields to the event loop, so the timer that calls abort() runs during training; the AbortError carries the model at the current weights, already a usable tagger. How many iterations fit in 4 s depends on the machine and its load (the accuracy with them).',
      plots: [
        {
          $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
          title: 'Regularised negative log-likelihood until the abort',
          width: 420,
          height: 220,
          data: { values: trace.map((p) => ({ ms: p.elapsedMs, objective: p.objective, iteration: p.iteration })) },
          mark: { type: 'line', point: true },
          encoding: {
            x: { field: 'ms', type: 'quantitative', title: 'elapsed (ms)' },
            y: { field: 'objective', type: 'quantitative', scale: { type: 'log' } },
            tooltip: [{ field: 'iteration', type: 'quantitative' }],
          },
        },
      ],
    };
  },
};

export default demo;
