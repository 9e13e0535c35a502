// The OT solvers against docs/conventions.md: checkEstimator adapted to results (not models: no JSON),
// the async twins equal to the sync calls, aborts from setTimeout with their partial results and
// latencies, the memory guard, and options through core's option spec.
import { abortLatencies, checkEstimator } from '@notes/check-kit';
import { AbortError, createRng, ResourceError } from '@notes/core-linalg';
import { afterAll, describe, expect, test } from 'vitest';
import { costMatrix } from './cost.js';
import { kantorovichDualCheck } from './dual.js';
import { emd, emdAsync } from './emd.js';
import { sinkhorn, sinkhornAsync } from './sinkhorn.js';

/** A random n×m problem with squared-Euclidean costs scaled to max 1 (number[][] for the caller-data check). */
function problem(n: number, m: number, seed = 1): [number[], number[], number[][]] {
  const rng = createRng(seed);
  const x = Array.from({ length: n }, () => [rng.normal(), rng.normal()]);
  const y = Array.from({ length: m }, () => [rng.normal() + 1, rng.normal()]);
  const wa = Array.from({ length: n }, () => 0.2 + rng.uniform());
  const wb = Array.from({ length: m }, () => 0.2 + rng.uniform());
  const sa = wa.reduce((s, v) => s + v, 0);
  const sb = wb.reduce((s, v) => s + v, 0);
  const M = costMatrix(x, y);
  return [wa.map((v) => v / sa), wb.map((v) => v / sb), M.div(M.max()).to2DArray()];
}

const checks = [
  ...checkEstimator({
    name: 'emd',
    data: () => problem(12, 10),
    fit: emd,
    fitAsync: emdAsync,
    options: { progressEvery: 1 },
    // no option makes a 12×10 emd slow: the timer abort runs on 1000×1000 (hundreds of ms of pivots)
    slowData: () => problem(1000, 1000, 3),
  }),
  ...checkEstimator({
    name: 'sinkhorn',
    data: () => problem(12, 10),
    fit: sinkhorn,
    fitAsync: sinkhornAsync,
    options: { reg: 0.05 },
    slowOptions: { reg: 1e-4, tol: 1e-300, maxIterations: 10_000_000 },
  }),
];

describe('Optimal transport: conventions (checkEstimator adapted to OT results)', () => {
  for (const c of checks) test(c.name, c.run);

  test('the async twins give the same result as the sync calls (cost, plan, potentials, report but time)', async () => {
    const [a, b, M] = problem(30, 25, 4);
    const pairs = [
      [emd(a, b, M), await emdAsync(a, b, M)],
      [sinkhorn(a, b, M, { reg: 0.02 }), await sinkhornAsync(a, b, M, { reg: 0.02 })],
      [sinkhorn(a, b, M, { reg: 0.02, method: 'standard' }), await sinkhornAsync(a, b, M, { reg: 0.02, method: 'standard' })],
    ] as const;
    for (const [s, t] of pairs) {
      expect(t.cost).toBe(s.cost);
      expect(t.plan.to2DArray()).toEqual(s.plan.to2DArray());
      expect(Array.from(t.potentials.f)).toEqual(Array.from(s.potentials.f));
      expect(Array.from(t.potentials.g)).toEqual(Array.from(s.potentials.g));
      expect({ ...t.report, elapsedMs: 0 }).toEqual({ ...s.report, elapsedMs: 0 });
      expect(s.report.reason).toBe('converged');
      expect(Object.isFrozen(s) && Object.isFrozen(s.potentials) && Object.isFrozen(s.report)).toBe(true);
    }
    expect(pairs[0][0].report.criterion).toBe('optimality');
    expect(pairs[1][0].report.criterion).toBe('tol');
  });

  test('sinkhornAsync aborted from setTimeout: AbortError whose partial is the current iterate (rows sum to a, potentials finite)', async () => {
    const [a, b, M] = problem(60, 50, 2);
    const c = new AbortController();
    const t0 = performance.now();
    setTimeout(() => c.abort(), 30);
    // latency = time from the timer's due time to the rejection (an upper bound of abort → reject)
    const err = await sinkhornAsync(a, b, M, { reg: 1e-4, tol: 1e-300, maxIterations: 10_000_000, signal: c.signal }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AbortError);
    const partial = (err as AbortError).partial as ReturnType<typeof sinkhorn>;
    expect(partial.report.reason).toBe('aborted');
    expect(partial.report.converged).toBe(false);
    expect(partial.report.iterations).toBeGreaterThan(0);
    const latencyMs = performance.now() - t0 - 30;
    abortLatencies.push({ name: 'sinkhornAsync 60×50', latencyMs });
    expect(latencyMs).toBeLessThan(2000);
    for (let i = 0; i < a.length; i++) {
      const row = partial.plan.getRow(i).reduce((s, v) => s + v, 0);
      expect(Math.abs(row - a[i]!)).toBeLessThan(1e-12);
    }
    expect([...partial.potentials.f, ...partial.potentials.g].every(Number.isFinite)).toBe(true);
    // the partial is a consistent iterate: Π = e^{(f ⊕ g − M)/ε}
    const { f, g } = partial.potentials;
    expect(Math.abs(Math.exp((f[3]! + g[5]! - M[3]![5]!) / 1e-4) - partial.plan.get(3, 5))).toBeLessThan(1e-12);
  });

  test('emdAsync aborted from setTimeout: AbortError whose partial holds the report (pivots so far)', async () => {
    const [a, b, M] = problem(1000, 1000, 3);
    const c = new AbortController();
    let fired = 0;
    setTimeout(() => {
      fired = performance.now();
      c.abort();
    }, 20);
    const err = await emdAsync(a, b, M, { signal: c.signal }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AbortError); // 1000×1000 takes hundreds of ms: it must still be running at 20 ms
    const latencyMs = performance.now() - fired;
    abortLatencies.push({ name: 'emdAsync 1000×1000', latencyMs });
    expect(latencyMs).toBeLessThan(2000); // generous: a busy 2-core machine
    const partial = (err as AbortError).partial as { report: { reason: string; iterations: number } };
    expect(partial.report.reason).toBe('aborted');
    expect(partial.report.iterations).toBeGreaterThanOrEqual(0);
  });

  test('progress: { iteration, objective, elapsedMs }; sinkhorn objective = the dual, rising to ⟨a, f⟩ + ⟨b, g⟩ − ε at the end; emd objective falls to the cost', () => {
    const [a, b, M] = problem(20, 15, 6);
    const seen: { iteration: number; objective: number; marginalError: number }[] = [];
    const r = sinkhorn(a, b, M, { reg: 0.05, onProgress: (p) => seen.push(p) });
    expect(seen.length).toBe(r.report.iterations);
    const last = seen.at(-1)!;
    let dual = -0.05;
    for (let i = 0; i < a.length; i++) dual += a[i]! * r.potentials.f[i]!;
    for (let j = 0; j < b.length; j++) dual += b[j]! * r.potentials.g[j]!;
    expect(Math.abs(last.objective - dual)).toBeLessThan(1e-12);
    for (let k = 1; k < seen.length; k++) expect(seen[k]!.objective).toBeGreaterThanOrEqual(seen[k - 1]!.objective - 1e-12);
    const ep: number[] = [];
    const e = emd(a, b, M, { progressEvery: 1, onProgress: (p) => ep.push(p.objective) });
    expect(Math.abs(ep.at(-1)! - e.cost)).toBeLessThan(1e-15);
    for (let k = 1; k < ep.length; k++) expect(ep[k]!).toBeLessThanOrEqual(ep[k - 1]! + 1e-12);
  });

  test('memory guard: ResourceError naming the size before any allocation (n = m = 60,000 needs 40+ GiB); maxMemoryBytes lowers the budget', () => {
    const big = new Float64Array(60_000).fill(1 / 60_000);
    // M is never read: the guard fires on the weights' lengths
    for (const call of [() => emd(big, big, [[0]]), () => sinkhorn(big, big, [[0]], { reg: 1 })]) {
      let err: unknown;
      try {
        call();
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ResourceError);
      expect((err as Error).message).toMatch(/60000×60000 plan .* needs about [\d.]+ GiB, above the budget of 2\.00 GiB/);
    }
    const [a, b, M] = problem(30, 30);
    expect(() => emd(a, b, M, { maxMemoryBytes: 1000 })).toThrow(ResourceError);
    expect(() => costMatrix(new Array(70_000).fill([0]), new Array(70_000).fill([1]))).toThrow(ResourceError);
  });

  test("unknown options name the closest valid key; u/v potentials are gone from kantorovichDualCheck", () => {
    const [a, b, M] = problem(4, 3);
    expect(() => sinkhorn(a, b, M, { reg: 1, maxIteration: 3 } as never)).toThrow(/unknown option 'maxIteration'; did you mean 'maxIterations'\?/);
    expect(() => emd(a, b, M, { normalise: true } as never)).toThrow(/unknown option 'normalise'; did you mean 'normalize'\?/);
    const r = emd(a, b, M);
    expect(kantorovichDualCheck(a, b, M, r.potentials).dual).toBeCloseTo(r.cost, 12);
    expect(() => kantorovichDualCheck(a, b, M, { u: r.potentials.f, v: r.potentials.g } as never)).toThrow(/potentials.f/);
  });

  afterAll(() => {
    console.log(`abort latencies (ms): ${abortLatencies.map((l) => `${l.name} ${l.latencyMs.toFixed(1)}`).join(', ')}`);
  });
});
