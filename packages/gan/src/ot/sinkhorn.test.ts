import { ConvergenceError, createRng, DomainError, NonFiniteError, ShapeError } from '@notes/core-linalg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { costMatrix } from './cost.js';
import { emd } from './emd.js';
import { pot } from './fixtures.testutil.js';
import { sinkhorn } from './sinkhorn.js';
import { type SinkhornBackend, setSinkhornBackend } from './kernel-store.js';
import { sinkhornWasmAvailable } from './sinkhorn-wasm.js';

function scaled(x: number[][], y: number[][], scale: number) {
  const M = costMatrix(x, y, 'sqeuclidean');
  return M.div(scale);
}

// every test runs on the WebAssembly kernels of the standard method and on the JavaScript ones
describe.each(['wasm', 'js'] as const)('Optimal transport: Sinkhorn against POT sinkhorn2 (%s kernels)', (kernels) => {
  let previous: SinkhornBackend;
  beforeAll(() => {
    previous = setSinkhornBackend(kernels);
  });
  afterAll(() => {
    setSinkhornBackend(previous);
  });

  test('the requested kernels are available', () => {
    // Node 20 has WebAssembly SIMD: the 'wasm' run must not be the JavaScript fallback in disguise
    expect(sinkhornWasmAvailable()).toBe(true);
  });

  const cases = pot.sinkhorn.map((c, k) => [k, c.a.length, c.b.length, c.reg, c.method, c] as const);
  test.each(cases)('case %i (%i×%i, reg %f, POT %s): cost to 1e-8 with both methods', (_k, _n, _m, reg, _meth, c) => {
    const M = scaled(c.x, c.y, c.scale);
    for (const method of ['standard', 'log'] as const) {
      const res = sinkhorn(c.a, c.b, M, { reg, method, tol: 1e-13, maxIterations: 200000 });
      expect(res.report.converged).toBe(true);
      expect(Math.abs(res.cost - c.cost)).toBeLessThan(1e-8);
      expect(Math.abs(res.plan.get(0, 0) - c.plan00)).toBeLessThan(1e-9);
      // rows sum to a, columns to b
      for (let i = 0; i < c.a.length; i++) expect(Math.abs(res.plan.getRow(i).reduce((s, v) => s + v, 0) - c.a[i]!)).toBeLessThan(1e-13);
      for (let j = 0; j < c.b.length; j++) expect(Math.abs(res.plan.getColumn(j).reduce((s, v) => s + v, 0) - c.b[j]!)).toBeLessThan(1e-12);
      expect(res.cost).toBeGreaterThanOrEqual(c.emdCost - 1e-12);
    }
  });

  test('dual potentials: Π = e^{(f ⊕ g − M)/ε}, dual value = entropic objective, same (f, g) up to a constant for both methods', () => {
    for (const c of pot.sinkhorn) {
      const M = scaled(c.x, c.y, c.scale);
      const reg = c.reg;
      const runs = (['standard', 'log'] as const).map((method) => sinkhorn(c.a, c.b, M, { reg, method, tol: 1e-13, maxIterations: 200000 }));
      for (const res of runs) {
        const { f, g } = res.potentials;
        let primal = 0;
        let worst = 0;
        for (let i = 0; i < c.a.length; i++) {
          for (let j = 0; j < c.b.length; j++) {
            const pij = res.plan.get(i, j);
            const want = Math.exp((f[i]! + g[j]! - M.get(i, j)) / reg);
            worst = Math.max(worst, Math.abs(pij - want) / want);
            primal += pij * M.get(i, j) + (pij > 0 ? reg * pij * (Math.log(pij) - 1) : 0);
          }
        }
        expect(worst).toBeLessThan(1e-10);
        const mass = c.a.reduce((s, t) => s + t, 0);
        const dual = c.a.reduce((s, ai, i) => s + ai * f[i]!, 0) + c.b.reduce((s, bj, j) => s + bj * g[j]!, 0) - reg * mass;
        expect(Math.abs(dual - primal)).toBeLessThan(1e-10);
      }
      const shift = runs[0]!.potentials.f[0]! - runs[1]!.potentials.f[0]!;
      for (let i = 0; i < c.a.length; i++) expect(Math.abs(runs[0]!.potentials.f[i]! - runs[1]!.potentials.f[i]! - shift)).toBeLessThan(1e-9);
      for (let j = 0; j < c.b.length; j++) expect(Math.abs(runs[0]!.potentials.g[j]! - runs[1]!.potentials.g[j]! + shift)).toBeLessThan(1e-9);
    }
  });

  test('log-domain and standard iterates coincide (same iteration count and plan)', () => {
    const c = pot.sinkhorn[4]!;
    const M = scaled(c.x, c.y, c.scale);
    const std = sinkhorn(c.a, c.b, M, { reg: 0.02, method: 'standard', tol: 1e-12 });
    const lg = sinkhorn(c.a, c.b, M, { reg: 0.02, method: 'log', tol: 1e-12 });
    expect(Math.abs(std.report.iterations - lg.report.iterations)).toBeLessThanOrEqual(1);
    expect(Math.abs(std.cost - lg.cost)).toBeLessThan(1e-12);
  });

  test('Sinkhorn cost → emd cost as reg → 0 (monotone gap)', () => {
    const c = pot.sinkhorn[0]!;
    const M = scaled(c.x, c.y, c.scale);
    const exact = emd(c.a, c.b, M).cost;
    expect(Math.abs(exact - c.emdCost)).toBeLessThan(1e-12);
    let prevGap = Number.POSITIVE_INFINITY;
    for (const reg of [0.1, 0.03, 0.01, 0.003, 0.001]) {
      const gap = sinkhorn(c.a, c.b, M, { reg, tol: 1e-11, maxIterations: 100000 }).cost - exact;
      expect(gap).toBeGreaterThan(-1e-12);
      expect(gap).toBeLessThan(prevGap);
      prevGap = gap;
    }
    expect(prevGap).toBeLessThan(2e-3);
  });

  test('log domain is stable at reg = 1e-3·max(M) and matches POT sinkhorn_log', () => {
    const c = pot.sinkhornSmallReg;
    const M = costMatrix(c.x, c.y);
    const res = sinkhorn(c.a, c.b, M, { reg: c.reg, method: 'log', tol: 1e-12, maxIterations: 2_000_000 });
    expect(res.report.converged).toBe(true);
    expect(Number.isFinite(res.cost)).toBe(true);
    expect(Math.abs(res.cost - c.logCost)).toBeLessThan(1e-8);
    expect(res.cost - c.emdCost).toBeGreaterThan(0);
    expect(res.cost - c.emdCost).toBeLessThan(1e-3);
  });

  test('standard method throws a ConvergenceError when e^{−M/reg} underflows; log does not', () => {
    const M = [
      [0, 900],
      [900, 0],
      [800, 1000],
    ];
    const a = [0.4, 0.4, 0.2];
    const b = [0.5, 0.5];
    expect(() => sinkhorn(a, b, M, { reg: 1, method: 'standard' })).toThrow(ConvergenceError);
    const res = sinkhorn(a, b, M, { reg: 1, method: 'log' });
    expect(res.report.converged).toBe(true);
    expect(res.cost).toBeCloseTo(emd(a, b, M).cost, 6);
  });

  test('log domain: shifting M by −2000 (e^{−M/reg} overflows) leaves the plan unchanged', () => {
    const c = pot.sinkhorn[0]!;
    const M = scaled(c.x, c.y, c.scale);
    const base = sinkhorn(c.a, c.b, M, { reg: 0.1, tol: 1e-12 });
    const shifted = sinkhorn(c.a, c.b, M.clone().sub(2000), { reg: 0.1, tol: 1e-12 });
    expect(shifted.report.converged).toBe(true);
    expect(Math.abs(shifted.cost + 2000 - base.cost)).toBeLessThan(1e-9);
    expect(Math.abs(shifted.plan.get(3, 4) - base.plan.get(3, 4))).toBeLessThan(1e-13);
    expect(() => sinkhorn(c.a, c.b, M.clone().sub(2000), { reg: 0.1, method: 'standard' })).toThrow(ConvergenceError);
  });

  test('zero weights and negative costs', () => {
    const rng = createRng(5);
    const M = Array.from({ length: 4 }, () => Array.from({ length: 3 }, () => rng.uniform() * 4 - 2));
    const a = [0.3, 0, 0.3, 0.4];
    const b = [0.5, 0.5, 0];
    for (const method of ['log', 'standard'] as const) {
      const res = sinkhorn(a, b, M, { reg: 0.05, method, tol: 1e-12 });
      expect(res.plan.getRow(1).every((v) => v === 0)).toBe(true);
      expect(res.plan.getColumn(2).every((v) => v === 0)).toBe(true);
      // zero-weight points have scaling 0: potential −∞ (as POT's log_u / log_v); the others are finite
      expect(res.potentials.f[1]).toBe(Number.NEGATIVE_INFINITY);
      expect(res.potentials.g[2]).toBe(Number.NEGATIVE_INFINITY);
      expect([0, 2, 3].every((i) => Number.isFinite(res.potentials.f[i]!))).toBe(true);
      expect(res.cost).toBeGreaterThanOrEqual(emd(a, b, M).cost - 1e-12);
    }
  });

  test('reports max-iterations without converging', () => {
    const c = pot.sinkhorn[2]!;
    const res = sinkhorn(c.a, c.b, scaled(c.x, c.y, c.scale), { reg: 0.01, maxIterations: 3 });
    expect(res.report.converged).toBe(false);
    expect(res.report.reason).toBe('max-iterations');
    expect(res.report.iterations).toBe(3);
  });

  test('bad input gives typed errors', () => {
    const M = [
      [0, 1],
      [1, 0],
    ];
    const w = [0.5, 0.5];
    expect(() => sinkhorn(w, w, M, { reg: 0 })).toThrow(DomainError);
    expect(() => sinkhorn(w, w, M, { reg: -1 })).toThrow(DomainError);
    expect(() => sinkhorn(w, w, M, { reg: Number.NaN })).toThrow(DomainError); // options go through core's option spec (NaN is a wrong value)
    expect(() => sinkhorn(w, w, M, {} as { reg: number })).toThrow(DomainError);
    expect(() => sinkhorn([1, -0.0001], w, M, { reg: 1 })).toThrow(DomainError);
    expect(() => sinkhorn([0.7, 0.7], w, M, { reg: 1 })).toThrow(DomainError);
    expect(() => sinkhorn(w, w, [[0, 1, 2]], { reg: 1 })).toThrow(ShapeError);
    expect(() => sinkhorn(w, w, [[0, Number.NaN], [1, 0]], { reg: 1 })).toThrow(NonFiniteError);
    expect(() => sinkhorn(w, w, M, { reg: 1, method: 'fast' as 'log' })).toThrow(DomainError);
    // zero iterations left the plan unscaled: ∞ entries, NaN/−∞ cost for negative costs, −∞ potentials
    for (const method of ['log', 'standard'] as const) {
      expect(() => sinkhorn(w, w, [[-1000, 1000], [0, 0]], { reg: 1, method, maxIterations: 0 })).toThrow(/option 'maxIterations'/);
      expect(sinkhorn(w, w, M, { reg: 1, method, maxIterations: 1 }).report.iterations).toBe(1);
    }
    expect(sinkhorn([1, 1], [3, 3], M, { reg: 1, normalize: true }).plan.get(0, 0)).toBeCloseTo(0.36552929, 8);
    // each weight finite but Σ = ∞: was a zero plan reported as converged
    expect(() => sinkhorn([1e308, 1e308], [1e308, 1e308], M, { reg: 1 })).toThrow(/sinkhorn: argument 'a' has a total mass that overflows/);
  });

  test('log domain: |M|/reg beyond 1e300 is a DomainError naming options.reg (was a NaN plan and cost)', () => {
    const w = [0.5, 0.5];
    // −M/reg overflows to −∞ in every entry of a row, or M/reg is finite but f̃ + g̃ − M/ε overflows
    const cases: [number[], number[], number[][], number][] = [
      [w, w, [[0, 1e300], [1e300, 1e300]], 1e-9],
      [w, w, [[1e300, 1e300], [1e300, 1e300]], 1e-9],
      [[0.25, 0.25, 0.25, 0.25], [1], [[1], [1.7e308], [-5.666666666666667e307], [-5.666666666666667e307]], 1],
    ];
    for (const [a, b, M, reg] of cases) {
      expect(() => sinkhorn(a, b, M, { reg })).toThrow(DomainError);
      expect(() => sinkhorn(a, b, M, { reg })).toThrow(/sinkhorn: option 'reg' .*1e\+300/);
    }
    // at the bound: finite, and the plan is the identity coupling
    const res = sinkhorn(w, w, [[0, 1e300], [1e300, 0]], { reg: 1 });
    expect(res.report.converged).toBe(true);
    expect(res.plan.to2DArray()).toEqual([[0.5, 0], [0, 0.5]]);
    expect(res.cost).toBe(0);
    expect([...res.potentials.f, ...res.potentials.g].every(Number.isFinite)).toBe(true);
    // entries of zero-weight rows are never used and do not count
    expect(sinkhorn([0.5, 0.5, 0], w, [[0, 1], [1, 0], [1e300, 1e300]], { reg: 1e-9 }).cost).toBe(0);
  });

  test('abort signal stops the iteration', () => {
    const c = pot.sinkhorn[2]!;
    const ctrl = new AbortController();
    ctrl.abort();
    expect(() =>
      sinkhorn(c.a, c.b, scaled(c.x, c.y, c.scale), { reg: 0.01, tol: 1e-15, signal: ctrl.signal }),
    ).toThrow(expect.objectContaining({ code: 'aborted' }));
  });
});
