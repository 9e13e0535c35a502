import { DomainError, NotesError } from '@notes/core-linalg';
import { describe, expect, test } from 'vitest';
import { discreteFDivergence } from './discrete.js';
import { gaussianFDivergence, gaussianFDivergenceQuadrature } from './gaussian.js';
import { fGanBound, optimalCritic } from './variational.js';

// Found by the bad-input sweep (src/bad-inputs.test.ts); each failed before its fix.
describe('GAN: f-divergences at extreme scales and malformed inputs (bad-input sweep findings)', () => {
  test('χ² and Hellinger between Gaussians with sd 1e300 are finite and scale-invariant (were NaN or ∞ from ∞/∞ and 0·∞)', () => {
    const small = gaussianFDivergence('pearson', { mean: 0, sd: 1 }, { mean: 0, sd: 1.5 });
    for (const s of [1e-300, 1e200, 1e300]) {
      expect(gaussianFDivergence('pearson', { mean: 0, sd: s }, { mean: 0, sd: 1.5 * s })).toBeCloseTo(small, 12);
      expect(gaussianFDivergence('hellinger', { mean: s, sd: s }, { mean: 0, sd: s })).toBeCloseTo(
        gaussianFDivergence('hellinger', { mean: 1, sd: 1 }, { mean: 0, sd: 1 }),
        12,
      );
    }
    // closed form: χ²(N(0, 1) ‖ N(0, 1e300)) = σ2²/(σ1√(2σ2² − σ1²)) − 1 ≈ 1e300/√2
    expect(gaussianFDivergence('pearson', { mean: 0, sd: 1 }, { mean: 0, sd: 1e300 }) / (1e300 / Math.SQRT2)).toBeCloseTo(1, 12);
  });

  test("the Jensen–Shannon optimal critic at a zero density q is f'(∞) = ½ log 2 (was NaN)", () => {
    expect(optimalCritic('jensen-shannon', Math.log(0.3), Number.NEGATIVE_INFINITY)).toBeCloseTo(0.5 * Math.LN2, 15);
    expect(optimalCritic('jensen-shannon', 1e300, 0)).toBeCloseTo(0.5 * Math.LN2, 15);
    expect(optimalCritic('jensen-shannon', Number.NEGATIVE_INFINITY, 0)).toBe(Number.NEGATIVE_INFINITY);
    expect(optimalCritic('jensen-shannon', Math.log(0.2), Math.log(0.6))).toBeCloseTo(0.5 * Math.log((2 * (1 / 3)) / (1 / 3 + 1)), 14);
  });

  test('malformed inputs are typed errors: ragged probability vectors (were NaN), divergence objects without the methods (were TypeErrors), options through the option spec', () => {
    expect(() => discreteFDivergence('kl', [[1, 2], [3]] as never, [0.5, 0.5])).toThrow(NotesError);
    expect(() => discreteFDivergence({} as never, [0.5, 0.5], [0.5, 0.5])).toThrow(DomainError);
    expect(() => fGanBound([] as never, [1], [0])).toThrow(/must be a name/);
    expect(() => gaussianFDivergenceQuadrature('kl', { mean: 0, sd: 1 }, { mean: 0, sd: 1 }, { intervals: 1e300 })).toThrow(
      /option 'intervals' must be an integer >= 2 and <= 10000000/,
    );
    expect(() => fGanBound('kl', [1], [0], { weightP: [1] } as never)).toThrow(/did you mean 'weightsP'/);
  });
});
