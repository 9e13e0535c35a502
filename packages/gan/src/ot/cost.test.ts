import { DomainError, ShapeError } from '@notes/core-linalg';
import { describe, expect, test } from 'vitest';
import { costMatrix } from './cost.js';
import { pot } from './fixtures.testutil.js';

describe('Optimal transport: cost matrices c(x, y) = ‖x − y‖_k^k', () => {
  test.each(['sqeuclidean', 'euclidean', 'cityblock'] as const)('%s matches POT ot.dist to 1e-14', (metric) => {
    const M = costMatrix(pot.dist.x, pot.dist.y, metric);
    const want = pot.dist[metric];
    expect(M.rows).toBe(want.length);
    expect(M.columns).toBe(want[0]!.length);
    for (let i = 0; i < M.rows; i++) for (let j = 0; j < M.columns; j++) expect(Math.abs(M.get(i, j) - want[i]![j]!)).toBeLessThan(1e-14);
  });

  test('custom cost function (‖x − y‖_3^3)', () => {
    const M = costMatrix([[0, 0]], [[1, 2]], (x, y) => Math.abs(x[0]! - y[0]!) ** 3 + Math.abs(x[1]! - y[1]!) ** 3);
    expect(M.get(0, 0)).toBe(9);
  });

  test('euclidean stays exact for gaps beyond 1e±154 (the sum of squares over/underflowed to ∞ / 0)', () => {
    expect(costMatrix([[0, 0]], [[3e200, 4e200]], 'euclidean').get(0, 0) / 5e200).toBeCloseTo(1, 15);
    expect(costMatrix([[0, 0]], [[3e-200, 4e-200]], 'euclidean').get(0, 0) / 5e-200).toBeCloseTo(1, 15);
    expect(costMatrix([[1, 2]], [[1, 2]], 'euclidean').get(0, 0)).toBe(0);
  });

  test('a built-in cost above 1.8e308 is a DomainError, not an ∞ entry', () => {
    expect(() => costMatrix([[1e200]], [[-1e200]])).toThrow(/costMatrix: the 'sqeuclidean' cost overflows/);
    expect(() => costMatrix([[1e308]], [[-1e308]], 'cityblock')).toThrow(DomainError);
    expect(() => costMatrix([[1e308]], [[-1e308]], 'euclidean')).toThrow(DomainError);
  });

  test('bad input', () => {
    expect(() => costMatrix([[0, 0]], [[1]])).toThrow(ShapeError);
    expect(() => costMatrix([], [[1]])).toThrow(ShapeError);
    expect(() => costMatrix([[Number.NaN]], [[1]])).toThrow(expect.objectContaining({ code: 'non-finite' }));
    expect(() => costMatrix([[0]], [[1]], 'cosine' as 'euclidean')).toThrow(DomainError);
    expect(() => costMatrix([[0]], [[1]], () => Number.NaN)).toThrow(DomainError);
  });
});
