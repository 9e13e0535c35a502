import { createRng } from '@notes/core-linalg';
import { describe, expect, it } from 'vitest';
import { costMatrix } from './cost.js';
import { sinkhorn } from './sinkhorn.js';
import { setSinkhornBackend } from './kernel-store.js';
import { EXP_MAX, EXP_MIN, getSinkhornWasm, type SinkhornWasm, sinkhornWasmBytes } from './sinkhorn-wasm.js';

/** Units in the last place between two positive finite doubles. */
function ulps(x: number, y: number): number {
  const b = new BigInt64Array(new Float64Array([x, y]).buffer);
  const d = b[0]! - b[1]!;
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

  it('expRow: e^{s·x} equals Math.exp to 1 ulp on [−708, 709] and sums the columns', () => {
    const len = 4096;
    const { w, mem } = instance(3 * len);
    const src = 0;
    const dst = len;
    const col = 2 * len;
    const s = -0.37;
    let worst = 0;
    let mismatches = 0;
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
        expect(mem[col + j]).toBe(mem[dst + j]);
      }
    }
    expect(worst).toBeLessThanOrEqual(1);
    // fdlibm's algorithm: away from half-integer x/ln 2 (where k may be rounded the other way) the
    // same double as V8's Math.exp
    expect(mismatches).toBe(0);
  });

  it('expRow: 0 below e^{−708} (and for M = +∞ padding), +∞ above e^{709}; column sums accumulate', () => {
    const { w, mem } = instance(12);
    mem.set([708.5, 1e6, Number.POSITIVE_INFINITY, -709.5], 0);
    mem.set([1, 2, 3, 4], 8);
    w.expRow(0, 8 * 4, 8 * 4, -1, 8 * 8);
    expect(Array.from(mem.subarray(4, 8))).toEqual([0, 0, 0, Number.POSITIVE_INFINITY]);
    expect(Array.from(mem.subarray(8, 12))).toEqual([1, 2, 3, Number.POSITIVE_INFINITY]);
    mem.set([0, 1, -0.5, 708], 0);
    w.expRow(0, 8 * 4, 8 * 4, -1, 8 * 8);
    expect(Array.from(mem.subarray(4, 8))).toEqual([1, Math.exp(-1), Math.exp(0.5), Math.exp(-708)]);
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
    expect(viaWasm.converged).toBe(true);
    expect(Math.abs(viaWasm.iterations - viaJs.iterations)).toBeLessThanOrEqual(1);
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
