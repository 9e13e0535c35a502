import { createRng, DomainError, NonFiniteError, ShapeError } from '@notes/core-linalg';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { costMatrix } from './cost.js';
import { kantorovichDualCheck } from './dual.js';
import { emd } from './emd.js';
import { pot } from './fixtures.testutil.js';

function marginals(plan: { rows: number; columns: number; get(i: number, j: number): number }) {
  const r = new Float64Array(plan.rows);
  const c = new Float64Array(plan.columns);
  let minEntry = 0;
  for (let i = 0; i < plan.rows; i++) {
    for (let j = 0; j < plan.columns; j++) {
      const v = plan.get(i, j);
      r[i]! += v;
      c[j]! += v;
      minEntry = Math.min(minEntry, v);
    }
  }
  return { r, c, minEntry };
}

function permutations(n: number): number[][] {
  if (n === 1) return [[0]];
  const out: number[][] = [];
  for (const p of permutations(n - 1)) for (let k = 0; k < n; k++) out.push([...p.slice(0, k), n - 1, ...p.slice(k)]);
  return out;
}

describe('Optimal transport: exact OT (emd) against POT', () => {
  test.each(pot.emd.map((c, k) => [k, c.a.length, c.b.length, c] as const))(
    'case %i (%i×%i): cost to 1e-9, feasible plan, dual = primal',
    (_k, _n, _m, c) => {
      const M = costMatrix(c.x, c.y, c.metric);
      const res = emd(c.a, c.b, M);
      expect(res.report.converged).toBe(true);
      expect(Math.abs(res.cost - c.cost)).toBeLessThan(1e-9);
      const { r, c: col, minEntry } = marginals(res.plan);
      expect(minEntry).toBeGreaterThanOrEqual(0);
      r.forEach((v, i) => {
        expect(Math.abs(v - c.a[i]!)).toBeLessThan(1e-12);
      });
      col.forEach((v, j) => {
        expect(Math.abs(v - c.b[j]!)).toBeLessThan(1e-12);
      });
      // Kantorovich duality: u_i + v_j ≤ M_ij and a·u + b·v = cost
      const { f: u, g: v } = res.potentials;
      let dual = 0;
      let worst = Number.NEGATIVE_INFINITY;
      for (let i = 0; i < c.a.length; i++) {
        dual += c.a[i]! * u[i]!;
        for (let j = 0; j < c.b.length; j++) worst = Math.max(worst, u[i]! + v[j]! - M.get(i, j));
      }
      for (let j = 0; j < c.b.length; j++) dual += c.b[j]! * v[j]!;
      expect(worst).toBeLessThan(1e-9);
      expect(Math.abs(dual - res.cost)).toBeLessThan(1e-9);
    },
  );

  test('uniform n×n equals the best assignment found by enumeration (n = 6)', () => {
    const rng = createRng(3);
    const n = 6;
    const M = Array.from({ length: n }, () => Array.from({ length: n }, () => rng.uniform()));
    const w = new Array(n).fill(1 / n);
    let best = Number.POSITIVE_INFINITY;
    for (const p of permutations(n)) best = Math.min(best, p.reduce((s, j, i) => s + M[i]![j]!, 0) / n);
    expect(emd(w, w, M).cost).toBeCloseTo(best, 14);
  });

  test('emd ≤ the cost of any feasible plan (property test)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 0, max: 1e6 }), (n, m, seed) => {
        const rng = createRng(seed);
        const a = Array.from({ length: n }, () => rng.uniform() + 0.05);
        const sa = a.reduce((s, x) => s + x, 0);
        const b = Array.from({ length: m }, () => rng.uniform() + 0.05);
        const sb = b.reduce((s, x) => s + x, 0);
        const an = a.map((x) => x / sa);
        const bn = b.map((x) => x / sb);
        const M = Array.from({ length: n }, () => Array.from({ length: m }, () => rng.uniform() * 10 - 2));
        const best = emd(an, bn, M).cost;
        // feasible plans: the independent coupling a bᵀ and a north-west-corner plan on a random order
        let indep = 0;
        for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) indep += an[i]! * bn[j]! * M[i]![j]!;
        const ra = an.slice();
        const rb = bn.slice();
        const oi = Array.from({ length: n }, (_, i) => i).sort(() => rng.uniform() - 0.5);
        const oj = Array.from({ length: m }, (_, j) => j).sort(() => rng.uniform() - 0.5);
        let nw = 0;
        for (let p = 0, q = 0; p < n && q < m; ) {
          const i = oi[p]!;
          const j = oj[q]!;
          const t = Math.min(ra[i]!, rb[j]!);
          nw += t * M[i]![j]!;
          ra[i]! -= t;
          rb[j]! -= t;
          if (ra[i]! <= 1e-15) p++;
          else q++;
        }
        return best <= indep + 1e-12 && best <= nw + 1e-12;
      }),
      { numRuns: 200, seed: 11 },
    );
  });

  test('optimality certificate on degenerate instances: feasible plan, feasible duals, complementary slackness', () => {
    // ties everywhere (costs in {0,…,3}, uniform or equal weights) make the network simplex pivot through
    // many degenerate bases, so every tree update (stem reversal, thread splicing, subtree potentials)
    // is exercised; LP duality then certifies the answer independently of the algorithm
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 1e6 }), (n, m, seed) => {
        const rng = createRng(seed);
        const a = Array.from({ length: n }, () => 1 / n);
        const b = Array.from({ length: m }, () => 1 / m);
        const M = Array.from({ length: n }, () => Array.from({ length: m }, () => Math.floor(rng.uniform() * 4)));
        const res = emd(a, b, M);
        const { r, c, minEntry } = marginals(res.plan);
        const { f: u, g: v } = res.potentials;
        let marginalErr = 0;
        for (let i = 0; i < n; i++) marginalErr = Math.max(marginalErr, Math.abs(r[i]! - a[i]!));
        for (let j = 0; j < m; j++) marginalErr = Math.max(marginalErr, Math.abs(c[j]! - b[j]!));
        let dualViolation = 0;
        let slackness = 0;
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < m; j++) {
            const reduced = M[i]![j]! - u[i]! - v[j]!;
            dualViolation = Math.max(dualViolation, -reduced);
            if (res.plan.get(i, j) > 1e-14) slackness = Math.max(slackness, Math.abs(reduced));
          }
        }
        const dual = a.reduce((s, ai, i) => s + ai * u[i]!, 0) + b.reduce((s, bj, j) => s + bj * v[j]!, 0);
        return (
          res.report.converged &&
          minEntry >= 0 &&
          marginalErr < 1e-12 &&
          dualViolation < 1e-9 &&
          slackness < 1e-9 &&
          Math.abs(dual - res.cost) < 1e-9
        );
      }),
      { numRuns: 300, seed: 5 },
    );
  });

  test('zero weights: rows/columns without mass carry no flow and keep dual feasibility', () => {
    const a = [0.5, 0, 0.5];
    const b = [0, 0.3, 0.7];
    const M = [
      [1, 2, 3],
      [0, 0, 0],
      [3, 1, 2],
    ];
    const res = emd(a, b, M);
    expect(res.cost).toBeCloseTo(2.2, 14); // every feasible plan costs 2.2 here (the x-terms cancel)
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) expect(res.potentials.f[i]! + res.potentials.g[j]!).toBeLessThanOrEqual(M[i]![j]! + 1e-12);
    expect(res.plan.getRow(1).every((x) => x === 0)).toBe(true);
  });

  test('bad input gives typed errors', () => {
    const M = [
      [0, 1],
      [1, 0],
    ];
    expect(() => emd([0.5, -0.5], [0.5, 0.5], M)).toThrow(DomainError);
    expect(() => emd([0.5, 0.6], [0.5, 0.5], M)).toThrow(expect.objectContaining({ code: 'domain' }));
    expect(emd([1, 1.2], [0.5, 0.5], M, { normalize: true }).cost).toBeCloseTo(0.5 - 1 / 2.2, 14);
    expect(() => emd([0.5, 0.5], [0.5, 0.5], [[0, 1]])).toThrow(ShapeError);
    expect(() => emd([0.5, 0.5], [0.5, 0.5], [[0, 1], [Number.NaN, 0]])).toThrow(NonFiniteError);
    expect(() => emd([Number.NaN, 0.5], [0.5, 0.5], M)).toThrow(NonFiniteError);
    expect(() => emd([], [], [])).toThrow(ShapeError);
  });

  test('kantorovichDualCheck rejects non-finite or mis-sized potentials (NaN used to come back as dual and maxViolation)', () => {
    const w = [0.5, 0.5];
    const M = [
      [0, 1],
      [1, 0],
    ];
    const zero = new Float64Array(2);
    expect(kantorovichDualCheck(w, w, M, { f: zero, g: zero })).toEqual({ dual: 0, maxViolation: 0 });
    expect(() => kantorovichDualCheck(w, w, M, { f: Float64Array.of(Number.NaN, 0), g: zero })).toThrow(
      /kantorovichDualCheck: argument 'potentials.f' must be finite/,
    );
    expect(() => kantorovichDualCheck(w, w, M, { f: zero, g: Float64Array.of(0, Number.NEGATIVE_INFINITY) })).toThrow(NonFiniteError);
    expect(() => kantorovichDualCheck(w, w, M, { f: zero, g: new Float64Array(3) })).toThrow(ShapeError);
  });

  test('costs near 1e307 (artificial-arc cost overflowed: zero plan, NaN potentials) give s × the POT answer', () => {
    const c = pot.emd[1]!;
    const M = costMatrix(c.x, c.y, c.metric);
    const s = 1e307 / M.max(); // entries of s·(M − mean) are of order 1e307, of both signs
    const sM = M.clone().sub(M.mean()).mul(s);
    const res = emd(c.a, c.b, sM);
    const want = s * (c.cost - M.mean()); // OT is shift-equivariant: cost(M − t) = cost(M) − t
    expect(Math.abs(res.cost - want)).toBeLessThan(1e-9 * s);
    const { r, c: col, minEntry } = marginals(res.plan);
    expect(minEntry).toBeGreaterThanOrEqual(0);
    r.forEach((v, i) => {
      expect(Math.abs(v - c.a[i]!)).toBeLessThan(1e-12);
    });
    col.forEach((v, j) => {
      expect(Math.abs(v - c.b[j]!)).toBeLessThan(1e-12);
    });
    const check = kantorovichDualCheck(c.a, c.b, sM, res.potentials);
    expect(check.maxViolation).toBeLessThan(1e-9 * s);
    expect(Math.abs(check.dual - res.cost)).toBeLessThan(1e-9 * s);
    expect(() => emd([0.5, 0.5], [0.5, 0.5], [[1e308, -1e308], [0, 0]])).toThrow(/emd: argument 'M' spans more than 1.8e308/);
  });

  test('weights whose total mass overflows give a DomainError naming the argument (were a zero plan with NaN potentials)', () => {
    const M = [
      [0, 1],
      [1, 0],
    ];
    const big = [1e308, 1e308]; // each finite, Σ = ∞
    expect(() => emd(big, [0.5, 0.5], M, { normalize: true })).toThrow(/emd: argument 'a' has a total mass that overflows/);
    expect(() => emd([0.5, 0.5], big, M, { normalize: true })).toThrow(/argument 'b'/);
    expect(() => emd(big, big, M)).toThrow(DomainError);
    expect(() => kantorovichDualCheck(big, big, M, { f: new Float64Array(2), g: new Float64Array(2) })).toThrow(DomainError);
  });

  test('reports max-iterations when the pivot cap is hit', () => {
    const c = pot.emd[1]!;
    const res = emd(c.a, c.b, costMatrix(c.x, c.y, c.metric), { maxIterations: 2 });
    expect(res.report.converged).toBe(false);
    expect(res.report.reason).toBe('max-iterations');
    expect(res.report.iterations).toBe(2);
    expect(() => emd(c.a, c.b, costMatrix(c.x, c.y, c.metric), { maxIterations: -1 })).toThrow(DomainError);
  });

  test('does not mutate its inputs', () => {
    const a = [0.2, 0.8];
    const b = [0.5, 0.5];
    const M = [
      [1, 2],
      [3, 1],
    ];
    emd(a, b, M);
    expect(a).toEqual([0.2, 0.8]);
    expect(M).toEqual([
      [1, 2],
      [3, 1],
    ]);
  });
});
