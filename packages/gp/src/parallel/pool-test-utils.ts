/**
 * Helpers of the worker-pool tests (`pool.test.ts`, `pool-errors.test.ts`): test problems, bit-for-bit
 * comparison, and pools whose workers run the workspace's sources like vitest's calling thread.
 * @internal
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng } from '@notes/core-linalg';
import { expect } from 'vitest';
import type { GPPrediction } from '../gp-regression/model.js';
import { locateWorkerScript, startPool, type WorkerPool } from './pool.js';
import { writeSourcesTsconfig } from './sources-tsconfig.testutil.js';

export function problem(n: number, m: number, d: number, seed: number) {
  const rng = createRng(seed);
  const X = Array.from({ length: n }, () => Array.from({ length: d }, () => 6 * rng.uniform()));
  const y = X.map((r) => 3 + Math.sin(r[0] as number) + 0.1 * rng.normal());
  const Xs = Array.from({ length: m }, () => Array.from({ length: d }, () => 8 * rng.uniform() - 1));
  return { X, y, Xs };
}

/** Number of entries whose bits differ (Object.is, so −0 ≠ 0 and NaN = NaN). */
export function bitDiffs(a: Float64Array, b: Float64Array): number {
  expect(a.length).toBe(b.length);
  let k = 0;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) k++;
  return k;
}

export function expectIdentical(p: GPPrediction, q: GPPrediction): void {
  expect(bitDiffs(p.mean, q.mean)).toBe(0);
  expect(bitDiffs(p.variance, q.variance)).toBe(0);
  expect(bitDiffs(p.std, q.std)).toBe(0);
}

/**
 * Vitest runs the calling thread on the workspace's sources (`@notes/*` aliased to `packages/<pkg>/src`); the
 * workers get the same mapping through a tsconfig `paths` table for tsx, so both sides run the same code even
 * while another package's dist/ is stale or being rebuilt. (`createGPWorkerPool` itself is tested too: its
 * workers resolve `@notes/*` through the packages' dist/ as a user's would.)
 */
const tmp = mkdtempSync(join(tmpdir(), 'gp-pool-test-'));
const tsconfig = writeSourcesTsconfig(tmp);
/** A pool of `threads` threads whose workers map `@notes/*` to the sources. */
export const testPool = (threads: number): Promise<WorkerPool> => startPool(threads, { ...locateWorkerScript(), tsconfig });

/** Removes the temporary tsconfig (call once per test file, after its pools are closed). */
export function removeTestTsconfig(): void {
  rmSync(tmp, { recursive: true, force: true });
}
