import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { chainBruteForce } from './bruteForce.js';
import { chainLogPartition, chainMarginals, chainPairwiseMarginals, chainViterbi } from './chain.js';

const score = fc.double({ min: -8, max: 8, noNaN: true });
const problem = fc
  .record({ T: fc.integer({ min: 1, max: 5 }), Y: fc.integer({ min: 1, max: 4 }) })
  .chain(({ T, Y }) =>
    fc.record({
      unary: fc.array(fc.array(score, { minLength: Y, maxLength: Y }), { minLength: T, maxLength: T }),
      transition: fc.array(fc.array(score, { minLength: Y, maxLength: Y }), { minLength: Y, maxLength: Y }),
    }),
  );

describe('Linear CRF: chain forward–backward and Viterbi vs enumeration', () => {
  test('log Z equals brute-force enumeration (property)', () => {
    fc.assert(
      fc.property(problem, ({ unary, transition }) => {
        const want = chainBruteForce(unary, transition).logZ;
        expect(Math.abs(chainLogPartition(unary, transition) - want)).toBeLessThan(1e-10 * Math.max(1, Math.abs(want)));
      }),
      { numRuns: 200 },
    );
  });

  test('node and pairwise marginals equal enumeration (property)', () => {
    fc.assert(
      fc.property(problem, ({ unary, transition }) => {
        const bf = chainBruteForce(unary, transition);
        const m = chainMarginals(unary, transition).marginals;
        const p = chainPairwiseMarginals(unary, transition).expectedTransitions;
        for (let t = 0; t < unary.length; t++)
          for (let y = 0; y < transition.length; y++) expect(Math.abs(m.get(t, y) - bf.marginals.get(t, y))).toBeLessThan(1e-10);
        for (let i = 0; i < transition.length; i++)
          for (let j = 0; j < transition.length; j++)
            expect(Math.abs(p.get(i, j) - bf.expectedTransitions.get(i, j))).toBeLessThan(1e-10);
      }),
      { numRuns: 200 },
    );
  });

  test('Viterbi score equals the enumerated maximum (property)', () => {
    fc.assert(
      fc.property(problem, ({ unary, transition }) => {
        const bf = chainBruteForce(unary, transition);
        const v = chainViterbi(unary, transition);
        expect(Math.abs(v.score - bf.best.score)).toBeLessThan(1e-10);
        // the returned path really has that score
        let s = 0;
        for (let t = 0; t < unary.length; t++) s += unary[t][v.path[t]] + (t > 0 ? transition[v.path[t - 1]][v.path[t]] : 0);
        expect(Math.abs(s - v.score)).toBeLessThan(1e-10);
      }),
      { numRuns: 200 },
    );
  });

  test('extreme scores (±1e4, −∞ transitions) stay exact: underflow fallback', () => {
    const unary = [
      [0, 3000],
      [-5000, 1],
      [2, 2],
    ];
    const transition = [
      [10000, Number.NEGATIVE_INFINITY],
      [-10000, 0],
    ];
    const bf = chainBruteForce(unary, transition);
    expect(chainLogPartition(unary, transition)).toBeCloseTo(bf.logZ, 8);
    const m = chainMarginals(unary, transition).marginals;
    for (let t = 0; t < 3; t++) for (let y = 0; y < 2; y++) expect(m.get(t, y)).toBeCloseTo(bf.marginals.get(t, y), 10);
  });

  test('pairwise marginals stay finite when a dominant label has only very negative transitions', () => {
    // label 0 scores +1000 everywhere, every move out of it costs −2000: the max-shifted factor bound overflows
    const unary = [
      [1000, 0, 0],
      [1000, 0, 0],
      [1000, 0, 0],
    ];
    const transition = [
      [-2000, -2000, -2000],
      [0, 0, 0],
      [0, 0, 0],
    ];
    const bf = chainBruteForce(unary, transition);
    const got = chainPairwiseMarginals(unary, transition).expectedTransitions;
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) expect(Math.abs(got.get(i, j) - bf.expectedTransitions.get(i, j))).toBeLessThan(1e-10);
  });

  test('a 100,000-step chain gives finite log Z and marginals summing to 1', () => {
    const T = 100_000;
    const Y = 5;
    const unary: number[][] = [];
    let s = 1;
    for (let t = 0; t < T; t++) {
      const row: number[] = [];
      for (let y = 0; y < Y; y++) {
        s = (s * 16807) % 2147483647;
        row.push((s / 2147483647) * 20 - 10);
      }
      unary.push(row);
    }
    const transition = Array.from({ length: Y }, (_, i) => Array.from({ length: Y }, (_, j) => (i === j ? 2 : -1)));
    const { logZ, marginals } = chainMarginals(unary, transition);
    expect(Number.isFinite(logZ)).toBe(true);
    let worst = 0;
    for (let t = 0; t < T; t++) {
      let r = 0;
      for (let y = 0; y < Y; y++) r += marginals.get(t, y);
      worst = Math.max(worst, Math.abs(r - 1));
    }
    // normalised messages: rounding does not grow with T
    expect(worst).toBeLessThan(1e-12);
  });

  test('finite scores whose path sums overflow give a DomainError, not +∞/NaN or wrong marginals', () => {
    const H = 1e308;
    const unary = [
      [H, H],
      [H, H],
    ];
    const zero = [
      [0, 0],
      [0, 0],
    ];
    for (const f of [chainLogPartition, chainMarginals, chainPairwiseMarginals, chainViterbi]) {
      expect(() => f(unary, zero)).toThrow(expect.objectContaining({ code: 'domain', message: expect.stringContaining('overflow') }));
    }
    // a large but representable answer is still returned exactly: best path H − H + H = H
    expect(chainLogPartition([[H, 0], [0, H]], [[-H, -H], [-H, -H]])).toBe(H);
  });

  test('bad input gives typed errors', () => {
    expect(() => chainLogPartition([], [[0]])).toThrow(expect.objectContaining({ code: 'shape' }));
    expect(() => chainLogPartition([[0, 1]], [[0]])).toThrow(expect.objectContaining({ code: 'shape' }));
    expect(() => chainLogPartition([[0, 1]], [[0, 1]])).toThrow(expect.objectContaining({ code: 'shape' }));
    expect(() => chainLogPartition([[Number.NaN]], [[0]])).toThrow(expect.objectContaining({ code: 'non-finite' }));
    expect(() => chainMarginals([[Number.NEGATIVE_INFINITY]], [[0]])).toThrow(expect.objectContaining({ code: 'domain' }));
    expect(() => chainBruteForce([[0, 0]], [[0, 0], [0, 0]])).not.toThrow();
  });
});
