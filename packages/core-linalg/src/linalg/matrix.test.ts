import { Matrix } from 'ml-matrix';
import { describe, expect, test } from 'vitest';
import { toMatrix } from './matrix.js';

describe('support: toMatrix', () => {
  test('accepts number[][] and Matrix, and copies', () => {
    const a = [[1, 2], [3, 4]];
    const M = toMatrix(a);
    expect(M.to2DArray()).toEqual(a);
    M.set(0, 0, 9);
    expect(a[0]![0]).toBe(1);
    const B = new Matrix(a);
    const C = toMatrix(B);
    C.set(1, 1, 0);
    expect(B.get(1, 1)).toBe(4);
  });
  test('empty 0×0 input is a 0×0 matrix', () => {
    expect(toMatrix([]).rows).toBe(0);
  });
  test('ragged, non-finite and non-matrix input throw typed errors naming the argument', () => {
    expect(() => toMatrix([[1, 2], [3]])).toThrow(expect.objectContaining({ code: 'shape' }));
    expect(() => toMatrix([[1, Number.POSITIVE_INFINITY]], 'fitX', 'X')).toThrow(/fitX: argument 'X'/);
    expect(() => toMatrix([[Number.NaN]])).toThrow(expect.objectContaining({ code: 'non-finite' }));
    expect(() => toMatrix([1, 2] as unknown as number[][])).toThrow(expect.objectContaining({ code: 'shape' }));
    expect(() => toMatrix('x' as unknown as number[][])).toThrow(expect.objectContaining({ code: 'shape' }));
  });
});
