/**
 * Test-only check shared by the iterative fits (mapEstimate, fitNCE): an abort requested from
 * `onProgress` at iteration 2, after at least 5 ms inside the fit, must reject with an AbortError whose
 * partial report says `aborted` at iteration 2 and gives the wall-clock time spent (it once gave 0).
 * Not exported from the package.
 * @internal
 */
import { AbortError } from '@notes/core-linalg';
import { expect } from 'vitest';

/** The progress/abort options the fit under test must forward. */
export interface AbortHooks {
  onProgress: (info: { iteration: number }) => void;
  signal: AbortSignal;
}

/** Runs `fit(hooks)`, aborting at iteration 2, and checks the partial report's reason, iteration and elapsedMs. */
export function expectAbortReportsElapsed(fit: (hooks: AbortHooks) => unknown): void {
  const c = new AbortController();
  const t0 = performance.now();
  let err: unknown;
  try {
    fit({
      onProgress: (info) => {
        if (info.iteration === 2) {
          const t = performance.now();
          while (performance.now() - t < 5); // at least 5 ms inside the fit before it is aborted
          c.abort();
        }
      },
      signal: c.signal,
    });
  } catch (e) {
    err = e;
  }
  const total = performance.now() - t0;
  expect(err).toBeInstanceOf(AbortError);
  const partial = (err as AbortError).partial as { report: { reason: string; iterations: number; elapsedMs: number } };
  expect(partial.report.reason).toBe('aborted');
  expect(partial.report.iterations).toBe(2);
  expect(partial.report.elapsedMs).toBeGreaterThanOrEqual(5);
  expect(partial.report.elapsedMs).toBeLessThanOrEqual(total);
}
