/**
 * ResidentCholesky (factor, solve, log det, inverse in WebAssembly memory) against the raw `potrf`/`potri`
 * kernels, ml-matrix and residuals, on orders that cross its leaf size (32), its 4-row padding and its recursion.
 */
import { CholeskyDecomposition, inverse, Matrix } from 'ml-matrix';
import { describe, expect, test } from 'vitest';
import { createRng } from '../index.js';
import { logDetFromFactor, potrf, potri, ResidentCholesky } from './index.js';
import { maxAbs, spd, toRows } from './spd.testutil.js';

/** The lower triangle of the resident matrix as a full symmetric n×n array. */
function residentSymmetric(r: ResidentCholesky): Float64Array {
  const { n, ld, offset } = r;
  const f = r.data;
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) {
      out[i * n + j] = f[offset + i * ld + j]!;
      out[j * n + i] = f[offset + i * ld + j]!;
    }
  return out;
}

const SIZES = [1, 2, 3, 5, 31, 32, 33, 37, 63, 64, 65, 97, 150, 301];

describe('ResidentCholesky (unchecked)', () => {
  test('the WebAssembly SIMD kernel instantiates in this runtime (the other tests exercise it, not a fallback)', () => {
    expect(ResidentCholesky.create(10)).not.toBeNull();
  });

  test.each(SIZES)('n = %i: factor equals potrf and ml-matrix (1e-12), solve has residual < 1e-12, logDet equals potrf\'s', (n) => {
    const A = spd(n, 100 + n);
    const r = ResidentCholesky.create(n) as ResidentCholesky;
    // only the lower triangle is read: garbage above the diagonal
    const G = A.slice();
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) G[i * n + j] = Number.NaN;
    r.load(G, n);
    expect(r.factor()).toBe(-1);
    const L = new Float64Array(n * n).fill(7);
    r.copyLower(L, n);
    const ref = A.slice();
    expect(potrf(ref, n)).toBe(-1);
    expect(maxAbs(L, ref)).toBeLessThan(1e-12);
    const ml = new CholeskyDecomposition(new Matrix(toRows(A, n))).lowerTriangularMatrix.to2DArray().flat();
    expect(maxAbs(L, ml)).toBeLessThan(1e-12);
    expect(Math.abs(r.logDet() - logDetFromFactor(ref, n))).toBeLessThan(1e-12 * Math.max(1, n));
    const b = Float64Array.from({ length: n }, (_, i) => Math.sin(i + 1));
    const x = b.slice();
    r.solve(x);
    let res = 0;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += A[i * n + j]! * x[j]!;
      res = Math.max(res, Math.abs(s - b[i]!));
    }
    expect(res).toBeLessThan(1e-12 * n);
  });

  test.each(SIZES)('n = %i: invert gives the lower triangle of A⁻¹: equals potri and ml-matrix inverse (1e-12), A·A⁻¹ = I (1e-12)', (n) => {
    const A = spd(n, 200 + n);
    const r = ResidentCholesky.create(n) as ResidentCholesky;
    r.load(A, n);
    expect(r.factor()).toBe(-1);
    r.invert();
    const Ainv = residentSymmetric(r);
    const L = A.slice();
    potrf(L, n);
    expect(maxAbs(Ainv, potri(L, n))).toBeLessThan(1e-12);
    expect(maxAbs(Ainv, inverse(new Matrix(toRows(A, n))).to2DArray().flat())).toBeLessThan(1e-12);
    let err = 0;
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += A[i * n + k]! * Ainv[k * n + j]!;
        err = Math.max(err, Math.abs(s - (i === j ? 1 : 0)));
      }
    expect(err).toBeLessThan(1e-12);
  });

  test.each([0.04, 1e-6, 1e-9])('RBF kernel matrix + %f·I at n = 500 (the fit bench\'s points): backward error of the factor < 1e-14, residual of the inverse ≤ 2.5× potri\'s', (noise) => {
    const n = 500;
    const rng = createRng(42);
    const x = Float64Array.from({ length: n }, () => 10 * rng.uniform());
    const A = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) A[i * n + j] = Math.exp(-0.5 * ((x[i]! - x[j]!) / 0.9) ** 2) + (i === j ? noise : 0);
    const r = ResidentCholesky.create(n) as ResidentCholesky;
    r.load(A, n);
    expect(r.factor()).toBe(-1);
    const L = new Float64Array(n * n);
    r.copyLower(L, n);
    // max |L Lᵀ − A| (lower triangle): 1.6e-15 measured at all three noise levels (potrf: 1.8e-15, 2.9e-14, 2.5e-13)
    let back = 0;
    for (let i = 0; i < n; i++)
      for (let j = 0; j <= i; j++) {
        let s = 0;
        for (let k = 0; k <= j; k++) s += L[i * n + k]! * L[j * n + k]!;
        back = Math.max(back, Math.abs(s - A[i * n + j]!));
      }
    expect(back).toBeLessThan(1e-14);
    r.invert();
    const ref = A.slice();
    expect(potrf(ref, n)).toBe(-1);
    const residual = (B: Float64Array) => {
      let e = 0;
      for (let i = 0; i < n; i++)
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let k = 0; k < n; k++) s += A[i * n + k]! * B[k * n + j]!;
          e = Math.max(e, Math.abs(s - (i === j ? 1 : 0)));
        }
      return e;
    };
    // max |A·A⁻¹ − I| measured: 6.4e-14 vs potri's 7.2e-14 (noise 0.04), 1.0e-7 vs 5.4e-8 (1e-6), 2.2e-3 vs 2.2e-3
    // (1e-9, where the largest entry of A⁻¹ is ≈ 1e9)
    expect(residual(residentSymmetric(r))).toBeLessThanOrEqual(2.5 * residual(potri(ref, n)));
  });

  test('a matrix that is not positive definite: factor returns the index of the first bad pivot, as potrf does', () => {
    for (const [n, bad] of [
      [5, 0],
      [40, 3],
      [97, 70],
      [130, 129],
    ] as const) {
      const A = spd(n, n);
      // make the leading (bad+1)×(bad+1) block indefinite at its last pivot
      A[bad * n + bad] = -1;
      const r = ResidentCholesky.create(n) as ResidentCholesky;
      r.load(A, n);
      const ref = A.slice();
      expect(potrf(ref, n)).toBe(bad);
      expect(r.factor()).toBe(bad);
    }
  });

  test('diagonal shift in load and loadPacked (same bits); copyLower zeroes the strict upper triangle', () => {
    const n = 45;
    const A = spd(n, 7);
    const r = ResidentCholesky.create(n) as ResidentCholesky;
    r.load(A, n, 2.5);
    expect(r.factor()).toBe(-1);
    const L = new Float64Array(n * n).fill(Number.NaN);
    r.copyLower(L, n);
    const ref = A.slice();
    for (let i = 0; i < n; i++) ref[i * n + i] += 2.5;
    potrf(ref, n);
    expect(maxAbs(L, ref)).toBeLessThan(1e-12);
    const packed: number[] = [];
    for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) packed.push(A[i * n + j]!);
    r.loadPacked(Float64Array.from(packed), 2.5);
    expect(r.factor()).toBe(-1);
    const L2 = new Float64Array(n * n);
    r.copyLower(L2, n);
    expect(L2).toEqual(L);
  });

  test('a later create invalidates the earlier handle; the size limit returns null', () => {
    const a = ResidentCholesky.create(20) as ResidentCholesky;
    const b = ResidentCholesky.create(30) as ResidentCholesky;
    expect(() => a.factor()).toThrow(/invalidated/);
    b.load(spd(30, 1), 30);
    expect(b.factor()).toBe(-1);
    expect(ResidentCholesky.create(6000)).toBeNull();
  });

  test('release drops the grown memory: a later create starts from a fresh module; released handles throw', () => {
    const big = ResidentCholesky.create(400) as ResidentCholesky;
    expect(big.data.buffer.byteLength).toBeGreaterThanOrEqual(400 * 400 * 8);
    ResidentCholesky.release();
    expect(() => big.factor()).toThrow(/invalidated/);
    const c = ResidentCholesky.create(30) as ResidentCholesky;
    expect(c.data.buffer.byteLength).toBeLessThan(400 * 400 * 8);
    c.load(spd(30, 1), 30);
    expect(c.factor()).toBe(-1);
    expect(ResidentCholesky.create(0)).toBeNull();
  });
});
