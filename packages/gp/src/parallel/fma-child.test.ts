/**
 * `@notes/gp` with core's relaxed-SIMD (FMA) kernels, in a child process that enables relaxed SIMD (Node 20:
 * `--experimental-wasm-relaxed-simd`; this test process, like CI and users without the flag, runs the plain SIMD
 * variant): pooled predictions stay bit-identical to `predict` with the FMA variant and with the plain one forced on
 * the calling thread (the workers follow it), FMA `predict` agrees with plain `predict` to 1e-12, and `fitGP` reaches
 * the same log ML to 1e-9 relative. The script is `fma-child.testutil.ts`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { writeSourcesTsconfig } from './sources-tsconfig.testutil.js';

const major = Number(process.versions.node.split('.')[0]);
const flags = major >= 22 ? [] : ['--experimental-wasm-relaxed-simd'];

describe('relaxed-SIMD FMA kernels (child process with relaxed SIMD enabled)', () => {
  test('pooled predict bit-identical to predict under FMA and with the plain variant forced; FMA vs plain predict 1e-12; fit log ML 1e-9', () => {
    // the child's @notes/* imports (and its workers') map to the workspace sources, as vitest's do here
    const tmp = mkdtempSync(join(tmpdir(), 'gp-fma-test-'));
    try {
      const tsconfig = writeSourcesTsconfig(tmp);
      const tsx = createRequire(import.meta.url).resolve('tsx');
      const script = fileURLToPath(new URL('./fma-child.testutil.ts', import.meta.url));
      const result = join(tmp, 'result.json');
      execFileSync(process.execPath, [...flags, '--import', tsx, script, tsconfig, result], {
        encoding: 'utf8',
        timeout: 150_000,
        env: { ...process.env, TSX_TSCONFIG_PATH: tsconfig },
      });
      const r = JSON.parse(readFileSync(result, 'utf8')) as {
        fma: boolean;
        results: { name: string; pooledFmaDiffs: number[]; pooledPlainDiffs: number[]; fmaVsPlainDiffs: number; fmaVsPlainRel: number; entries: number }[];
        lmlFma: number;
        lmlPlain: number;
      };
      expect(r.fma).toBe(true);
      expect(r.results.length).toBe(2);
      for (const c of r.results) {
        expect(c.pooledFmaDiffs, c.name).toEqual([0, 0]);
        expect(c.pooledPlainDiffs, c.name).toEqual([0, 0]);
        expect(c.fmaVsPlainRel, c.name).toBeLessThan(1e-12);
      }
      expect(Math.abs(r.lmlFma - r.lmlPlain)).toBeLessThan(1e-9 * Math.abs(r.lmlPlain));
      const lines = r.results.map((c) => `${c.name}: FMA vs plain predict ${c.fmaVsPlainRel.toExponential(1)} normwise, ${c.fmaVsPlainDiffs} of ${c.entries} entries differ; pooled 0 differing`);
      console.log([...lines, `fit log ML FMA − plain ${(r.lmlFma - r.lmlPlain).toExponential(1)}`].join('\n'));
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
