import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { chainMarginals } from '../chain/index.js';
import { sumProduct } from './beliefPropagation.js';
import { bruteForceFactorGraph, createFactorGraph } from './factorGraph.js';

describe('Graphical Model: factor graphs, brute-force Z and sum-product', () => {
  test('Z = Σ_x Π_A Ψ_A(x_A) on a hand-computed 2-variable model', () => {
    const fg = createFactorGraph([2, 2], [
      { scope: [0], table: [1, 2] },
      { scope: [0, 1], table: [3, 1, 1, 3] },
    ]);
    // Z = 1·(3+1) + 2·(1+3) = 12; p(x0=1) = 8/12; p(x1=1) = (1·1 + 2·3)/12
    const r = bruteForceFactorGraph(fg);
    expect(r.Z).toBeCloseTo(12, 12);
    expect(r.marginals[0][1]).toBeCloseTo(8 / 12, 12);
    expect(r.marginals[1][1]).toBeCloseTo(7 / 12, 12);
  });

  test('sum-product on random trees equals enumeration (property)', () => {
    const tree = fc.integer({ min: 2, max: 6 }).chain((n) =>
      fc.record({
        cards: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: n, maxLength: n }),
        parents: fc.tuple(...Array.from({ length: n - 1 }, (_, i) => fc.integer({ min: 0, max: i }))),
        seed: fc.integer({ min: 1, max: 1e6 }),
        triple: fc.boolean(),
      }),
    );
    fc.assert(
      fc.property(tree, ({ cards, parents, seed, triple }) => {
        let s = seed;
        const rnd = () => {
          s = (s * 16807) % 2147483647;
          return s / 2147483647 + 0.01;
        };
        const factors = cards.map((c, v) => ({ scope: [v], table: Array.from({ length: c }, rnd) }));
        // pairwise factors along a random tree; optionally the edges into variables 1 and 2 (whose parents are in
        // {0, 1}) are replaced by one 3-variable factor on {0, 1, 2}, which keeps the factor graph a tree
        const used = new Set<number>();
        if (triple && cards.length >= 3) {
          factors.push({ scope: [0, 1, 2], table: Array.from({ length: cards[0] * cards[1] * cards[2] }, rnd) });
          used.add(1).add(2);
        }
        for (let v = 1; v < cards.length; v++) {
          if (used.has(v)) continue;
          const p = parents[v - 1];
          factors.push({ scope: [p, v], table: Array.from({ length: cards[p] * cards[v] }, rnd) });
        }
        const fg = createFactorGraph(cards, factors);
        const bf = bruteForceFactorGraph(fg);
        const bp = sumProduct(fg);
        expect(Math.abs(bp.logZ - bf.logZ)).toBeLessThan(1e-10);
        for (let v = 0; v < cards.length; v++) {
          for (let i = 0; i < cards[v]; i++) expect(Math.abs(bp.marginals[v][i] - bf.marginals[v][i])).toBeLessThan(1e-10);
        }
      }),
      { numRuns: 150 },
    );
  });

  test('on a chain, sum-product = forward–backward (log-potential tables)', () => {
    const unary = [
      [0.2, -1, 0.5],
      [1, 0, -0.3],
      [-0.7, 0.4, 0.1],
      [0.3, 0.3, -2],
    ];
    const trans = [
      [0.5, -0.2, 0],
      [1, 0.1, -1],
      [0, 0.3, 0.2],
    ];
    const factors = [
      ...unary.map((row, t) => ({ scope: [t], table: row.map(Math.exp) })),
      ...[1, 2, 3].map((t) => ({ scope: [t - 1, t], table: trans.flat().map(Math.exp) })),
    ];
    const bp = sumProduct(createFactorGraph([3, 3, 3, 3], factors));
    const fb = chainMarginals(unary, trans);
    expect(bp.logZ).toBeCloseTo(fb.logZ, 12);
    for (let t = 0; t < 4; t++) for (let y = 0; y < 3; y++) expect(bp.marginals[t][y]).toBeCloseTo(fb.marginals.get(t, y), 12);
  });

  test('cycles, bad tables and negative potentials throw typed errors', () => {
    const loop = createFactorGraph([2, 2], [
      { scope: [0, 1], table: [1, 1, 1, 1] },
      { scope: [1, 0], table: [1, 2, 3, 4] },
    ]);
    expect(() => sumProduct(loop)).toThrow(expect.objectContaining({ code: 'domain' }));
    expect(() => createFactorGraph([2], [{ scope: [0], table: [1] }])).toThrow(expect.objectContaining({ code: 'shape' }));
    expect(() => createFactorGraph([2], [{ scope: [0], table: [1, -1] }])).toThrow(expect.objectContaining({ code: 'domain' }));
    expect(() => createFactorGraph([2], [{ scope: [1], table: [1, 1] }])).toThrow(expect.objectContaining({ code: 'domain' }));
    expect(() => createFactorGraph([2], [{ scope: [0], table: [1, Number.NaN] }])).toThrow(expect.objectContaining({ code: 'non-finite' }));
  });

  test('huge finite potentials: sum-product stays exact (Z scales by c per factor), enumeration refuses to overflow', () => {
    const t1 = [1, 2, 3, 4];
    const t2 = [5, 6, 7];
    const c = 4e307; // c·Σ t1 = 4e308 overflows a double
    const small = createFactorGraph([2, 2, 3], [
      { scope: [0, 1], table: t1 },
      { scope: [2], table: t2 },
    ]);
    const huge = createFactorGraph([2, 2, 3], [
      { scope: [0, 1], table: t1.map((v) => v * c) },
      { scope: [2], table: t2.map((v) => v * (c / 10)) },
    ]);
    const ref = bruteForceFactorGraph(small);
    const got = sumProduct(huge);
    const want = ref.logZ + Math.log(c) + Math.log(c / 10);
    expect(Math.abs(got.logZ - want)).toBeLessThan(1e-12 * Math.abs(want));
    for (let v = 0; v < 3; v++) for (let i = 0; i < ref.marginals[v].length; i++) expect(got.marginals[v][i]).toBeCloseTo(ref.marginals[v][i], 14);
    expect(() => bruteForceFactorGraph(huge)).toThrow(expect.objectContaining({ code: 'domain', message: expect.stringContaining('overflow') }));
  });
});
