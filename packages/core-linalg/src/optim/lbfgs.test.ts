import { describe, expect, test } from 'vitest';
import { minimizeLBFGS } from './lbfgs.js';
import { AbortError } from '../errors/index.js';

/** Rosenbrock $\sum_i 100(x_{i+1}-x_i^2)^2 + (1-x_i)^2$, minimum 0 at (1, …, 1), gradient by hand. */
function rosenbrock(x: Float64Array): { value: number; gradient: Float64Array } {
  const n = x.length;
  const g = new Float64Array(n);
  let f = 0;
  for (let i = 0; i < n - 1; i++) {
    const a = x[i + 1]! - x[i]! * x[i]!;
    const b = 1 - x[i]!;
    f += 100 * a * a + b * b;
    g[i]! += -400 * x[i]! * a - 2 * b;
    g[i + 1]! += 200 * a;
  }
  return { value: f, gradient: g };
}

describe('support: L-BFGS with strong-Wolfe line search', () => {
  test('gradient of the Rosenbrock test function matches finite differences', () => {
    const x = new Float64Array([-1.2, 1, 0.3, 2]);
    const { gradient } = rosenbrock(x);
    for (let i = 0; i < x.length; i++) {
      const h = 1e-6;
      const xp = x.slice();
      const xm = x.slice();
      xp[i]! += h;
      xm[i]! -= h;
      expect(gradient[i]).toBeCloseTo((rosenbrock(xp).value - rosenbrock(xm).value) / (2 * h), 5);
    }
  });

  test('2-D Rosenbrock from (-1.2, 1) reaches f < 1e-10', () => {
    const x0 = [-1.2, 1];
    const res = minimizeLBFGS(rosenbrock, x0);
    expect(res.report.converged).toBe(true);
    expect(res.value).toBeLessThan(1e-10);
    expect(res.x[0]).toBeCloseTo(1, 5);
    expect(res.x[1]).toBeCloseTo(1, 5);
    expect(x0).toEqual([-1.2, 1]);
    expect(res.report.trace[0]).toBeCloseTo(24.2, 10);
    expect(res.report.trace.length).toBe(res.report.iterations + 1);
    // The trace never increases beyond the approximate-Wolfe slack of 1e-12·|f|.
    for (let i = 1; i < res.report.trace.length; i++) {
      expect(res.report.trace[i]).toBeLessThanOrEqual(res.report.trace[i - 1]! + 1e-12 * Math.abs(res.report.trace[i - 1]!));
    }
  });

  test('10-D Rosenbrock reaches f < 1e-10', () => {
    const x0 = Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? -1.2 : 1));
    const res = minimizeLBFGS(rosenbrock, x0, { maxIterations: 1000 });
    expect(res.report.converged).toBe(true);
    expect(res.value).toBeLessThan(1e-10);
    for (const v of res.x) expect(v).toBeCloseTo(1, 4);
  });

  test('a convex quadratic is solved to gradTol and the result matches the linear solve', () => {
    // f = ½ xᵀAx − bᵀx with A = [[3,1],[1,2]], b = [1,1] → x* = A⁻¹b = [0.2, 0.4].
    const res = minimizeLBFGS((x) => {
      const g = new Float64Array([3 * x[0]! + x[1]! - 1, x[0]! + 2 * x[1]! - 1]);
      return { value: 0.5 * (3 * x[0]! ** 2 + 2 * x[0]! * x[1]! + 2 * x[1]! ** 2) - x[0]! - x[1]!, gradient: g };
    }, [5, -7]);
    expect(res.report).toMatchObject({ reason: 'converged', criterion: 'gradTol' });
    expect(res.x[0]).toBeCloseTo(0.2, 9);
    expect(res.x[1]).toBeCloseTo(0.4, 9);
  });

  test('box bounds: the constrained optimum lies on the bound and is reported', () => {
    // min (x−3)² + (y+1)² on [0, 2] × [0, 5] → (2, 0), both on bounds (KKT: gradient points outward).
    const res = minimizeLBFGS(
      (x) => ({
        value: (x[0]! - 3) ** 2 + (x[1]! + 1) ** 2,
        gradient: [2 * (x[0]! - 3), 2 * (x[1]! + 1)],
      }),
      [1, 4],
      { lower: [0, 0], upper: [2, 5] },
    );
    expect(res.report.converged).toBe(true);
    expect(Array.from(res.x)).toEqual([2, 0]);
    expect(res.atBounds).toEqual([0, 1]);
    expect(res.value).toBe(2);
  });

  test('bounded Rosenbrock: upper bound x₀ ≤ 0.5 gives the constrained optimum (0.5, 0.25)', () => {
    // With x₀ fixed at 0.5 the best x₁ is 0.25 (f = 0.25); ∂f/∂x₀ < 0 there, so the bound is active.
    const res = minimizeLBFGS(rosenbrock, [-1.2, 1], { upper: [0.5, Number.POSITIVE_INFINITY] });
    expect(res.report.converged).toBe(true);
    expect(res.x[0]).toBe(0.5);
    expect(res.x[1]).toBeCloseTo(0.25, 7);
    expect(res.value).toBeCloseTo(0.25, 10);
  });

  test('an x0 outside the box is projected first', () => {
    const res = minimizeLBFGS((x) => ({ value: x[0]! ** 2, gradient: [2 * x[0]!] }), [-5], { lower: [1] });
    expect(Array.from(res.x)).toEqual([1]);
  });

  test('maxIterations, onProgress and signal', () => {
    const seen: number[] = [];
    const res = minimizeLBFGS(rosenbrock, [-1.2, 1], { maxIterations: 3, onProgress: (p) => seen.push(p.iteration) });
    expect(res.report).toMatchObject({ converged: false, reason: 'max-iterations', iterations: 3 });
    expect(seen).toEqual([1, 2, 3]);
    const ctrl = new AbortController();
    expect(() =>
      minimizeLBFGS(rosenbrock, [-1.2, 1], { onProgress: (p) => p.iteration === 2 && ctrl.abort(), signal: ctrl.signal }),
    ).toThrow(expect.objectContaining({ code: 'aborted' }));
  });

  test('non-finite trial values shrink the step instead of leaking NaN', () => {
    // f = −log x + x has its minimum at 1; f is NaN for x < 0, which a long first step would reach.
    const res = minimizeLBFGS((x) => ({ value: -Math.log(x[0]!) + x[0]!, gradient: [-1 / x[0]! + 1] }), [0.01]);
    expect(res.report.converged).toBe(true);
    expect(res.x[0]).toBeCloseTo(1, 7);
  });

  test('an objective unbounded below is reported as unbounded, not converged', () => {
    // Each of these has inf f = −∞, so no stopping point is a minimum. The relative f-change test used to
    // pass once |f| was huge (or the step fell below float resolution) and report converged: true, 'fTol'.
    const cases: [string, (x: Float64Array) => { value: number; gradient: number[] }, number[]][] = [
      ['−x₁ − x₂', (x) => ({ value: -x[0]! - x[1]!, gradient: [-1, -1] }), [0, 0]],
      ['−x', (x) => ({ value: -x[0]!, gradient: [-1] }), [0]],
      ['x³ from −1', (x) => ({ value: x[0]! ** 3, gradient: [3 * x[0]! ** 2] }), [-1]],
      ['x³ from −0.001 (just left of the stationary point 0)', (x) => ({ value: x[0]! ** 3, gradient: [3 * x[0]! ** 2] }), [-0.001]],
      ['−x²', (x) => ({ value: -(x[0]! ** 2), gradient: [-2 * x[0]!] }), [0.5]],
      ['−eˣ (reaches −1.8e308)', (x) => ({ value: -Math.exp(x[0]!), gradient: [-Math.exp(x[0]!)] }), [0]],
      ['−x₁ + (x₂ − 1)² (unbounded along one axis only)', (x) => ({ value: -x[0]! + (x[1]! - 1) ** 2, gradient: [-1, 2 * (x[1]! - 1)] }), [0, 0]],
    ];
    for (const [name, f, x0] of cases) {
      const res = minimizeLBFGS(f, x0);
      expect({ name, converged: res.report.converged, reason: res.report.reason }).toEqual({ name, converged: false, reason: 'unbounded' });
      expect(Number.isFinite(res.value)).toBe(true);
      for (const v of res.x) expect(Number.isFinite(v)).toBe(true);
      expect(res.value).toBeLessThanOrEqual(f(Float64Array.from(x0)).value);
    }
  });

  test('unbounded detection leaves bounded problems alone: a box, a flat tail, a far-away minimum', () => {
    // −x₁ − x₂ on [0, 1e6]²: bounded by the box, optimum at the corner.
    const box = minimizeLBFGS((x) => ({ value: -x[0]! - x[1]!, gradient: [-1, -1] }), [0, 0], { upper: [1e6, 1e6] });
    expect(box).toMatchObject({ report: { converged: true }, value: -2e6 });
    // e^{−x} is bounded below by 0 (inf not attained): must not be called unbounded.
    const tail = minimizeLBFGS((x) => ({ value: Math.exp(-x[0]!), gradient: [-Math.exp(-x[0]!)] }), [0]);
    expect(tail.report.reason).not.toBe('unbounded');
    // A quadratic with its minimum at 1e8 and value −1e16 is bounded.
    const far = minimizeLBFGS((x) => ({ value: (x[0]! - 1e8) ** 2 - 1e16, gradient: [2 * (x[0]! - 1e8)] }), [0]);
    expect(far.report.converged).toBe(true);
    expect(far.x[0]).toBeCloseTo(1e8, 0);
  });

  test('bad input → typed errors', () => {
    const f = (x: Float64Array) => ({ value: x[0]! ** 2, gradient: [2 * x[0]!] });
    expect(() => minimizeLBFGS(f, [])).toThrow(expect.objectContaining({ code: 'shape' }));
    expect(() => minimizeLBFGS(f, [Number.NaN])).toThrow(expect.objectContaining({ code: 'non-finite' }));
    expect(() => minimizeLBFGS(f, [1], { lower: [2], upper: [1] })).toThrow(expect.objectContaining({ code: 'domain' }));
    expect(() => minimizeLBFGS(f, [1], { lower: [0, 0] })).toThrow(expect.objectContaining({ code: 'shape' }));
    expect(() => minimizeLBFGS(f, [1], { memory: 0 })).toThrow(expect.objectContaining({ code: 'domain' }));
    expect(() => minimizeLBFGS(() => ({ value: 1, gradient: [1, 2] }), [1])).toThrow(expect.objectContaining({ code: 'shape' }));
    expect(() => minimizeLBFGS(() => ({ value: Number.NaN, gradient: [1] }), [1])).toThrow(
      expect.objectContaining({ code: 'non-finite' }),
    );
  });
});

describe('L-BFGS async twin', () => {
  test('same iterates as the sync driver; an abort from a timer rejects with the current iterate', async () => {
    const { minimizeLBFGSAsync } = await import('./index.js');
    const a = minimizeLBFGS(rosenbrock, [-1.2, 1]);
    const b = await minimizeLBFGSAsync(rosenbrock, [-1.2, 1]);
    expect(Array.from(b.x)).toEqual(Array.from(a.x));
    expect(b.report.iterations).toBe(a.report.iterations);
    // A slow objective (about 10 ms per evaluation, ~50 evaluations) so the timer fires mid-run.
    const slow: typeof rosenbrock = (x) => {
      const until = performance.now() + 10;
      while (performance.now() < until) {
        /* spin */
      }
      return rosenbrock(x);
    };
    const c = new AbortController();
    setTimeout(() => c.abort(), 30);
    const err = await minimizeLBFGSAsync(slow, [-1.2, 1], { signal: c.signal, gradTol: 0, fTol: 0, maxIterations: 100_000 }).catch((e) => e);
    expect(err).toBeInstanceOf(AbortError);
    const partial = (err as AbortError).partial as { x: Float64Array; value: number; iterations: number };
    expect(partial.iterations).toBeGreaterThan(0);
    expect(partial.value).toBeCloseTo(rosenbrock(partial.x).value, 12);
  });
});
