/**
 * The worker pool of `GPModel.predictAsync`: pooled predictions are bit-identical to `predict` (mean, variance,
 * std) for several n, m, input dimensions, kernels and thread counts, also when the workers compute every row;
 * the per-row work gives the same bits for any split of the points; the fallbacks (covariance, m < n, CG path,
 * one thread) are `predict`; a closed pool, a non-pool and bad options are typed errors; a worker that throws,
 * crashes or cannot start becomes a `GPWorkerError` and the pool recovers; the built package (ESM and CJS)
 * starts its workers too.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sweepBadInputs } from '@notes/check-kit';
import { DomainError, createRng } from '@notes/core-linalg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { fitGP } from '../gp-regression/fit.js';
import type { GPModel, GPPrediction } from '../gp-regression/model.js';
import { type Kernel, constant, matern, rbf, scale, sum, white } from '../kernels/index.js';
import { createGPWorkerPool, GPWorkerError, locateWorkerScript, type NodeGPWorkerPool, startPool, type WorkerPool } from './pool.js';
import { POOL_DRIVER, poolTestHooks } from './protocol.js';

function problem(n: number, m: number, d: number, seed: number) {
  const rng = createRng(seed);
  const X = Array.from({ length: n }, () => Array.from({ length: d }, () => 6 * rng.uniform()));
  const y = X.map((r) => 3 + Math.sin(r[0] as number) + 0.1 * rng.normal());
  const Xs = Array.from({ length: m }, () => Array.from({ length: d }, () => 8 * rng.uniform() - 1));
  return { X, y, Xs };
}

/** Number of entries whose bits differ (Object.is, so −0 ≠ 0 and NaN = NaN). */
function bitDiffs(a: Float64Array, b: Float64Array): number {
  expect(a.length).toBe(b.length);
  let k = 0;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) k++;
  return k;
}

function expectIdentical(p: GPPrediction, q: GPPrediction): void {
  expect(bitDiffs(p.mean, q.mean)).toBe(0);
  expect(bitDiffs(p.variance, q.variance)).toBe(0);
  expect(bitDiffs(p.std, q.std)).toBe(0);
}

const CASES: [string, number, number, number, () => Kernel, boolean][] = [
  ['rbf + white, d = 1', 130, 1000, 1, () => sum(rbf({ lengthScale: 0.9 }), white(0.04)), false],
  ['const·rbf-ARD + white, d = 2, normalizeY', 257, 2049, 2, () => sum(scale(rbf({ lengthScale: [0.7, 1.6] }), 2.5), white(0.01)), true],
  ['matern + const (generic cross-covariance), d = 3', 97, 613, 3, () => sum(matern({ nu: 1.5, lengthScale: 1.2 }), constant(0.3)), false],
];

/**
 * Vitest runs the calling thread on the workspace's sources (`@notes/*` aliased to `packages/<pkg>/src`); the
 * workers get the same mapping through a tsconfig `paths` table for tsx, so both sides run the same code even
 * while another package's dist/ is stale or being rebuilt. (`createGPWorkerPool` itself is tested too: its
 * workers resolve `@notes/*` through the packages' dist/ as a user's would.)
 */
const tmp = mkdtempSync(join(tmpdir(), 'gp-pool-test-'));
const packagesDir = fileURLToPath(new URL('../../..', import.meta.url));
const paths: Record<string, string[]> = {};
for (const dir of readdirSync(packagesDir)) {
  const manifest = join(packagesDir, dir, 'package.json');
  if (!existsSync(manifest)) continue;
  const { name } = JSON.parse(readFileSync(manifest, 'utf8')) as { name: string };
  paths[name] = [join(packagesDir, dir, 'src/index.ts')];
  paths[`${name}/*`] = [join(packagesDir, dir, 'src/*/index.ts')];
}
const tsconfig = join(tmp, 'tsconfig.json');
writeFileSync(tsconfig, JSON.stringify({ compilerOptions: { baseUrl: packagesDir, paths } }));
const testPool = (threads: number) => startPool(threads, { ...locateWorkerScript(), tsconfig });

let pool2: WorkerPool;
let pool3: WorkerPool;
beforeAll(async () => {
  [pool2, pool3] = await Promise.all([testPool(2), testPool(3)]);
});
afterAll(async () => {
  await Promise.all([pool2?.close(), pool3?.close()]);
  rmSync(tmp, { recursive: true, force: true });
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
    await using one = await testPool(1);
    expect(one.threads).toBe(1);
    expectIdentical(await model.predictAsync(Xs, { pool: one }), model.predict(Xs));
  });
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
      const bad = { id: 'bad', n: 1, d: 1, L: sab(1), X: sab(1), alpha: sab(1), kernel: { kind: 'nope' } as never, yStd: 1, yMean: 0 };
      const task = { points: sab(1), m: 1, d: 1, chunkRows: 96, chunks: 1, counter: new Int32Array(new SharedArrayBuffer(4)), mean: sab(1), q: sab(1) };
      const err = await driver.run(bad, task).then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(GPWorkerError);
      expect((err as GPWorkerError).workerErrorName).toBe('DomainError');
      expect((err as GPWorkerError).workerErrorCode).toBe('domain');
      expect((err as Error).message).toMatch(/unknown kernel kind/);
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

describe('the built package', () => {
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
  test.skipIf(!built)('dist: ESM and CommonJS start their workers and agree with predict', () => {
    const esm = execFileSync(process.execPath, ['--input-type=module', '-e', script("const gp = await import('@notes/gp'); const node = await import('@notes/gp/node');")], { cwd: root, encoding: 'utf8' });
    expect(esm.trim()).toBe('identical');
    const cjs = execFileSync(process.execPath, ['-e', `(async () => { ${script("const gp = require('@notes/gp'); const node = require('@notes/gp/node');")} })()`], { cwd: root, encoding: 'utf8' });
    expect(cjs.trim()).toBe('identical');
  });
});
