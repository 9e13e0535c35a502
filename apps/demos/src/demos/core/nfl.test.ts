import { describe, expect, test } from 'vitest';
import { nflSums } from './nfl.js';

describe('NFL 定理: summed off-training-set error is learner-independent', () => {
  test.each([
    [2, [0], (x: number) => 0.25 + 0 * x],
    [3, [0, 3, 5, 6], (x: number) => (x + 1) / 36],
    [4, [1, 2, 4, 8, 15], (x: number) => 1 / 16 + 0 * x],
  ])('d=%i, training set %j: every learner equals 2^{|X|-1} Σ P(x)', (d, train, p) => {
    const { rows, closedForm } = nflSums(d, train, p);
    // Independent answer: the closed form computed here from the definition of the off-training set.
    const off = Array.from({ length: 1 << d }, (_, x) => x).filter((x) => !train.includes(x));
    expect(closedForm).toBeCloseTo(2 ** ((1 << d) - 1) * off.reduce((s, x) => s + p(x), 0), 12);
    for (const r of rows) expect(Math.abs(r.summedError - closedForm)).toBeLessThan(1e-9);
    // ...while the learners do differ on individual tasks.
    expect(new Set(rows.map((r) => r.worstTask.toFixed(9))).size).toBeGreaterThan(1);
  });
});
