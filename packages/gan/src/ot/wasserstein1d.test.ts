import { DomainError, normalQuantile, ShapeError } from '@notes/core-linalg';
import { describe, expect, test } from 'vitest';
import { costMatrix } from './cost.js';
import { emd } from './emd.js';
import { pot } from './fixtures.testutil.js';
import { gaussianWasserstein1d } from './gaussian-wasserstein.js';
import { wasserstein1d } from './wasserstein1d.js';

function quantileGrid(n: number, mean: number, sd: number): Float64Array {
  return Float64Array.from({ length: n }, (_, k) => normalQuantile((k + 0.5) / n, mean, sd));
}

describe('Optimal transport: 1-D Wasserstein distance', () => {
  test.each(pot.wasserstein1d.map((c, k) => [k, c.p, c] as const))('POT wasserstein_1d case %i (p = %f) to 1e-12', (_k, p, c) => {
    const w = wasserstein1d(c.u, c.v, { p, uWeights: c.uWeights ?? undefined, vWeights: c.vWeights ?? undefined });
    expect(Math.abs(w ** p - c.costPowP)).toBeLessThan(1e-12);
  });

  test('equals emd with |x − y| (p = 1) and |x − y|² (p = 2) costs', () => {
    const c = pot.wasserstein1d[1]!;
    const X = c.u.map((x) => [x]);
    const Y = c.v.map((y) => [y]);
    const a = c.uWeights!;
    const b = c.vWeights!;
    expect(wasserstein1d(c.u, c.v, { uWeights: a, vWeights: b })).toBeCloseTo(emd(a, b, costMatrix(X, Y, 'euclidean')).cost, 12);
    expect(wasserstein1d(c.u, c.v, { p: 2, uWeights: a, vWeights: b }) ** 2).toBeCloseTo(emd(a, b, costMatrix(X, Y)).cost, 12);
  });

  test('Kantorovich–Rubinstein: the c-transform of the emd potential is 1-Lipschitz and attains W1', () => {
    const c = pot.wasserstein1d[2]!;
    const a = c.uWeights!;
    const b = c.vWeights!;
    const res = emd(a, b, costMatrix(c.u.map((x) => [x]), c.v.map((y) => [y]), 'euclidean'));
    const phi = (z: number) => Math.min(...c.v.map((y, j) => Math.abs(z - y) - res.potentials.g[j]!));
    const pts = [...c.u, ...c.v];
    let lip = 0;
    for (const s of pts) for (const t of pts) if (s !== t) lip = Math.max(lip, Math.abs(phi(s) - phi(t)) / Math.abs(s - t));
    expect(lip).toBeLessThanOrEqual(1 + 1e-12);
    const kr = c.u.reduce((s, x, i) => s + a[i]! * phi(x), 0) - c.v.reduce((s, y, j) => s + b[j]! * phi(y), 0);
    expect(kr).toBeCloseTo(wasserstein1d(c.u, c.v, { uWeights: a, vWeights: b }), 12);
  });

  test('W1 between 1-D Gaussians with equal variances is |μ1 − μ2|', () => {
    for (const [m1, m2, sd] of [[0, 1, 1], [-2, 3.5, 0.3], [1, 1, 2]] as const) {
      expect(gaussianWasserstein1d({ mean: m1, sd }, { mean: m2, sd })).toBeCloseTo(Math.abs(m1 - m2), 15);
      // the same from samples at matched quantiles
      expect(Math.abs(wasserstein1d(quantileGrid(500, m1, sd), quantileGrid(500, m2, sd)) - Math.abs(m1 - m2))).toBeLessThan(1e-12);
    }
  });

  test('Gaussian W1 and W2 closed forms agree with the quantile integral', () => {
    const P = { mean: 0.3, sd: 1.7 };
    const Q = { mean: -0.4, sd: 0.6 };
    const n = 200000;
    for (const p of [1, 2] as const) {
      // midpoint rule of ∫ |F⁻¹ − G⁻¹|^p on a fine grid
      let s = 0;
      for (let k = 0; k < n; k++) {
        const t = (k + 0.5) / n;
        s += Math.abs(normalQuantile(t, P.mean, P.sd) - normalQuantile(t, Q.mean, Q.sd)) ** p / n;
      }
      expect(gaussianWasserstein1d(P, Q, p)).toBeCloseTo(s ** (1 / p), 4);
    }
  });

  test('huge weights are normalised without overflow (Σw = ∞ used to zero them): same as unit weights', () => {
    const u = [0, 1, 5];
    const v = [2, 3];
    // quantiles: t ∈ (0, ¼] 0↔2, (¼, ½] 1↔2, (½, 1] 5↔3 → W1 = ¼·2 + ¼·1 + ½·2 = 1.75
    expect(wasserstein1d(u, v, { uWeights: [1, 1, 2] })).toBeCloseTo(1.75, 15);
    expect(wasserstein1d(u, v, { uWeights: [0.5e308, 0.5e308, 1e308] })).toBeCloseTo(1.75, 15);
    expect(wasserstein1d([0, 1], [0, 1], { uWeights: [1e308, 1e308] })).toBe(0);
  });

  test('no overflow for huge samples or large p (were ∞): homogeneity and the two-atom closed form', () => {
    // W_p(s·u, s·v) = s·W_p(u, v); here W_2([0, 1], [2, 3]) = 2 exactly
    expect(wasserstein1d([0, 1e200], [2e200, 3e200], { p: 2 }) / 2e200).toBeCloseTo(1, 15);
    expect(wasserstein1d([1e200], [-1e200], { p: 2 }) / 2e200).toBeCloseTo(1, 15);
    expect(wasserstein1d([1e307], [-1e307])).toBe(2e307);
    // two atoms of mass ½: gaps 3 and 4, W_p = (½·3^p + ½·4^p)^{1/p} = 4·(½ + ½(3/4)^p)^{1/p}
    for (const p of [1000, 1e6]) expect(wasserstein1d([0, 1], [3, 5], { p })).toBeCloseTo(4 * (0.5 + 0.5 * 0.75 ** p) ** (1 / p), 14);
    expect(wasserstein1d([0, 1], [3, 5], { p: 1e300 })).toBe(4); // → W∞ = largest gap
    expect(() => wasserstein1d([1e308], [-1e308])).toThrow(/wasserstein1d: the distance overflows/);
  });

  test('Gaussian W1 is homogeneous: W1(sP, sQ) = s·W1(P, Q) at s = 1e200 (was NaN from Δμ²/Δσ² overflow); ∞ is a DomainError', () => {
    const P = { mean: 1, sd: 1 };
    const Q = { mean: 0, sd: 3 };
    const base = gaussianWasserstein1d(P, Q);
    const big = gaussianWasserstein1d({ mean: 1e200, sd: 1e200 }, { mean: 0, sd: 3e200 });
    expect(big / 1e200).toBeCloseTo(base, 14);
    expect(() => gaussianWasserstein1d({ mean: 1e308, sd: 1 }, { mean: -1e308, sd: 1 })).toThrow(/gaussianWasserstein1d: W1 overflows/);
  });

  test('bad input', () => {
    expect(() => wasserstein1d([], [1])).toThrow(ShapeError);
    expect(() => wasserstein1d([1], [Number.NaN])).toThrow(expect.objectContaining({ code: 'non-finite' }));
    expect(() => wasserstein1d([1, 2], [1], { uWeights: [1] })).toThrow(ShapeError);
    expect(() => wasserstein1d([1, 2], [1], { uWeights: [1, -1] })).toThrow(DomainError);
    expect(() => wasserstein1d([1, 2], [1], { p: 0.5 })).toThrow(DomainError);
    expect(() => gaussianWasserstein1d({ mean: 0, sd: 0 }, { mean: 0, sd: 1 })).toThrow(DomainError);
  });
});
