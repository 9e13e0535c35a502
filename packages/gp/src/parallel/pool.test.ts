/**
 * The worker pool of `GPModel.predictAsync`: pooled predictions are bit-identical to `predict` (mean, variance,
 * std) for several n, m, input dimensions, kernels and thread counts, also when the workers compute every row
 * or the calling thread only one chunk, and for concurrent calls; the per-row work gives the same bits for any
 * split of the points; the fallbacks (covariance, m < n, CG path, one thread) are `predict`. Errors, the
 * bad-input sweep and the workers of the built package and of tsx: `pool-errors.test.ts`.
 */
import { createRng } from '@notes/core-linalg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { fitGP } from '../gp-regression/fit.js';
import type { GPModel } from '../gp-regression/model.js';
import { type Kernel, MaternKernel, type Points, constant, matern, rbf, scale, sum, white } from '../kernels/index.js';
import type { WorkerPool } from './pool.js';
import { bitDiffs, expectIdentical, problem, removeTestTsconfig, testPool } from './pool-test-utils.js';
import { POOL_DRIVER, poolTestHooks } from './protocol.js';

const CASES: [string, number, number, number, () => Kernel, boolean][] = [
  ['rbf + white, d = 1', 130, 1000, 1, () => sum(rbf({ lengthScale: 0.9 }), white(0.04)), false],
  ['const·rbf-ARD + white, d = 2, normalizeY', 257, 2049, 2, () => sum(scale(rbf({ lengthScale: [0.7, 1.6] }), 2.5), white(0.01)), true],
  ['matern + const (generic cross-covariance), d = 3', 97, 613, 3, () => sum(matern({ nu: 1.5, lengthScale: 1.2 }), constant(0.3)), false],
];


let pool2: WorkerPool;
let pool3: WorkerPool;
beforeAll(async () => {
  [pool2, pool3] = await Promise.all([testPool(2), testPool(3)]);
});
afterAll(async () => {
  await Promise.all([pool2?.close(), pool3?.close()]);
  removeTestTsconfig();
});

describe('pooled predict equals predict bit for bit', () => {
  const models = new Map<string, { model: GPModel; Xs: number[][] }>();
  const get = (name: string, n: number, m: number, d: number, make: () => Kernel, normalizeY: boolean) => {
    if (!models.has(name)) {
      const { X, y, Xs } = problem(n, m, d, n);
      models.set(name, { model: fitGP(X, y, { kernel: make(), optimize: false, noise: 1e-3, normalizeY }), Xs });
    }
    return models.get(name) as { model: GPModel; Xs: number[][] };
  };

  for (const threads of [2, 3]) {
    test.each(CASES)(`%s (n = %i, m = %i), threads = ${threads}`, async (name, n, m, d, make, normalizeY) => {
      const { model, Xs } = get(name, n, m, d, make, normalizeY);
      const pool = threads === 2 ? pool2 : pool3;
      const single = model.predict(Xs);
      expectIdentical(await model.predictAsync(Xs, { pool }), single);
      // every row computed by the workers (the calling thread claims none)
      poolTestHooks.callerChunkLimit = 0;
      try {
        expectIdentical(await model.predictAsync(Xs, { pool }), single);
      } finally {
        poolTestHooks.callerChunkLimit = Number.POSITIVE_INFINITY;
      }
      // the calling thread takes exactly one chunk, the workers the rest
      poolTestHooks.callerChunkLimit = 1;
      try {
        expectIdentical(await model.predictAsync(Xs, { pool }), single);
      } finally {
        poolTestHooks.callerChunkLimit = Number.POSITIVE_INFINITY;
      }
      // concurrent calls on one pool
      const [a, b] = await Promise.all([model.predictAsync(Xs, { pool }), model.predictAsync(Xs.slice(0, n + 5), { pool })]);
      expectIdentical(a, single);
      expectIdentical(b, model.predict(Xs.slice(0, n + 5)));
    });
  }

  test('the workers take chunks when the calling thread takes none (the driver reports the chunks per worker)', async () => {
    const { model, Xs } = get(CASES[0][0], 130, 1000, 1, CASES[0][4], false);
    const driver = (pool3 as unknown as { [POOL_DRIVER]: { run: (model: unknown, task: { chunks: number }) => Promise<number[]> } })[POOL_DRIVER];
    const run = driver.run.bind(driver);
    let counts: number[] = [];
    let chunks = 0;
    driver.run = async (model, task) => {
      chunks = task.chunks;
      counts = await run(model, task);
      return counts;
    };
    poolTestHooks.callerChunkLimit = 0;
    try {
      expectIdentical(await model.predictAsync(Xs, { pool: pool3 }), model.predict(Xs));
    } finally {
      poolTestHooks.callerChunkLimit = Number.POSITIVE_INFINITY;
      driver.run = run;
    }
    expect(counts.length).toBe(2);
    expect(chunks).toBeGreaterThanOrEqual(4);
    expect((counts[0] as number) + (counts[1] as number)).toBe(chunks);
  });
});

describe('the per-row work depends on the row alone', () => {
  test.each([
    [1, 40, 1],
    [250, 1100, 2],
    [97, 301, 3],
  ])('n = %i, m = %i, d = %i: any split of the points gives the same bits', (n, m, d) => {
    const { X, y, Xs } = problem(n, m, d, 7);
    const kernel = d === 3 ? sum(matern({ nu: 2.5, lengthScale: 1.1 }), white(0.1)) : sum(rbf({ lengthScale: 1.3 }), white(0.01));
    const model = fitGP(X, y, { kernel, optimize: false, noise: 1e-4 });
    const whole = model.predict(Xs);
    expect(whole.mean.length).toBe(m);
    const rng = createRng(n + m);
    for (let trial = 0; trial < 3; trial++) {
      // random cut points; each piece predicted alone (pieces of fewer than n points are padded to n with copies of the first point)
      const cuts = [0, ...Array.from({ length: 4 }, () => Math.floor(rng.uniform() * m)).sort((a, b) => a - b), m];
      for (let c = 0; c + 1 < cuts.length; c++) {
        const [a, b] = [cuts[c] as number, cuts[c + 1] as number];
        if (a === b) continue;
        const piece = Xs.slice(a, b);
        while (piece.length < n) piece.push(Xs[0] as number[]);
        const p = model.predict(piece);
        expect(bitDiffs(p.mean.subarray(0, b - a), whole.mean.subarray(a, b))).toBe(0);
        expect(bitDiffs(p.variance.subarray(0, b - a), whole.variance.subarray(a, b))).toBe(0);
      }
    }
  });
});

describe('fallbacks run on the calling thread and equal predict', () => {
  test('covariance, m < n, the CG path, a one-thread pool', async () => {
    const { X, y, Xs } = problem(200, 400, 1, 11);
    const model = fitGP(X, y, { kernel: sum(rbf({ lengthScale: 1 }), white(0.05)), optimize: false });
    const small = Xs.slice(0, 50);
    const pc = await model.predictAsync(small, { pool: pool2, covariance: true });
    const sc = model.predict(small, { covariance: true });
    expectIdentical(pc, sc);
    expect(pc.covariance?.to1DArray()).toEqual(sc.covariance?.to1DArray());
    expectIdentical(await model.predictAsync(small, { pool: pool2 }), model.predict(small));
    expectIdentical(await model.predictAsync(Xs), model.predict(Xs));
    const cg = fitGP(X, y, { kernel: sum(rbf({ lengthScale: 1 }), white(0.05)), optimize: false, method: 'cg' });
    expectIdentical(await cg.predictAsync(Xs, { pool: pool2 }), cg.predict(Xs));
    // a kernel subclass of the user's own cannot be rebuilt in a worker: it runs on the calling thread
    class HalfMatern extends MaternKernel {
      override computeMatrix(a: Points, b?: Points): Float64Array {
        return super.computeMatrix(a, b).map((v) => v / 2);
      }
    }
    const m52 = matern({ nu: 2.5, lengthScale: 1 });
    const own = fitGP(X, y, { kernel: sum(new HalfMatern(m52.params, 2.5), white(0.05)), optimize: false });
    expectIdentical(await own.predictAsync(Xs, { pool: pool2 }), own.predict(Xs));
    await using one = await testPool(1);
    expect(one.threads).toBe(1);
    expectIdentical(await model.predictAsync(Xs, { pool: one }), model.predict(Xs));
  });
});

