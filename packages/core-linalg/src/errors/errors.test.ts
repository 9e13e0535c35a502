import { describe, expect, test } from 'vitest';
import {
  assertFinite,
  assertLength,
  assertProbabilityVector,
  assertShape,
  DomainError,
  NonFiniteError,
  NotesError,
  ShapeError,
} from './index.js';

describe('errors: typed errors and validators', () => {
  test('subclasses extend NotesError and carry a code', () => {
    const e = new ShapeError('x');
    expect(e).toBeInstanceOf(NotesError);
    expect(e.code).toBe('shape');
    expect(e.name).toBe('ShapeError');
    expect(new NonFiniteError('y')).toBeInstanceOf(DomainError);
    expect(new NonFiniteError('y').code).toBe('non-finite');
  });

  test('assertFinite names the argument and position', () => {
    expect(() => assertFinite('fitGP', 'y', [1, Number.NaN])).toThrow(
      expect.objectContaining({ code: 'non-finite', message: "fitGP: argument 'y' must be finite, got NaN at [1]" }),
    );
    expect(() => assertFinite('f', 'X', [[1], [Number.POSITIVE_INFINITY]])).toThrow(/at \[1, 0\]/);
    expect(() => assertFinite('f', 'x', 3)).not.toThrow();
    // JSON turns NaN into null: null and null entries are non-finite, not a TypeError.
    expect(() => assertFinite('f', 'y', [1, null] as unknown as number[])).toThrow(expect.objectContaining({ code: 'non-finite' }));
    expect(() => assertFinite('f', 'y', null as unknown as number[])).toThrow(expect.objectContaining({ code: 'non-finite' }));
  });

  test('assertLength reports expected and received', () => {
    expect(() => assertLength('fitGP', 'y', [1, 2], 3, 'rows of X')).toThrow(
      "fitGP: argument 'y' must have length 3 (rows of X), got 2",
    );
  });

  test('assertShape and assertProbabilityVector', () => {
    const m = { rows: 2, columns: 3, get: () => 0 };
    expect(() => assertShape('f', 'A', m, 3, 3)).toThrow(ShapeError);
    expect(() => assertProbabilityVector('f', 'p', [0.5, 0.6])).toThrow(DomainError);
    expect(() => assertProbabilityVector('f', 'p', [0.5, 0.5])).not.toThrow();
  });
});
