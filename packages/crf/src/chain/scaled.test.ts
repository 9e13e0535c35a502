import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { chainBruteForce } from './bruteForce.js';
import { ChainWorkspace } from './kernels.js';
import { ScaledWorkspace, scaledForwardBackward } from './scaled.js';

/** Random chains (T×Y unary, Y×Y transition scores) drawn from `score`. */
function chains(score: fc.Arbitrary<number>, maxT: number, maxY: number) {
  return fc
    .record({ T: fc.integer({ min: 1, max: maxT }), Y: fc.integer({ min: 1, max: maxY }) })
    .chain(({ T, Y }) => fc.record({ T: fc.constant(T), Y: fc.constant(Y), u: fc.array(score, { minLength: T * Y, maxLength: T * Y }), A: fc.array(score, { minLength: Y * Y, maxLength: Y * Y }) }));
}

/**
 * Runs the scaled kernel and, unless it returned NaN (the caller's cue to use log space), checks log Z, node and
 * summed pairwise marginals against enumeration (tol 1e-10). Returns whether the scaled result was used.
 */
function checkAgainstEnumeration(T: number, Y: number, u: number[], A: number[]): boolean {
  const rows = (x: number[], r: number) => Array.from({ length: r }, (_, i) => x.slice(i * Y, i * Y + Y));
  const bf = chainBruteForce(rows(u, T), rows(A, Y));
  const chain = new ChainWorkspace(Y, T);
  chain.setTransition(Float64Array.from(A));
  const marg = new Float64Array(T * Y);
  const pair = new Float64Array(Y * Y);
  const logZ = scaledForwardBackward(Float64Array.from(u), T, chain, new ScaledWorkspace(Y, 1), marg, pair);
  if (Number.isNaN(logZ)) return false;
  expect(Math.abs(logZ - bf.logZ)).toBeLessThan(1e-10 * Math.max(1, Math.abs(bf.logZ)));
  for (let t = 0; t < T; t++) for (let y = 0; y < Y; y++) expect(Math.abs(marg[t * Y + y] - bf.marginals.get(t, y))).toBeLessThan(1e-10);
  for (let i = 0; i < Y; i++) for (let j = 0; j < Y; j++) expect(Math.abs(pair[i * Y + j] - bf.expectedTransitions.get(i, j))).toBeLessThan(1e-10);
  return true;
}

describe('Linear CRF: scaled forward–backward (training fast path) vs enumeration', () => {
  test('log Z, node and summed pairwise marginals equal enumeration (property)', () => {
    fc.assert(
      fc.property(chains(fc.double({ min: -10, max: 10, noNaN: true }), 5, 4), ({ T, Y, u, A }) => {
        expect(checkAgainstEnumeration(T, Y, u, A)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  test('reports NaN (caller falls back to log space) when a scaling factor underflows', () => {
    const chain = new ChainWorkspace(2, 2);
    chain.setTransition(Float64Array.from([0, -2000, -2000, -2000]));
    // label 1 at t = 0 dominates, but every transition out of it is e^-2000 relative to the max
    const u = Float64Array.from([-1000, 0, 0, 0]);
    expect(scaledForwardBackward(u, 2, chain, new ScaledWorkspace(2), new Float64Array(4), null)).toBeNaN();
  });

  test('huge score ranges: NaN (log-space fallback) or the enumerated answer, never a silently wrong one', () => {
    // the mass at t = 1 sits on a label whose forward entry is e^-464 of its row's maximum and is reached through
    // exp(A − max A) = e^-745 (subnormal): the scaled recursion kept 1 significant bit and log Z was off by 0.56
    checkAgainstEnumeration(3, 2, [727.1770152042322, -352.8563395820179, 727.1770152042322, 446.36865290033177, 1134.8816646774721, 5073.546921402343], [0, 745, 0, 0]);
    const score = fc.oneof(fc.constantFrom(0, 0, -745, 745, -1e4, 1e4, 300, -300), fc.integer({ min: -1500, max: 1500 }));
    let used = 0;
    const runs = 4000;
    fc.assert(
      fc.property(chains(score, 4, 3), ({ T, Y, u, A }) => {
        if (checkAgainstEnumeration(T, Y, u, A)) used++;
      }),
      { numRuns: runs, seed: 7 },
    );
    // the scaled path must still be taken where it is exact (T = 1 or Y = 1 chains, ranges within 300 nats)
    expect(used).toBeGreaterThan(0.2 * runs);
  });
});
