// docs/conventions.md §8 for fitDeepGP: checkEstimator (report, progress, unknown option, pre-aborted signal, async
// twin = sync fit, abort from a timer with the latency recorded, JSON round trip, tampered JSON rejected, caller's
// data unchanged) and the abort partial of the async twin.
import { abortLatencies, checkEstimator } from '@notes/check-kit';
import { afterAll, describe, expect, test } from 'vitest';
import { DeepGPModel, fitDeepGP, fitDeepGPAsync } from './index.js';

const X = () => Array.from({ length: 40 }, (_, i) => [i / 8]);
const y = () => X().map((r) => Math.sin(r[0] as number) + 0.1 * Math.cos(5 * (r[0] as number)));

describe('checkEstimator: fitDeepGP', () => {
  for (const c of checkEstimator({
    name: 'fitDeepGP',
    data: () => [X(), y()],
    fit: fitDeepGP,
    fitAsync: fitDeepGPAsync,
    options: { layers: 2, inducing: 6, batchSize: 10, epochs: 2, seed: 1 },
    slowOptions: { epochs: 1e6, batchSize: 1 },
    fromJSON: (j: unknown) => DeepGPModel.fromJSON(j as never),
    tamper: [
      { path: 'kind', value: 'svgp' },
      { path: 'version', value: 2 },
      { path: 'noise', value: 0 },
      { path: 'jitter', value: -1 },
      { path: 'yStd', value: -1 },
      { path: 'yMean', value: null },
      { path: 'layers', value: [] },
      { path: 'layers.0.variance', value: -1 },
      { path: 'layers.0.lengthScale', value: [1, 2] },
      { path: 'layers.0.Z', value: [[1]] },
      { path: 'layers.0.Z.0.0', value: 'a' },
      { path: 'layers.0.qMu.0', value: [1, 2, 3] },
      { path: 'layers.0.qSqrt.0.0.1', value: 0.5 },
      { path: 'layers.0.qSqrt.0.0.0', value: 0 },
      { path: 'layers.0.meanFunction', value: null },
      { path: 'layers.1.meanFunction', value: [[1]] },
      { path: 'layers.1.Z.0', value: [1, 2] },
      { path: 'layers.1.qMu.0', value: [1, 2] },
      { path: 'report.reason', value: 'ok' },
    ],
  })) test(c.name, c.run, 20_000);

  test('fitDeepGPAsync abort: the partial is the model at the current step', async () => {
    const ctrl = new AbortController();
    setTimeout(() => ctrl.abort(), 100);
    let err: { code?: string; partial?: unknown } | undefined;
    try {
      await fitDeepGPAsync(X(), y(), { inducing: 6, batchSize: 1, epochs: 1e6, seed: 1, signal: ctrl.signal });
    } catch (e) {
      err = e as typeof err;
    }
    expect(err?.code).toBe('aborted');
    const p = err?.partial as DeepGPModel;
    expect(p).toBeInstanceOf(DeepGPModel);
    expect(p.report.reason).toBe('aborted');
    expect(p.report.iterations).toBeGreaterThan(0);
    expect(Number.isFinite(p.predict([[0.5]]).mean[0])).toBe(true);
  }, 20_000);
});

afterAll(() => {
  for (const { name, latencyMs } of abortLatencies) console.info(`abort latency ${name}: ${latencyMs.toFixed(1)} ms`);
});
