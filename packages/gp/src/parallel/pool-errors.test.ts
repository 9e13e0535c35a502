/**
 * The worker pool's errors and life cycle: a closed pool, a non-pool and bad options are typed errors; `close`
 * waits for running predictions and `await using` closes; a worker that throws, crashes or cannot start becomes a
 * `GPWorkerError` and the pool recovers; the bad-input sweep of the pool's entry points; the built package (ESM
 * and CJS) and the sources run through tsx start their workers too.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sweepBadInputs } from '@notes/check-kit';
import { DomainError } from '@notes/core-linalg';
import { relaxedSimdSupported, wasmFmaActive } from '@notes/core-linalg/kernels';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { fitGP } from '../gp-regression/fit.js';
import { rbf, sum, white } from '../kernels/index.js';
import { createGPWorkerPool, GPWorkerError, type NodeGPWorkerPool, startPool, type WorkerPool } from './pool.js';
import { expectIdentical, problem, removeTestTsconfig, testPool } from './pool-test-utils.js';
import { POOL_DRIVER, poolTestHooks } from './protocol.js';

let pool2: WorkerPool;
beforeAll(async () => {
  pool2 = await testPool(2);
});
afterAll(async () => {
  await pool2?.close();
  removeTestTsconfig();
});

describe('errors', () => {
  const { X, y, Xs } = problem(120, 300, 1, 5);
  const model = fitGP(X, y, { kernel: sum(rbf({ lengthScale: 1 }), white(0.05)), optimize: false });

  test('bad options, a non-pool and a closed pool are DomainErrors; close is idempotent; await using closes', async () => {
    await expect(createGPWorkerPool({ threads: 0 })).rejects.toBeInstanceOf(DomainError);
    await expect(createGPWorkerPool({ threads: 2.5 })).rejects.toBeInstanceOf(DomainError);
    await expect(createGPWorkerPool({ thread: 2 } as never)).rejects.toThrow(/did you mean 'threads'/);
    await expect(model.predictAsync(Xs, { pool: {} as never })).rejects.toBeInstanceOf(DomainError);
    await expect(model.predictAsync(Xs, { pool: pool2, covarience: true } as never)).rejects.toThrow(/did you mean 'covariance'/);
    await expect(model.predictAsync([[1, 2]], { pool: pool2 })).rejects.toThrow(/columns/);
    let kept: NodeGPWorkerPool;
    {
      await using pool = await createGPWorkerPool({ threads: 2 });
      kept = pool;
      expect(pool.closed).toBe(false);
      expectIdentical(await model.predictAsync(Xs, { pool }), model.predict(Xs));
    }
    expect(kept.closed).toBe(true);
    await expect(model.predictAsync(Xs, { pool: kept })).rejects.toBeInstanceOf(DomainError);
    await expect(model.predictAsync(Xs, { pool: kept })).rejects.toThrow(/closed/);
    await kept.close();
  });

  test('close waits for a running prediction', async () => {
    const pool = await testPool(2);
    const running = model.predictAsync(Xs, { pool });
    const closing = pool.close();
    expectIdentical(await running, model.predict(Xs));
    await closing;
    expect(pool.closed).toBe(true);
  });

  test('an error thrown in a worker is a GPWorkerError with its name and code; a crashed worker is replaced', async () => {
    const pool = await testPool(2);
    try {
      const driver = pool[POOL_DRIVER];
      const sab = (k: number) => new Float64Array(new SharedArrayBuffer(8 * k));
      const bad = { id: 'bad', n: 1, d: 1, packed: sab(4), X: sab(1), alpha: sab(1), kernel: { kind: 'nope' } as never, yStd: 1, yMean: 0 };
      const task = { points: sab(1), m: 1, d: 1, chunkRows: 96, chunks: 1, counter: new Int32Array(new SharedArrayBuffer(4)), mean: sab(1), q: sab(1), fma: wasmFmaActive() };
      const err = await driver.run(bad, task).then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(GPWorkerError);
      expect((err as GPWorkerError).workerErrorName).toBe('DomainError');
      expect((err as GPWorkerError).workerErrorCode).toBe('domain');
      expect((err as Error).message).toMatch(/unknown kernel kind/);
      // a worker that cannot run the calling thread's kernel variant (relaxed-SIMD FMA) refuses rather than
      // return other bits (only reachable here when this runtime lacks relaxed SIMD, e.g. plain Node 20)
      if (!relaxedSimdSupported()) {
        const fmaErr = await driver.run(bad, { ...task, fma: true, counter: new Int32Array(new SharedArrayBuffer(4)) }).then(() => null, (e: unknown) => e);
        expect(fmaErr).toBeInstanceOf(GPWorkerError);
        expect((fmaErr as Error).message).toMatch(/relaxed-SIMD \(FMA\) kernels but this worker cannot compile them/);
      }
      // the worker survives a thrown error
      expectIdentical(await model.predictAsync(Xs, { pool }), model.predict(Xs));
      // an uncaught error kills the worker: the pending call rejects, the next prediction starts a new worker
      const crash = await pool.crashForTest(0).then(() => null, (e: unknown) => e);
      expect(crash).toBeInstanceOf(GPWorkerError);
      expect((crash as Error).message).toMatch(/crash requested by a test/);
      poolTestHooks.callerChunkLimit = 0;
      try {
        expectIdentical(await model.predictAsync(Xs, { pool }), model.predict(Xs));
      } finally {
        poolTestHooks.callerChunkLimit = Number.POSITIVE_INFINITY;
      }
    } finally {
      await pool.close();
    }
  });

  test('a worker that cannot start rejects the pool with a GPWorkerError', async () => {
    const missing = new URL('./no-such-worker.js', import.meta.url);
    const err = await startPool(2, { url: missing }).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(GPWorkerError);
    expect((err as Error).message).toMatch(/worker 1 of 1/);
  });
});

describe('bad-input sweep (docs/conventions.md §8) of the pool entry points', () => {
  test('createGPWorkerPool and GPModel.predictAsync with a pool: every bad value a typed error', async () => {
    const { X, y, Xs } = problem(20, 40, 1, 9);
    const model = fitGP(X, y, { kernel: sum(rbf({ lengthScale: 1 }), white(0.05)), optimize: false });
    const { counts, failures } = await sweepBadInputs([
      {
        name: 'createGPWorkerPool',
        call: async (o: never) => {
          const pool = await createGPWorkerPool(o);
          await pool.close();
          return pool.threads;
        },
        args: () => [{ threads: 2 }],
        options: 0,
      },
      {
        name: 'GPModel.predictAsync',
        call: (x: never, o: never) => model.predictAsync(x, o),
        args: () => [Xs.map((r) => [...r]), { pool: pool2, covariance: false, maxMemoryBytes: 1e9 }],
        options: 1,
      },
    ]);
    expect(failures).toEqual([]);
    expect(counts.untyped + counts.silent + counts.mutated).toBe(0);
    expect(counts.typed).toBeGreaterThan(30);
  });
});

describe('outside vitest: the built package and tsx', () => {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const built = existsSync(`${root}dist/node.js`) && existsSync(`${root}dist/node.cjs`) && existsSync(`${root}dist/node-worker.js`);
  const script = (load: string) => `${load}
const X = Array.from({ length: 150 }, (_, i) => [i / 15]);
const y = X.map((r) => Math.sin(r[0]));
const model = gp.fitGP(X, y, { optimize: false });
const Xs = Array.from({ length: 1000 }, (_, i) => [i / 80 - 1]);
const pool = await node.createGPWorkerPool({ threads: 2 });
const a = model.predict(Xs);
const b = await model.predictAsync(Xs, { pool });
await pool.close();
console.log(a.mean.every((v, i) => Object.is(v, b.mean[i])) && a.variance.every((v, i) => Object.is(v, b.variance[i])) ? 'identical' : 'different');`;
  test('source through tsx (as the benches run): the workers start from worker.ts and agree with predict', () => {
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script("const gp = await import('./src/index.ts'); const node = await import('./src/node.ts');")], { cwd: root, encoding: 'utf8' });
    expect(out.trim()).toBe('identical');
  });

  test.skipIf(!built)('dist: ESM and CommonJS start their workers and agree with predict', () => {
    const esm = execFileSync(process.execPath, ['--input-type=module', '-e', script("const gp = await import('@notes/gp'); const node = await import('@notes/gp/node');")], { cwd: root, encoding: 'utf8' });
    expect(esm.trim()).toBe('identical');
    const cjs = execFileSync(process.execPath, ['-e', `(async () => { ${script("const gp = require('@notes/gp'); const node = require('@notes/gp/node');")} })()`], { cwd: root, encoding: 'utf8' });
    expect(cjs.trim()).toBe('identical');
  });
});
