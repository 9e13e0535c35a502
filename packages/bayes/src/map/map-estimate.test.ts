import { AbortError, createRng, sampleNormal } from '@notes/core-linalg';
import { Matrix, solve } from 'ml-matrix';
import { describe, expect, test } from 'vitest';
import { betaBernoulli } from '../conjugate/beta-bernoulli.js';
import { gammaPoisson } from '../conjugate/gamma-poisson.js';
import { normalGamma } from '../conjugate/normal-gamma.js';
import { expectAbortReportsElapsed } from '../testing/abort-partial.js';
import { mapEstimate } from './map-estimate.js';

describe('Maximum a posterior estimation', () => {
  test('Gaussian-prior linear regression: θ_MAP equals ridge (XᵀX + λI)⁻¹Xᵀy with λ = σ²/σ_w²', () => {
    const rng = createRng(1);
    const n = 40;
    const d = 4;
    const X = Array.from({ length: n }, () => Array.from({ length: d }, () => sampleNormal(rng)));
    const w = [1, -2, 0.5, 3];
    const y = X.map((r) => r.reduce((s, v, j) => s + v * w[j]!, 0) + 0.3 * sampleNormal(rng));
    const s2 = 0.09;
    const sw2 = 0.5;
    const ll = (t: Float64Array) => {
      const g = new Float64Array(d);
      let v = 0;
      for (let i = 0; i < n; i++) {
        const r = y[i]! - X[i]!.reduce((s, x, j) => s + x * t[j]!, 0);
        v -= (r * r) / (2 * s2);
        for (let j = 0; j < d; j++) g[j]! += (r * X[i]![j]!) / s2;
      }
      return { value: v, gradient: g };
    };
    const lp = (t: Float64Array) => ({
      value: -t.reduce((s, v) => s + v * v, 0) / (2 * sw2),
      gradient: t.map((v) => -v / sw2),
    });
    const r = mapEstimate(ll, lp, new Float64Array(d));
    const Xm = new Matrix(X);
    const A = Xm.transpose().mmul(Xm).add(Matrix.eye(d).mul(s2 / sw2));
    const ridge = solve(A, Xm.transpose().mmul(Matrix.columnVector(y))).to1DArray();
    expect(r.report.converged).toBe(true);
    for (let j = 0; j < d; j++) expect(r.theta[j]).toBeCloseTo(ridge[j]!, 7);
  });

  test('closed-form posterior modes: Beta–Bernoulli, Gamma–Poisson, Normal–Gamma (joint mode)', () => {
    const bb = betaBernoulli({ alpha: 2, beta: 3 });
    const xb = [1, 1, 0, 1, 1, 1, 0];
    const k = 5;
    const rb = mapEstimate(
      (t) => ({ value: bb.logLikelihood(xb, t[0]!), gradient: [k / t[0]! - 2 / (1 - t[0]!)] }),
      (t) => ({ value: bb.logDensity(t[0]!), gradient: [1 / t[0]! - 2 / (1 - t[0]!)] }),
      [0.5],
      { lower: [1e-9], upper: [1 - 1e-9] },
    );
    expect(rb.theta[0]).toBeCloseTo(bb.update(xb).mode(), 7);

    const gp = gammaPoisson({ shape: 2, rate: 0.5 });
    const xp = [3, 5, 2, 4];
    const rp = mapEstimate(
      (t) => ({ value: gp.logLikelihood(xp, t[0]!), gradient: [14 / t[0]! - 4] }),
      (t) => ({ value: gp.logDensity(t[0]!), gradient: [1 / t[0]! - 0.5] }),
      [1],
      { lower: [1e-9] },
    );
    expect(rp.theta[0]).toBeCloseTo(gp.update(xp).mode(), 7);

    const ng = normalGamma({ mean: 0, kappa: 1, shape: 2, rate: 1 });
    const xn = [0.5, 1.5, 1.0, 2.0];
    const post = ng.update(xn);
    // gradient of log NG(μ,τ) + Σ log N(x|μ,1/τ) in (μ, τ)
    const r = mapEstimate(
      (t) => {
        const [mu, tau] = [t[0]!, t[1]!];
        const ss = xn.reduce((s, x) => s + (x - mu) ** 2, 0);
        const sx = xn.reduce((s, x) => s + (x - mu), 0);
        return { value: ng.logLikelihood(xn, { mu, tau }), gradient: [tau * sx, xn.length / (2 * tau) - ss / 2] };
      },
      (t) => {
        const [mu, tau] = [t[0]!, t[1]!];
        return {
          value: ng.logDensity({ mu, tau }),
          gradient: [-tau * mu, 0.5 / tau - (mu * mu) / 2 + (2 - 1) / tau - 1],
        };
      },
      [0.1, 1],
      { lower: [Number.NEGATIVE_INFINITY, 1e-9] },
    );
    expect(r.theta[0]).toBeCloseTo(post.mode().mu, 6);
    expect(r.theta[1]).toBeCloseTo(post.mode().tau, 6);
  });

  test('non-finite start → NonFiniteError naming x0', () => {
    const f = () => ({ value: 0, gradient: [0] });
    expect(() => mapEstimate(f, f, [Number.NaN])).toThrow(/'x0'/);
    expect(() => mapEstimate(() => ({ value: Number.NEGATIVE_INFINITY, gradient: [0] }), f, [0])).toThrow(/'x0'/);
    // a NaN gradient at x0, a gradient of the wrong length, bad options: mapEstimate's own typed errors
    expect(() => mapEstimate(() => ({ value: 0, gradient: [Number.NaN] }), f, [0])).toThrow(
      expect.objectContaining({ code: 'non-finite', message: expect.stringMatching(/^mapEstimate: .*'x0'/) }),
    );
    expect(() => mapEstimate(f, () => ({ value: 0, gradient: [] }), [0])).toThrow(
      expect.objectContaining({ code: 'shape', message: expect.stringMatching(/'logPrior'/) }),
    );
    expect(() => mapEstimate(f, f, [0], { maxIterations: -1 })).toThrow(/^mapEstimate: option 'maxIterations'/);
    expect(() => mapEstimate(f, f, [0], { gradTol: 0 })).toThrow(/'gradTol'/);
  });

  test("an abort's partial report gives the wall-clock time spent (elapsedMs was 0)", () => {
    // Rosenbrock as −log posterior: several iterations before convergence
    const ll = (t: Float64Array) => {
      const [a, b] = [t[0]!, t[1]!];
      return { value: -((1 - a) ** 2 + 100 * (b - a * a) ** 2), gradient: [2 * (1 - a) + 400 * a * (b - a * a), -200 * (b - a * a)] };
    };
    const flat = () => ({ value: 0, gradient: [0, 0] });
    expectAbortReportsElapsed((hooks) => mapEstimate(ll, flat, [-1.2, 1], hooks));
  });

  test("an abort's partial lists the coordinates on a bound (atBounds was always empty)", () => {
    // log posterior −(a − 5)² − 10(b − 0.5)² − (a − b)² with a ≤ 1: a hits its bound at once, b stays inside
    const ll = (t: Float64Array) => {
      const [a, b] = [t[0]!, t[1]!];
      return { value: -((a - 5) ** 2) - 10 * (b - 0.5) ** 2 - (a - b) ** 2, gradient: [-2 * (a - 5) - 2 * (a - b), -20 * (b - 0.5) + 2 * (a - b)] };
    };
    const flat = () => ({ value: 0, gradient: [0, 0] });
    const full = mapEstimate(ll, flat, [0, 0], { upper: [1, 10] });
    expect(full.atBounds).toEqual([0]);
    const c = new AbortController();
    let err: unknown;
    try {
      mapEstimate(ll, flat, [0, 0], { upper: [1, 10], onProgress: (i) => (i.iteration === 2 ? c.abort() : undefined), signal: c.signal });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AbortError);
    const partial = (err as AbortError).partial as { theta: Float64Array; atBounds: readonly number[] };
    expect(partial.theta[0]).toBe(1);
    expect(partial.atBounds).toEqual([0]);
  });
});
