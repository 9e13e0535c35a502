/**
 * The raw kernels against the checked API (cholesky, choleskySolve, matmul) and against ml-matrix
 * (CholeskyDecomposition, inverse), on SPD matrices of sizes that cross the block sizes (64, 96).
 */
import { CholeskyDecomposition, inverse, Matrix } from 'ml-matrix';
import { describe, expect, test } from 'vitest';
import { cholesky, choleskySolve, createRng, matmul } from '../index.js';
import {
  affineLower,
  affineLowerRows,
  gemm,
  logDetFromFactor,
  potrf,
  potri,
  potrs,
  trsmLower,
  trsmLowerTrans,
  trsvLower,
  trsvLowerTrans,
  trmmLowerRightTrans,
  trsmLowerRightTrans,
  trtriLower,
} from './index.js';
import { maxAbs, spd, toRows } from './spd.testutil.js';


const SIZES = [1, 2, 5, 24, 25, 49, 63, 64, 65, 97, 150, 301];

describe('raw kernels (unchecked) vs the checked API and ml-matrix', () => {
  test.each(SIZES)('potrf n = %i equals cholesky(A).L and ml-matrix to 1e-12', (n) => {
    const A = spd(n, n);
    const L = A.slice();
    expect(potrf(L, n)).toBe(-1);
    const checked = cholesky(toRows(A, n)).L.to2DArray().flat();
    expect(maxAbs(L, checked)).toBeLessThan(1e-12);
    const ml = new CholeskyDecomposition(new Matrix(toRows(A, n))).lowerTriangularMatrix.to2DArray().flat();
    expect(maxAbs(L, ml)).toBeLessThan(1e-12);
    expect(logDetFromFactor(L, n)).toBeCloseTo(2 * ml.filter((_, i) => i % (n + 1) === 0).reduce((s, d) => s + Math.log(d), 0), 10);
  });

  test('potrf reports the first bad pivot of a matrix that is not PD', () => {
    const A = Float64Array.of(1, 2, 2, 1);
    expect(potrf(A, 2)).toBe(1);
  });

  test.each(SIZES)('trsv/trsm/potrs n = %i equal choleskySolve to 1e-10 relative', (n) => {
    const A = spd(n, 3 * n + 1);
    const L = A.slice();
    potrf(L, n);
    const rng = createRng(n);
    const b = Float64Array.from({ length: n }, () => rng.normal());
    const want = choleskySolve(toRows(A, n), b);
    const x = b.slice();
    trsvLower(L, n, x);
    trsvLowerTrans(L, n, x);
    expect(maxAbs(x, want)).toBeLessThan(1e-10 * Math.max(1, Math.max(...want.map(Math.abs))));
    const y = b.slice();
    potrs(L, n, y, 1);
    expect(maxAbs(y, want)).toBeLessThan(1e-10 * Math.max(1, Math.max(...want.map(Math.abs))));
    // three right-hand sides at once, one being b
    const m = 3;
    const B = new Float64Array(n * m);
    for (let i = 0; i < n; i++) {
      B[i * m] = b[i]!;
      B[i * m + 1] = rng.normal();
      B[i * m + 2] = rng.normal();
    }
    const X = B.slice();
    trsmLower(L, n, X, m);
    trsmLowerTrans(L, n, X, m);
    expect(maxAbs(Array.from({ length: n }, (_, i) => X[i * m]!), want)).toBeLessThan(1e-10 * Math.max(1, Math.max(...want.map(Math.abs))));
    const X2 = B.slice();
    potrs(L, n, X2, m);
    expect(maxAbs(X2, X)).toBe(0);
    // A·X = B
    const AX = matmul(A, X, n, n, m);
    expect(maxAbs(AX, B)).toBeLessThan(1e-9);
  });

  test.each(SIZES)('trtriLower n = %i: L·L⁻¹ = I and equals ml-matrix inverse of L to 1e-12 relative', (n) => {
    const L = spd(n, 7 * n);
    potrf(L, n);
    const W = L.slice();
    trtriLower(W, n);
    const LW = matmul(L, W, n, n, n);
    for (let i = 0; i < n; i++) LW[i * n + i]! -= 1;
    expect(Math.max(...LW.map(Math.abs))).toBeLessThan(1e-12);
    const ml = inverse(new Matrix(toRows(L, n))).to2DArray().flat();
    const scale = Math.max(1, ...ml.map(Math.abs));
    expect(maxAbs(W, ml) / scale).toBeLessThan(1e-12);
  });

  test.each(SIZES)('potri n = %i equals ml-matrix inverse(A) to 1e-12 relative, out-of-place, kept and in place', (n) => {
    const A = spd(n, 11 * n);
    const L = A.slice();
    potrf(L, n);
    const ml = inverse(new Matrix(toRows(A, n))).to2DArray().flat();
    const scale = Math.max(1, ...ml.map(Math.abs));
    const kept = L.slice();
    const inv1 = potri(kept, n, undefined, true);
    expect(maxAbs(kept, L)).toBe(0);
    expect(maxAbs(inv1, ml) / scale).toBeLessThan(1e-12);
    const inPlace = L.slice();
    const inv2 = potri(inPlace, n, inPlace);
    expect(inv2).toBe(inPlace);
    expect(maxAbs(inv2, inv1)).toBeLessThan(1e-13 * scale);
    const out = new Float64Array(n * n).fill(Number.NaN);
    expect(maxAbs(potri(L.slice(), n, out), inv1)).toBeLessThan(1e-13 * scale);
    // symmetric
    let asym = 0;
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) asym = Math.max(asym, Math.abs(inv1[i * n + j]! - inv1[j * n + i]!));
    expect(asym).toBe(0);
  });

  test.each(SIZES)('trsmLowerRightTrans / trmmLowerRightTrans n = %i: X L⁻ᵀ and X Lᵀ equal ml-matrix products to 1e-12 relative; potri lowerOnly', (n) => {
    const A = spd(n, 13 * n);
    const L = A.slice();
    potrf(L, n);
    const q = 37;
    const rng = createRng(n + 1);
    const X = Float64Array.from({ length: q * n }, () => rng.normal());
    const Lm = new Matrix(toRows(L, n));
    const Xm = new Matrix(toRows(X, q, n));
    const wantMul = Xm.mmul(Lm.transpose()).to2DArray().flat();
    const wantSolve = Xm.mmul(inverse(Lm).transpose()).to2DArray().flat();
    const mul = X.slice();
    trmmLowerRightTrans(L, n, mul, q);
    expect(maxAbs(mul, wantMul) / Math.max(1, ...wantMul.map(Math.abs))).toBeLessThan(1e-12);
    const sol = X.slice();
    trsmLowerRightTrans(L, n, sol, q);
    expect(maxAbs(sol, wantSolve) / Math.max(1, ...wantSolve.map(Math.abs))).toBeLessThan(1e-12);
    const full = potri(L, n, undefined, true);
    const lower = potri(L, n, undefined, true, true);
    for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) expect(lower[i * n + j]).toBe(full[i * n + j]);
  });

  test('affineLower / affineLowerRows: μ + Lz equals the direct product (one vector, rows of Z, zero mean)', () => {
    const n = 70;
    const A = spd(n, 5);
    const L = A.slice();
    potrf(L, n);
    const rng = createRng(2);
    const mu = Float64Array.from({ length: n }, () => rng.normal());
    const count = 33;
    const Z = Float64Array.from({ length: count * n }, () => rng.normal());
    const Y = affineLowerRows(L, n, Z, count, mu);
    for (let s = 0; s < count; s++) {
      const y = affineLower(L, n, Z.subarray(s * n, (s + 1) * n), mu);
      expect(maxAbs(y, Y.subarray(s * n, (s + 1) * n))).toBeLessThan(1e-12);
      const direct = matmul(L, Z.slice(s * n, (s + 1) * n), n, n, 1).map((v, i) => v + mu[i]!);
      expect(maxAbs(y, direct)).toBeLessThan(1e-12);
    }
    expect(maxAbs(affineLowerRows(L, n, Z, count, null), Y.map((v, i) => v - mu[i % n]!))).toBeLessThan(1e-12);
  });

  test('gemm (strided, transposes, alpha) equals matmul on sub-blocks', () => {
    const rng = createRng(4);
    const a = Float64Array.from({ length: 12 * 10 }, () => rng.normal());
    const b = Float64Array.from({ length: 10 * 9 }, () => rng.normal());
    // C (5×4) = 2·A[2:7, 1:9] · B[1:9, 3:7]  with A 12×10 and B 10×9
    const Asub = new Float64Array(5 * 8);
    for (let i = 0; i < 5; i++) for (let k = 0; k < 8; k++) Asub[i * 8 + k] = a[(2 + i) * 10 + 1 + k]!;
    const Bsub = new Float64Array(8 * 4);
    for (let k = 0; k < 8; k++) for (let j = 0; j < 4; j++) Bsub[k * 4 + j] = b[(1 + k) * 9 + 3 + j]!;
    const want = matmul(Asub, Bsub, 5, 8, 4).map((v) => 2 * v);
    const C = new Float64Array(6 * 7);
    gemm(5, 4, 8, 2, a, 2 * 10 + 1, 10, false, b, 1 * 9 + 3, 9, false, C, 7 + 2, 7);
    const got = new Float64Array(20);
    for (let i = 0; i < 5; i++) for (let j = 0; j < 4; j++) got[i * 4 + j] = C[(1 + i) * 7 + 2 + j]!;
    expect(maxAbs(got, want)).toBeLessThan(1e-12);
    // transposed operands: op(A) = (Asubᵀ)ᵀ stored k×m
    const At = new Float64Array(8 * 5);
    for (let i = 0; i < 5; i++) for (let k = 0; k < 8; k++) At[k * 5 + i] = Asub[i * 8 + k]!;
    const C2 = new Float64Array(20);
    gemm(5, 4, 8, 2, At, 0, 5, true, Bsub, 0, 4, false, C2, 0, 4);
    expect(maxAbs(C2, want)).toBeLessThan(1e-12);
  });
});
