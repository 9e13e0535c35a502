import { describe, expect, test } from 'vitest';
import { naturalGradient, naturalGradientStep } from './natural-gradient.js';

// Gaussian N(μ, e^s) fitted by maximum likelihood in the (μ, s = log σ²) parameterisation.
// Average negative log-likelihood L = ½ s + ½ e^{-s}·mean((x−μ)²) (+ const); per-sample Fisher
// information F(μ, s) = diag(e^{-s}, ½) (closed form). True σ² = 1e-3 makes L badly conditioned.
const data = Array.from({ length: 200 }, (_, i) => 2 + 0.0316 * Math.sin(1.7 * i + 0.3) * Math.SQRT2);
const mean = data.reduce((a, b) => a + b, 0) / data.length;
const variance = data.reduce((a, b) => a + (b - mean) ** 2, 0) / data.length;
const thetaStar = [mean, Math.log(variance)];

function grad(theta: ArrayLike<number>): Float64Array {
  const mu = theta[0]!;
  const s = theta[1]!;
  const s2 = variance + (mean - mu) ** 2;
  return new Float64Array([-(mean - mu) * Math.exp(-s), 0.5 - 0.5 * s2 * Math.exp(-s)]);
}
const fisher = (theta: ArrayLike<number>): number[][] => [
  [Math.exp(-theta[1]!), 0],
  [0, 0.5],
];
const infNorm = (g: Float64Array): number => Math.max(...Array.from(g, Math.abs));

describe('Natural Gradient', () => {
  test('closed form: the step is θ − η F⁻¹∇ for a diagonal Fisher', () => {
    const x = [1, 2];
    const out = naturalGradientStep(x, [2, 1], [[2, 0], [0, 4]], { lr: 0.5, damping: 0 });
    expect(Array.from(out)).toEqual([0.5, 1.875]);
    expect(x).toEqual([1, 2]);
  });

  test('Fisher matrix (Cholesky) and Fisher-vector product (CG) give the same direction, with damping', () => {
    const F = [
      [4, 1, 0.5],
      [1, 3, 0.2],
      [0.5, 0.2, 2],
    ];
    const g = [1, -2, 0.5];
    const fvp = (v: Float64Array) => Float64Array.from(F, (row) => row.reduce((s, a, j) => s + a * v[j]!, 0));
    const a = naturalGradient(g, F, { damping: 0.1 });
    const b = naturalGradient(g, fvp, { damping: 0.1 });
    for (let i = 0; i < 3; i++) expect(b[i]).toBeCloseTo(a[i]!, 10);
    // (F + 0.1 I) a = g
    for (let i = 0; i < 3; i++) {
      expect(F[i]!.reduce((s, v, j) => s + v * a[j]!, 0) + 0.1 * a[i]!).toBeCloseTo(g[i]!, 12);
    }
  });

  test('fewer iterations than plain gradient descent on the ill-conditioned Gaussian MLE', () => {
    const tol = 1e-8;
    // Natural gradient, η = 1: for μ this is the exact Newton step; s converges quadratically near θ*.
    let theta: Float64Array = new Float64Array([0, 0]);
    let natIters = 0;
    while (infNorm(grad(theta)) > tol && natIters < 1000) {
      theta = naturalGradientStep(theta, grad(theta), fisher(theta), { lr: 1, damping: 0 });
      natIters++;
    }
    expect(theta[0]).toBeCloseTo(thetaStar[0]!, 8);
    expect(theta[1]).toBeCloseTo(thetaStar[1]!, 7);
    // Plain gradient descent with the largest stable step for the final curvature 1/σ² ≈ 1000.
    let phi: Float64Array = new Float64Array([0, 0]);
    let gdIters = 0;
    const lr = 1 / Math.exp(-thetaStar[1]!);
    while (infNorm(grad(phi)) > tol && gdIters < 20000) {
      const g = grad(phi);
      phi = phi.map((v, i) => v - lr * g[i]!);
      gdIters++;
    }
    expect(natIters).toBeLessThan(30);
    expect(gdIters).toBeGreaterThan(20 * natIters);
  });

  test('bad input → typed errors', () => {
    expect(() => naturalGradientStep([], [], [[1]])).toThrow(expect.objectContaining({ code: 'shape' }));
    expect(() => naturalGradientStep([1], [1, 2], [[1]])).toThrow(expect.objectContaining({ code: 'shape' }));
    expect(() => naturalGradientStep([1], [Number.NaN], [[1]])).toThrow(expect.objectContaining({ code: 'non-finite' }));
    expect(() => naturalGradientStep([1, 2], [1, 2], [[1]])).toThrow(expect.objectContaining({ code: 'shape' }));
    expect(() => naturalGradientStep([1], [1], [[-1]], { damping: 0 })).toThrow(
      expect.objectContaining({ code: 'not-positive-definite' }),
    );
    expect(() => naturalGradient([1, 1], (v) => v.map((x) => -x), { damping: 0 })).toThrow(
      expect.objectContaining({ code: 'domain' }),
    );
    expect(() => naturalGradientStep([1], [1], [[1]], { lr: 0 })).toThrow(expect.objectContaining({ code: 'domain' }));
    expect(() => naturalGradientStep([1], [1], [[1]], { damping: -1 })).toThrow(expect.objectContaining({ code: 'domain' }));
  });
});

describe('Natural Gradient: inputs untouched', () => {
  test('x, grad and the Fisher matrix are not modified', () => {
    const x = new Float64Array([1, 2]);
    const g = new Float64Array([0.5, -1]);
    const F = [
      [2, 0.5],
      [0.5, 1],
    ];
    naturalGradientStep(x, g, F, { damping: 0.1 });
    expect(Array.from(x)).toEqual([1, 2]);
    expect(Array.from(g)).toEqual([0.5, -1]);
    expect(F).toEqual([
      [2, 0.5],
      [0.5, 1],
    ]);
  });
});
