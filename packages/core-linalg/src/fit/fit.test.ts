import { describe, expect, test } from 'vitest';
import { AbortError, DomainError } from '../errors/index.js';
import { createRng, resolveRng } from '../random/index.js';
import { type FitLoop, makeFitReport, readFitReport, runFit, runFitAsync } from './index.js';

/** A loop that burns ~`msPerIteration` per iteration and records its cleanup. */
function* busyLoop(iterations: number, msPerIteration: number, log: string[]): FitLoop<number> {
  let x = 0;
  try {
    for (let i = 0; i < iterations; i++) {
      const until = performance.now() + msPerIteration;
      while (performance.now() < until) x += 1;
      const at = i;
      yield () => ({ iteration: at + 1 });
    }
    return iterations;
  } finally {
    log.push('closed');
  }
}

describe('fit drivers: one loop, sync and async', () => {
  test('both drivers return the loop result', async () => {
    expect(runFit('f', busyLoop(3, 0, []))).toBe(3);
    expect(await runFitAsync('f', busyLoop(3, 0, []))).toBe(3);
  });
  test('an already aborted signal stops before the first iteration, and the loop is closed', async () => {
    const c = new AbortController();
    c.abort();
    const log: string[] = [];
    expect(() => runFit('f', busyLoop(3, 0, log), { signal: c.signal })).toThrow(AbortError);
    await expect(runFitAsync('f', busyLoop(3, 0, []), { signal: c.signal })).rejects.toBeInstanceOf(AbortError);
  });
  test('an abort fired by a timer stops the async fit within one iteration, with the partial state', async () => {
    const c = new AbortController();
    const log: string[] = [];
    const started = performance.now();
    setTimeout(() => c.abort(), 30);
    let err: unknown;
    try {
      await runFitAsync('fitThing', busyLoop(10_000, 5, log), { signal: c.signal, yieldEveryMs: 20 });
    } catch (e) {
      err = e;
    }
    const elapsed = performance.now() - started;
    expect(err).toBeInstanceOf(AbortError);
    expect((err as AbortError).message).toMatch(/^fitThing: aborted/);
    const partial = (err as AbortError).partial as { iteration: number };
    expect(partial.iteration).toBeGreaterThan(0);
    expect(partial.iteration).toBeLessThan(10_000);
    expect(log).toEqual(['closed']);
    // Far below the 50 s the loop would take; generous for a busy machine.
    expect(elapsed).toBeLessThan(5_000);
  });
  test('the sync driver sees a signal aborted from inside the loop (e.g. by onProgress)', () => {
    const c = new AbortController();
    function* loop(): FitLoop<string> {
      for (let i = 0; i < 10; i++) {
        if (i === 4) c.abort();
        yield () => i;
      }
      return 'done';
    }
    let err: unknown;
    try {
      runFit('f', loop(), { signal: c.signal });
    } catch (e) {
      err = e;
    }
    expect((err as AbortError).partial).toBe(4);
  });
});

describe('fit reports', () => {
  test('success reasons set converged; the report is frozen and survives JSON', () => {
    const r = makeFitReport({ reason: 'converged', iterations: 7, elapsedMs: 1.5, criterion: 'tol', trace: [3, 2, 1] });
    expect(r.converged).toBe(true);
    expect(makeFitReport({ reason: 'max-iterations', iterations: 1, elapsedMs: 0 }).converged).toBe(false);
    expect(Object.isFrozen(r)).toBe(true);
    expect(readFitReport('f', JSON.parse(JSON.stringify(r)))).toEqual(r);
  });
  test.each([
    ['reason', 'tol'],
    ['iterations', -1],
    ['converged', 'yes'],
    ['elapsedMs', null],
    ['trace', 'abc'],
  ])('a tampered %s is rejected', (field, value) => {
    const r = { ...makeFitReport({ reason: 'converged', iterations: 1, elapsedMs: 1, trace: [1] }), [field]: value };
    expect(() => readFitReport('fromJSON', r)).toThrow(DomainError);
  });
});

describe('seed or rng', () => {
  test('a seed and the generator it makes give the same stream; both together are rejected', () => {
    const a = resolveRng('f', { seed: 5 });
    const b = resolveRng('f', { rng: createRng(5) });
    expect(a.uniform()).toBe(b.uniform());
    expect(resolveRng('f', {}, 7).seed).toBe(7);
    expect(() => resolveRng('f', { seed: 1, rng: createRng(1) })).toThrow(/either option 'seed' or option 'rng'/);
    expect(() => resolveRng('f', { seed: -1 })).toThrow(DomainError);
    expect(() => resolveRng('f', { rng: {} as never })).toThrow(DomainError);
  });
});
