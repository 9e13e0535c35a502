/**
 * checkEstimator (tooling/check-kit) over core's loops: minimizeLBFGS / minimizeLBFGSAsync and nn
 * train / trainAsync. They return results, not models, so each is wrapped in a frozen object with the
 * result's `report` and a `toJSON` (iterate and report for L-BFGS; losses, report and the trained
 * weights for train) so the async twin can be compared with the sync run.
 */
import { abortLatencies, checkEstimator } from '@notes/check-kit';
import { afterAll, describe, expect, test } from 'vitest';
import { ops, Tensor } from '../autodiff/index.js';
import { createAdamOptimizer, MLP, mseLoss, train, trainAsync, type TrainOptions } from '../nn/index.js';
import { type LBFGSOptions, minimizeLBFGS, minimizeLBFGSAsync, type ValueAndGradient } from '../optim/index.js';

/** Extended Rosenbrock in n dimensions (slow to solve for large n: the abort checks use n = 2000). */
function rosenbrock(x: Float64Array): { value: number; gradient: Float64Array } {
  const g = new Float64Array(x.length);
  let f = 0;
  for (let i = 0; i + 1 < x.length; i++) {
    const a = x[i + 1]! - x[i]! * x[i]!;
    const b = 1 - x[i]!;
    f += 100 * a * a + b * b;
    g[i]! += -400 * x[i]! * a - 2 * b;
    g[i + 1]! += 200 * a;
  }
  return { value: f, gradient: g };
}

const asResult = <R extends { report: unknown }>(r: R, json: () => unknown) => Object.freeze({ ...r, toJSON: json });

const wrapLBFGS = (r: Awaited<ReturnType<typeof minimizeLBFGS>>) =>
  asResult(r, () => ({ x: Array.from(r.x), value: r.value, report: r.report }));

describe('checkEstimator: minimizeLBFGS / minimizeLBFGSAsync', () => {
  const dims = { n: 4 };
  for (const c of checkEstimator({
    name: 'minimizeLBFGS',
    data: () => [rosenbrock as ValueAndGradient, Array.from({ length: dims.n }, (_, i) => (i % 2 ? 1 : -1.2))],
    fit: (f: ValueAndGradient, x0: number[], o: LBFGSOptions) => wrapLBFGS(minimizeLBFGS(f, x0, o)),
    fitAsync: async (f: ValueAndGradient, x0: number[], o: LBFGSOptions) => wrapLBFGS(await minimizeLBFGSAsync(f, x0, o)),
    options: { maxIterations: 200 },
    // 2,000 dimensions from a far start, no tolerance: hundreds of ms of iterations at least.
    slowOptions: { maxIterations: 1_000_000, gradTol: 0, fTol: 0 },
  })) {
    if (c.name.includes('abort from setTimeout')) {
      test(c.name, async () => {
        dims.n = 2000;
        try {
          await c.run();
        } finally {
          dims.n = 4;
        }
      });
    } else test(c.name, c.run);
  }

  test('minimizeLBFGSAsync: the abort partial is the current iterate', async () => {
    const ctrl = new AbortController();
    const p = minimizeLBFGSAsync(rosenbrock, new Float64Array(2000).fill(-1.2), { maxIterations: 1_000_000, gradTol: 0, fTol: 0, signal: ctrl.signal });
    setTimeout(() => ctrl.abort(), 20);
    const err = await p.then(
      () => undefined,
      (e: unknown) => e as { code: string; partial: { x: Float64Array; value: number; iterations: number } },
    );
    expect(err?.code).toBe('aborted');
    expect(err?.partial.x).toHaveLength(2000);
    expect(err?.partial.value).toBeCloseTo(rosenbrock(err!.partial.x).value, 8);
  });

  test('a misspelt option names the closest one; a bad type is quoted with its type', () => {
    expect(() => minimizeLBFGS(rosenbrock, [0, 0], { maxIteration: 5 } as LBFGSOptions)).toThrow(
      "minimizeLBFGS: unknown option 'maxIteration'; did you mean 'maxIterations'?",
    );
    expect(() => minimizeLBFGS(rosenbrock, [0, 0], { gradTol: '1' as unknown as number })).toThrow("got '1' (string)");
    return expect(minimizeLBFGSAsync(rosenbrock, [0, 0], { memroy: 3 } as LBFGSOptions)).rejects.toThrow(
      "minimizeLBFGSAsync: unknown option 'memroy'; did you mean 'memory'?",
    );
  });
});

/** A tiny regression: 16 points of y = x1 − 2 x2 (data as plain arrays so the unchanged-data check sees them). */
function regression(): [number[][], number[]] {
  const X: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < 16; i++) {
    const a = Math.sin(i);
    const b = Math.cos(3 * i);
    X.push([a, b]);
    y.push(a - 2 * b);
  }
  return [X, y];
}

type TrainRun = (loss: (t: number) => Tensor, o: TrainOptions) => ReturnType<typeof train> | Promise<ReturnType<typeof train>>;
async function fitNet(run: TrainRun, X: number[][], y: number[], options: Omit<TrainOptions, 'optimizer'>) {
  const net = new MLP([2, 8, 1], { activation: 'tanh', seed: 5 });
  const optimizer = createAdamOptimizer(net.parameters(), { lr: 0.02 });
  const Xt = Tensor.fromArray(X.flat(), [X.length, 2]);
  const yt = Tensor.fromArray(y, [y.length, 1]);
  const res = await run(() => mseLoss(net.forward(Xt), yt), { ...options, optimizer });
  return asResult(res, () => ({ losses: res.losses, report: res.report, weights: net.toJSON() }));
}

describe('checkEstimator: train / trainAsync', () => {
  for (const c of checkEstimator({
    name: 'train',
    data: regression,
    fit: (X: number[][], y: number[], o: Omit<TrainOptions, 'optimizer'>) => {
      // train is synchronous: unwrap the value the async helper resolved synchronously.
      const net = new MLP([2, 8, 1], { activation: 'tanh', seed: 5 });
      const optimizer = createAdamOptimizer(net.parameters(), { lr: 0.02 });
      const Xt = Tensor.fromArray(X.flat(), [X.length, 2]);
      const yt = Tensor.fromArray(y, [y.length, 1]);
      const res = train(() => mseLoss(net.forward(Xt), yt), { ...o, optimizer });
      return asResult(res, () => ({ losses: res.losses, report: res.report, weights: net.toJSON() }));
    },
    fitAsync: (X: number[][], y: number[], o: Omit<TrainOptions, 'optimizer'>) => fitNet(trainAsync, X, y, o),
    options: { steps: 30 },
    slowOptions: { steps: 10_000_000 },
  })) {
    test(c.name, c.run);
  }

  test('trainAsync: the abort partial is { iteration, losses } and the parameters keep their trained values', async () => {
    const [X, y] = regression();
    const net = new MLP([2, 8, 1], { activation: 'tanh', seed: 5 });
    const before = net.toJSON();
    const optimizer = createAdamOptimizer(net.parameters(), { lr: 0.02 });
    const Xt = Tensor.fromArray(X.flat(), [X.length, 2]);
    const yt = Tensor.fromArray(y, [y.length, 1]);
    const ctrl = new AbortController();
    const p = trainAsync(() => mseLoss(net.forward(Xt), yt), { optimizer, steps: 10_000_000, signal: ctrl.signal });
    setTimeout(() => ctrl.abort(), 20);
    const err = await p.then(
      () => undefined,
      (e: unknown) => e as { code: string; partial: { iteration: number; losses: number[] } },
    );
    expect(err?.code).toBe('aborted');
    const { iteration, losses } = err!.partial;
    expect(iteration).toBeGreaterThan(0);
    expect(losses).toHaveLength(iteration);
    expect(optimizer.iterations).toBe(iteration);
    expect(net.toJSON()).not.toEqual(before);
    // the parameters are those after `iteration` steps: the loss now is below the first step's
    expect(mseLoss(net.forward(Xt), yt).item()).toBeLessThan(losses[0]!);
  });

  test('train: report, progress fields and reasons', () => {
    const w = Tensor.fromArray([3], [1], { requiresGrad: true });
    const optimizer = createAdamOptimizer([w], { lr: 0.1 });
    const seen: { iteration: number; objective: number; loss: number }[] = [];
    const res = train(() => ops.sum(ops.square(w)), { optimizer, steps: 1000, targetLoss: 1e-4, onProgress: (p) => seen.push(p) });
    expect(res.report.reason).toBe('target-reached');
    expect(res.report.converged).toBe(true);
    expect(res.report.iterations).toBe(res.losses.length);
    expect(res.report.trace).toEqual(res.losses);
    expect(seen.every((p) => p.objective === p.loss)).toBe(true);
    const done = train(() => ops.sum(ops.square(w)), { optimizer, steps: 3 });
    expect(done.report).toMatchObject({ reason: 'completed', converged: true, iterations: 3 });
    expect(() => train(() => ops.sum(w), { optimizer, steps: 3, targetloss: 1 } as TrainOptions)).toThrow(
      "train: unknown option 'targetloss'; did you mean 'targetLoss'?",
    );
    expect(() => train(() => ops.sum(w), { optimizer, steps: '3' as unknown as number })).toThrow("got '3' (string)");
    expect(() => train(() => ops.sum(w), { steps: 3 } as TrainOptions)).toThrow(expect.objectContaining({ code: 'domain' }));
  });
});

afterAll(() => {
  if (abortLatencies.length) {
    console.log(`abort latencies (ms): ${abortLatencies.map((a) => `${a.name} ${a.latencyMs.toFixed(1)}`).join(', ')}`);
  }
});

describe('checkEstimator itself: the timer abort check cannot pass vacuously', () => {
  // A fit that ends at once: the 20 ms abort never reaches it, so the check must fail rather than pass.
  const quick = {
    name: 'quickFit',
    data: () => [[1, 2, 3]],
    fit: (_x: number[], _o: object) => Object.freeze({ report: { converged: true, reason: 'completed', iterations: 1, elapsedMs: 0 } }),
    fitAsync: async (_x: number[], _o: object) => Object.freeze({ report: { converged: true, reason: 'completed', iterations: 1, elapsedMs: 0 } }),
    progress: false,
  };
  test('a fit that finishes before the timer fails the check with a message naming slowOptions', async () => {
    const check = checkEstimator(quick).find((c) => c.name.includes('abort from setTimeout'));
    expect(check).toBeDefined();
    await expect(check!.run()).rejects.toThrow(/finished before the abort fired.*slowOptions/);
  });
  test('timerAbort: false replaces the check by an exemption with its reason, and needs the reason', async () => {
    const { timerAbortExemptions } = await import('@notes/check-kit');
    const checks = checkEstimator({ ...quick, name: 'quickFitExempt', timerAbort: false, timerAbortReason: 'one pass' });
    expect(checks.some((c) => c.name.includes('abort from setTimeout'))).toBe(false);
    expect(timerAbortExemptions).toContainEqual({ name: 'quickFitExempt', reason: 'one pass' });
    expect(() => checkEstimator({ ...quick, timerAbort: false })).toThrow(/timerAbortReason/);
  });
});
