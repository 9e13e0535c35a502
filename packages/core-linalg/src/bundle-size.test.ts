import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';

// Bundle weight of single imports (issue 22: a browser page importing `cholesky`, or `fitGP` from @notes/gp, which
// needs core's rng, must not pull in modules it does not use; `cholesky` alone must stay within 15 KiB gzip -9). Each case bundles one import from core's sources
// with esbuild (minified, ESM, browser) and checks which npm packages end up in the output. stdlib-js's packages
// are CommonJS without `"sideEffects": false`: once a module importing one is kept, a bundler keeps the whole
// package and its helpers (`createRng` used to bring ~160 KiB of them). apps/web/scripts/bundle-budgets.mjs
// measures the same imports from the built dist/ (where tsup.config.ts keeps every stdlib importer in a file of
// its own) with gzip.

// esbuild is tsup's dependency (not core's own): load the copy tsup uses rather than add a dependency.
// Typed here with the few fields used, as core has no esbuild types of its own.
interface EsbuildResult {
  outputFiles: { contents: Uint8Array }[];
  metafile: { outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }> }> };
}
const esbuild = createRequire(createRequire(import.meta.url).resolve('tsup'))('esbuild') as {
  build(options: Record<string, unknown>): Promise<EsbuildResult>;
};
const entry = fileURLToPath(new URL('./index.ts', import.meta.url));

interface Bundle {
  /** Minified bytes of the whole bundle. */
  bytes: number;
  /** Bytes of the minified bundle after gzip -9 (what the issue-22 budgets count). */
  gzipBytes: number;
  /** Minified bytes by origin: an npm package name, or 'core' for core's own sources. */
  byOrigin: Map<string, number>;
}

async function bundle(names: string[]): Promise<Bundle> {
  const r = await esbuild.build({
    stdin: {
      contents: `import { ${names.join(', ')} } from ${JSON.stringify(entry)}; globalThis.__keep = [${names.join(', ')}];`,
      resolveDir: fileURLToPath(new URL('.', import.meta.url)),
      loader: 'js',
    },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const byOrigin = new Map<string, number>();
  const output = Object.values(r.metafile.outputs)[0];
  for (const [file, info] of Object.entries(output?.inputs ?? {})) {
    if (info.bytesInOutput === 0) continue;
    const m = file.match(/node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/);
    const origin = m ? (m[1] as string) : 'core';
    byOrigin.set(origin, (byOrigin.get(origin) ?? 0) + info.bytesInOutput);
  }
  const out = r.outputFiles[0]?.contents ?? new Uint8Array(0);
  return { bytes: out.length, gzipBytes: gzipSync(out, { level: 9 }).length, byOrigin };
}

const packages = (b: Bundle) => [...b.byOrigin.keys()].filter((k) => k !== 'core' && k !== '<stdin>').sort();

describe('bundle weight of single imports (esbuild, from src)', () => {
  test('createRng, resolveRng, sampleNormal(Array): no stdlib-js package, core code under 20 KiB minified', async () => {
    const b = await bundle(['createRng', 'resolveRng', 'sampleNormal', 'sampleNormalArray']);
    expect(packages(b)).toEqual([]);
    expect(b.bytes).toBeLessThan(20 * 1024);
  }, 30_000);

  test('cholesky: no npm package at all (its factor returns core RowMajorMatrix, not ml-matrix), ≤ 15 KiB gzip -9', async () => {
    // Issue 22's budget. Measured 2026-12-07 (esbuild 0.28.2 as apps/web, same with tsup's 0.25.12): 87.6 KiB minified / 23.8 KiB gzip while L, solveMatrix and
    // inverse returned ml-matrix Matrix objects (ml-matrix 69 KiB of it); 16.8–17.0 KiB / 6.3 KiB after.
    const b = await bundle(['cholesky']);
    expect(packages(b)).toEqual([]);
    expect(b.gzipBytes).toBeLessThanOrEqual(15 * 1024);
  }, 30_000);

  test('cholesky together with RowMajorMatrix and isCholeskyFactor: still no npm package', async () => {
    const b = await bundle(['cholesky', 'choleskySolve', 'isCholeskyFactor', 'RowMajorMatrix']);
    expect(packages(b)).toEqual([]);
    expect(b.gzipBytes).toBeLessThanOrEqual(15 * 1024);
  }, 30_000);

  test('toMatrix still brings ml-matrix (the cholesky check above is not vacuous)', async () => {
    const b = await bundle(['toMatrix']);
    expect(packages(b)).toEqual(['ml-matrix']);
  }, 30_000);

  test('minimizeLBFGS and the fit drivers (what fitGP uses besides the rng): no stdlib-js package', async () => {
    const b = await bundle(['minimizeLBFGS', 'minimizeLBFGSAsync', 'runFit', 'runFitAsync', 'makeFitReport', 'defineOptions']);
    expect(packages(b).filter((p) => p.startsWith('@stdlib/'))).toEqual([]);
  }, 30_000);

  test('sampleGamma still brings its stdlib sampler (the check above is not vacuous)', async () => {
    const b = await bundle(['sampleGamma']);
    expect(packages(b)).toContain('@stdlib/random-base-gamma');
  }, 30_000);
});
