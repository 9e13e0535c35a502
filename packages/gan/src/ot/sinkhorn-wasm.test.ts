import { createRng } from '@notes/core-linalg';
import { describe, expect, it } from 'vitest';
import { costMatrix } from './cost.js';
import { sinkhorn } from './sinkhorn.js';
import { setSinkhornBackend } from './kernel-store.js';
import { EXP_MAX, EXP_MIN, getSinkhornWasm, type SinkhornWasm, sinkhornWasmBytes } from './sinkhorn-wasm.js';

const ulpF = new Float64Array(2);
const ulpB = new BigInt64Array(ulpF.buffer);
/** Units in the last place between two positive finite doubles (one shared buffer: no allocation per call). */
function ulps(x: number, y: number): number {
  if (x === y) return 0;
  ulpF[0] = x;
  ulpF[1] = y;
  const d = ulpB[0]! - ulpB[1]!;
  return Number(d < 0n ? -d : d);
}

/** A kernel instance with room for `doubles` doubles, and a Float64Array over its memory. */
function instance(doubles: number): { w: SinkhornWasm; mem: Float64Array } {
  const w = getSinkhornWasm(8 * doubles);
  if (!w) throw new Error('WebAssembly SIMD unavailable');
  return { w, mem: new Float64Array(w.memory.buffer) };
}

describe('Optimal transport — WebAssembly SIMD kernels of the standard Sinkhorn iteration', () => {
  it('is a valid module', () => {
    expect(WebAssembly.validate(sinkhornWasmBytes())).toBe(true);
  });

  it('expRow: e^{s·x} equals Math.exp to 1 ulp on [−746, 710] (subnormal results and the overflow threshold included) and sums the columns', () => {
    const len = 4096;
    const { w, mem } = instance(3 * len);
    const src = 0;
    const dst = len;
    const col = 2 * len;
    const s = -0.37;
    let worst = 0;
    let mismatches = 0;
    let sumMismatches = 0;
    // 200 × 4096 points, checked with plain comparisons and one expect at the end: an expect per point
    // (819,200 calls) took 9–13 s alone and hit the 60 s per-test timeout on a busy machine
    const checked = 200;
    const rng = createRng(11);
    for (let rep = 0; rep < checked; rep++) {
      // x = s·M over the whole range, with points at (near) half-integer multiples of ln 2
      for (let j = 0; j < len; j++) {
        const x =
          j % 3 === 0
            ? (Math.round(rng.uniform() * 2040 - 1020) + 0.5) * Math.LN2 * (1 + (rng.uniform() - 0.5) * 4e-16)
            : EXP_MIN + rng.uniform() * (EXP_MAX - EXP_MIN);
        mem[src + j] = Math.min(Math.max(x, EXP_MIN), EXP_MAX) / s;
      }
      mem.fill(0, col, col + len);
      w.expRow(8 * src, 8 * dst, 8 * (src + len), s, 8 * col);
      for (let j = 0; j < len; j++) {
        const want = Math.exp(s * mem[src + j]!);
        const d = ulps(mem[dst + j]!, want);
        worst = Math.max(worst, d);
        if (d !== 0 && j % 3 !== 0) mismatches++;
        if (!Object.is(mem[col + j], mem[dst + j])) sumMismatches++;
      }
    }
    expect(sumMismatches).toBe(0);
    expect(worst).toBeLessThanOrEqual(1);
    // fdlibm's algorithm: away from half-integer x/ln 2 (where k may be rounded the other way) the
    // same double as V8's Math.exp
    expect(mismatches).toBe(0);
  });

  it('expRow: subnormal results below e^{−708} and finite ones up to e^{709.78} as Math.exp; 0 for M = +∞ padding, +∞ beyond, NaN kept; column sums accumulate', () => {
    // x = −M (s = −1); Math.exp is subnormal on (−745.14, −708.4) and finite up to 709.78
    const xs = [-708.5, -720, -740.25, -745, -745.2, -1e6, Number.NEGATIVE_INFINITY, 709.2, 709.5, 709.78, 709.79, 1e6, Number.NaN, 0, -1, 0.5];
    const len = xs.length;
    const { w, mem } = instance(3 * len);
    xs.forEach((x, j) => {
      mem[j] = -x;
      mem[2 * len + j] = j;
    });
    w.expRow(0, 8 * len, 8 * len, -1, 8 * 2 * len);
    xs.forEach((x, j) => {
      const want = Math.exp(x);
      const got = mem[len + j]!;
      if (Number.isNaN(want)) expect(got).toBeNaN();
      else if (want === 0 || want === Number.POSITIVE_INFINITY) expect(got).toBe(want);
      else expect(ulps(got, want)).toBeLessThanOrEqual(1);
      expect(Object.is(mem[2 * len + j], j + got)).toBe(true);
    });
    expect(mem[len + 3]).toBeGreaterThan(0); // e^{−745} = 5e-324, the smallest subnormal
    expect(mem[len + 9]).toBeLessThan(Number.POSITIVE_INFINITY); // e^{709.78} is finite
  });

  it.each([
    // a column whose kernel entries are all subnormal (e^{−720}, e^{−721}) with a tiny weight
    ['subnormal kernel column', [0.5, 0.5], [1 - 1e-20, 1e-20], [[0, 720], [1, 721]]],
    // kernel entries e^{709.5}, e^{709.4}: finite, near the overflow threshold
    ['kernel entries near overflow', [1], [0.5, 0.5], [[-709.5, -709.4]]],
  ])('%s: the standard method gives the same plan on both kernel sets', (_name, a, b, M) => {
    const run = (kernels: 'wasm' | 'js') => {
      const prev = setSinkhornBackend(kernels);
      try {
        return sinkhorn(a, b, M, { reg: 1, method: 'standard' });
      } finally {
        setSinkhornBackend(prev);
      }
    };
    const viaJs = run('js');
    const viaWasm = run('wasm');
    expect(viaWasm.report.converged).toBe(viaJs.report.converged);
    expect(viaWasm.report.iterations).toBe(viaJs.report.iterations);
    for (let i = 0; i < a.length; i++) {
      for (let j = 0; j < b.length; j++) {
        const p = viaJs.plan.get(i, j);
        expect(Math.abs(viaWasm.plan.get(i, j) - p)).toBeLessThanOrEqual(1e-15 * p);
      }
    }
    // and the plan is the right one: rows sum to a, columns to b
    for (let j = 0; j < b.length; j++) {
      const col = viaWasm.plan.getColumn(j).reduce((s, t) => s + t, 0);
      expect(Math.abs(col - b[j]!)).toBeLessThanOrEqual(1e-15 * b[j]!);
    }
  });

  it('dot4 and axpy4 equal the plain loops on padded rows', () => {
    const rng = createRng(3);
    const ld = 36; // a row of 33 values padded to a multiple of 4
    const { w, mem } = instance(4 * ld + 3 * ld + 8);
    const k = 0;
    const v = 4 * ld;
    const out = 5 * ld;
    const sums = 6 * ld;
    for (let i = 0; i < 4 * ld; i++) mem[k + i] = i % ld < 33 ? rng.normal() : 0;
    for (let j = 0; j < 33; j++) mem[v + j] = rng.normal();
    for (let j = 0; j < 33; j++) mem[out + j] = rng.normal();
    const out0 = mem.slice(out, out + ld);
    w.dot4(8 * k, 8 * ld, 8 * v, 8 * (v + ld), 8 * sums);
    const u = [0.5, -1.25, 2, 3.5];
    w.axpy4(8 * k, 8 * ld, u[0]!, u[1]!, u[2]!, u[3]!, 8 * out, 8 * (out + ld));
    for (let r = 0; r < 4; r++) {
      let want = 0;
      for (let j = 0; j < 33; j++) want += mem[k + r * ld + j]! * mem[v + j]!;
      expect(Math.abs(mem[sums + 2 * r]! + mem[sums + 2 * r + 1]! - want)).toBeLessThan(1e-13);
    }
    for (let j = 0; j < ld; j++) {
      let want = out0[j]!;
      for (let r = 0; r < 4; r++) want += u[r]! * mem[k + r * ld + j]!;
      expect(Math.abs(mem[out + j]! - want)).toBeLessThan(1e-13);
    }
  });

  it.each(['standard', 'log'] as const)('the %s iteration gives the same iterates on both kernels (odd sizes, zero weights)', (method) => {
    const rng = createRng(9);
    const n = 203;
    const m = 157;
    const x = Array.from({ length: n }, () => [rng.normal(), rng.normal()]);
    const y = Array.from({ length: m }, () => [rng.normal() + 0.5, rng.normal()]);
    const M = costMatrix(x, y);
    const a = Array.from({ length: n }, (_, i) => (i % 17 === 0 ? 0 : 0.1 + rng.uniform()));
    const b = Array.from({ length: m }, () => 0.1 + rng.uniform());
    const sa = a.reduce((p, q) => p + q, 0);
    const sb = b.reduce((p, q) => p + q, 0);
    const run = (kernels: 'wasm' | 'js') => {
      const prev = setSinkhornBackend(kernels);
      try {
        return sinkhorn(
          a.map((t) => t / sa),
          b.map((t) => t / sb),
          M,
          { reg: 0.05 * M.max(), method, tol: 1e-12 },
        );
      } finally {
        setSinkhornBackend(prev);
      }
    };
    const viaWasm = run('wasm');
    const viaJs = run('js');
    expect(viaWasm.report.converged).toBe(true);
    expect(Math.abs(viaWasm.report.iterations - viaJs.report.iterations)).toBeLessThanOrEqual(1);
    expect(Math.abs(viaWasm.cost - viaJs.cost)).toBeLessThan(1e-13 * viaJs.cost);
    let maxDiff = 0;
    for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) maxDiff = Math.max(maxDiff, Math.abs(viaWasm.plan.get(i, j) - viaJs.plan.get(i, j)));
    expect(maxDiff).toBeLessThan(1e-15);
    expect(viaWasm.plan.getRow(17).every((t) => t === 0)).toBe(true);
  });

  it('declines a memory beyond 4 GiB (the caller then uses JavaScript)', () => {
    expect(getSinkhornWasm(2 ** 32 + 1)).toBeNull();
  });
});
