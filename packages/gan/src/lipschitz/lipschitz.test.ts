import { createRng, DomainError, ShapeError } from '@notes/core-linalg';
import { Matrix, SVD } from 'ml-matrix';
import { describe, expect, test } from 'vitest';
import { mlpLipschitzBound } from './mlp-bound.js';
import { createSpectralNormState, spectralNorm, spectralNormalize } from './spectral-norm.js';

function randomMatrix(rows: number, cols: number, seed: number): Matrix {
  const rng = createRng(seed);
  return new Matrix(Array.from({ length: rows }, () => Array.from({ length: cols }, () => rng.normal())));
}
const svdMax = (W: Matrix) => new SVD(W, { autoTranspose: true }).diagonal[0]!;

describe('Lipschitz, spectral norm', () => {
  test.each([
    [20, 30, 1],
    [50, 10, 2],
    [64, 64, 3],
  ])('power iteration σ_max of a %i×%i matrix within 1e-8 of the SVD', (r, c, seed) => {
    const W = randomMatrix(r, c, seed);
    const res = spectralNorm(W);
    expect(res.converged).toBe(true);
    expect(Math.abs(res.sigma - svdMax(W))).toBeLessThan(1e-8);
  });

  test('persistent-vector spectral normalisation converges to σ_max (SN-GAN, one step per call)', () => {
    const W = randomMatrix(30, 40, 4);
    let state = createSpectralNormState(30, createRng(5));
    let last = spectralNormalize(W, state);
    for (let k = 0; k < 400; k++) {
      last = spectralNormalize(W, state);
      state = last.state;
    }
    expect(state.steps).toBe(400);
    expect(Math.abs(last.sigma - svdMax(W))).toBeLessThan(1e-8);
    expect(Math.abs(svdMax(last.weight) - 1)).toBeLessThan(1e-8);
    // estimates from below: σ̂ = ‖W v‖ ≤ σ_max at every step
    const fresh = spectralNormalize(W, createSpectralNormState(30, createRng(6)));
    expect(fresh.sigma).toBeLessThanOrEqual(svdMax(W) + 1e-12);
  });

  test('spectralNormalize does not mutate the state or W', () => {
    const W = [
      [1, 2],
      [3, 4],
    ];
    const state = createSpectralNormState(2, createRng(1));
    const u0 = Float64Array.from(state.u);
    spectralNormalize(W, state, { iterations: 5 });
    expect(state.u).toEqual(u0);
    expect(W).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });

  test('MLP Lipschitz bound ≥ every observed ratio ‖f(x) − f(y)‖/‖x − y‖; exact for one layer', () => {
    const Ws = [randomMatrix(16, 3, 7), randomMatrix(16, 16, 8), randomMatrix(2, 16, 9)];
    const { bound, layerNorms } = mlpLipschitzBound(Ws);
    layerNorms.forEach((s, l) => {
      expect(Math.abs(s - svdMax(Ws[l]!))).toBeLessThan(1e-8);
    });
    const f = (x: number[]) => {
      let h = x;
      Ws.forEach((W, l) => {
        const z = W.mmul(Matrix.columnVector(h)).getColumn(0);
        h = l < Ws.length - 1 ? z.map(Math.tanh) : z;
      });
      return h;
    };
    const rng = createRng(10);
    let worst = 0;
    for (let k = 0; k < 2000; k++) {
      const x = [rng.normal(), rng.normal(), rng.normal()].map((t) => t * 0.3);
      const y = x.map((t) => t + 1e-3 * rng.normal());
      const fx = f(x);
      const fy = f(y);
      worst = Math.max(worst, Math.hypot(...fx.map((t, i) => t - fy[i]!)) / Math.hypot(...x.map((t, i) => t - y[i]!)));
    }
    expect(worst).toBeLessThanOrEqual(bound);
    expect(worst).toBeGreaterThan(0);
    expect(mlpLipschitzBound([Ws[0]!]).bound).toBeCloseTo(svdMax(Ws[0]!), 8);
    expect(mlpLipschitzBound(Ws, { activationLipschitz: 0.25 }).bound).toBeCloseTo(bound / 16, 6);
  });

  test.each([1e-200, 1e-160, 1e160, 1e200])(
    'σ is homogeneous: σ(s·W) = s·σ(W) at s = %s (was 0, ∞ or off by 5e-6 at these scales)',
    (s) => {
      const W = randomMatrix(6, 4, 7);
      const want = s * svdMax(W); // SVD of the unscaled W, times s
      const sW = W.clone().mul(s);
      expect(Math.abs(spectralNorm(sW).sigma - want)).toBeLessThan(1e-12 * want);
      const sn = spectralNormalize(sW, createSpectralNormState(6, createRng(8)), { iterations: 300 });
      expect(Math.abs(sn.sigma - want)).toBeLessThan(1e-12 * want);
      expect(Math.abs(svdMax(sn.weight) - 1)).toBeLessThan(1e-12);
      expect(mlpLipschitzBound([sW]).bound).toBe(spectralNorm(sW).sigma);
    },
  );

  test('bad input', () => {
    expect(() => spectralNorm([[1, 2]], { tol: 0 })).toThrow(/spectralNorm: option 'tol' must be a finite number > 0, got 0/);
    expect(() => spectralNorm([[1, 2]], { maxIterations: 0 })).toThrow(DomainError);
    expect(() => spectralNorm(new Matrix(0, 2))).toThrow(/spectralNorm: argument 'W' must have at least 1 row/);
    expect(() => spectralNorm([[1, Number.NaN]])).toThrow(/spectralNorm: argument 'W' must be finite/);
    expect(() => spectralNormalize([[1]], { u: Float64Array.of(Number.NaN), steps: 0 })).toThrow(
      expect.objectContaining({ code: 'non-finite' }),
    );
    expect(() => mlpLipschitzBound([])).toThrow(ShapeError);
    expect(() => mlpLipschitzBound([[[1, 2]], [[1, 2]]])).toThrow(ShapeError);
    expect(() => spectralNormalize([[1, 2]], createSpectralNormState(2, createRng(1)))).toThrow(ShapeError);
    expect(() => spectralNormalize([[0, 0]], createSpectralNormState(1, createRng(1)))).toThrow(DomainError);
    expect(() => spectralNorm([[1, Number.NaN]])).toThrow(expect.objectContaining({ code: 'non-finite' }));
    expect(() => createSpectralNormState(0, createRng(1))).toThrow(DomainError);
  });
});
