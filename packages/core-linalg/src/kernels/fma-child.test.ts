/**
 * The relaxed-SIMD (FMA) variant of core's WebAssembly macro-kernels, checked in a child process that enables
 * relaxed SIMD (Node 20: `--experimental-wasm-relaxed-simd`; the test process itself runs the plain variant, as
 * CI and users without the flag do): GEMM, potrf/potri, ResidentCholesky and LowerInverseRows agree with the
 * plain variant to 1e-12 (normwise relative). The script is `fma-child.testutil.ts`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const major = Number(process.versions.node.split('.')[0]);
// Node ≥ 22 compiles relaxed SIMD by default; Node 20 needs the V8 flag
const flags = major >= 22 ? [] : ['--experimental-wasm-relaxed-simd'];

describe('relaxed-SIMD FMA kernels in a child process with relaxed SIMD enabled', () => {
  test('GEMM, potrf, potri, ResidentCholesky, LowerInverseRows: FMA variant active, within 1e-12 of the plain variant', () => {
    const tsx = createRequire(import.meta.url).resolve('tsx');
    const script = fileURLToPath(new URL('./fma-child.testutil.ts', import.meta.url));
    const tmp = mkdtempSync(join(tmpdir(), 'core-fma-test-'));
    const result = join(tmp, 'result.json');
    let json: string;
    try {
      execFileSync(process.execPath, [...flags, '--import', tsx, script, result], { encoding: 'utf8', timeout: 120_000 });
      json = readFileSync(result, 'utf8');
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
    const { fma, checks } = JSON.parse(json) as { fma: boolean; checks: { name: string; rel: number; differing: number; entries: number }[] };
    expect(fma).toBe(true);
    expect(checks.length).toBe(44);
    for (const c of checks) expect(c.rel, c.name).toBeLessThan(1e-12);
    // informative: on a CPU with FMA the sums round differently (not asserted: relaxed_madd may be unfused)
    const worst = Math.max(...checks.map((c) => c.rel));
    const differing = checks.reduce((s, c) => s + c.differing, 0);
    const entries = checks.reduce((s, c) => s + c.entries, 0);
    console.log(`FMA vs plain SIMD: largest normwise relative difference ${worst.toExponential(1)}; ${differing} of ${entries} entries differ in their bits`);
  });
});
