import { Matrix } from 'ml-matrix';
import { describe, expect, test } from 'vitest';
import {
  checkMemory,
  closestName,
  DomainError,
  defineOptions,
  describeValue,
  NonFiniteError,
  readLabels,
  readMatrix,
  readVector,
  ResourceError,
  ShapeError,
} from './index.js';

/** An array of length n with only the given slots set (the others are holes). */
function sparse(n: number, entries: [number, unknown][]): unknown[] {
  const a: unknown[] = new Array(n);
  for (const [i, v] of entries) a[i] = v;
  return a;
}

interface PeriodicOptions {
  period?: number;
  lengthScale?: number;
  normalizeY?: boolean;
  method?: 'cholesky' | 'cg';
  maxIterations?: number;
  onProgress?: (i: number) => void;
}
const PERIODIC = defineOptions<PeriodicOptions>()('periodic', {
  period: { type: 'number', greaterThan: 0, default: 1 },
  lengthScale: { type: 'number', greaterThan: 0, default: 1 },
  normalizeY: { type: 'boolean', default: false },
  method: { type: 'enum', values: ['cholesky', 'cg'], default: 'cholesky' },
  maxIterations: { type: 'integer', min: 1, default: 100 },
  onProgress: { type: 'function' },
});

describe('option specs: one table gives defaults and validation', () => {
  test('defaults fill absent and explicitly undefined keys; the input is not modified', () => {
    const input = { period: 6, lengthScale: undefined };
    const o = PERIODIC.parse(input);
    expect(o).toEqual({ period: 6, lengthScale: 1, normalizeY: false, method: 'cholesky', maxIterations: 100 });
    expect(input).toEqual({ period: 6, lengthScale: undefined });
    expect(Object.isFrozen(o)).toBe(true);
    expect(PERIODIC.parse(undefined).period).toBe(1);
  });
  test('a misspelt key is rejected naming the closest valid key', () => {
    expect(() => PERIODIC.parse({ perod: 6 } as PeriodicOptions)).toThrow(/unknown option 'perod'; did you mean 'period'\?/);
    expect(() => PERIODIC.parse({ normaliseY: true } as PeriodicOptions)).toThrow(/did you mean 'normalizeY'/);
    // a prefix of a longer name (edit distance 5 from 'periodicity'); an ambiguous prefix suggests nothing
    expect(closestName('period', ['lengthScale', 'periodicity', 'periodicityBounds'])).toBe('periodicity');
    expect(closestName('max', ['maxIterations', 'maxEvaluations'])).toBeUndefined();
    expect(() => PERIODIC.parse({ zzzzzzzz: 1 } as PeriodicOptions)).toThrow(/valid options: period, lengthScale/);
    expect(() => PERIODIC.parse({ perod: 6 } as PeriodicOptions)).toThrow(DomainError);
  });
  test('wrong types name the expected type and quote the value with its type', () => {
    expect(() => PERIODIC.parse({ lengthScale: '1' as unknown as number })).toThrow(
      "periodic: option 'lengthScale' must be a finite number > 0, got '1' (string)",
    );
    expect(() => PERIODIC.parse({ maxIterations: 2.5 })).toThrow(/must be an integer >= 1, got 2.5/);
    expect(() => PERIODIC.parse({ period: Number.NaN })).toThrow(/got NaN/);
    expect(() => PERIODIC.parse({ period: null as unknown as number })).toThrow(/got null/);
    expect(() => PERIODIC.parse({ method: 'qr' as 'cg' })).toThrow(/one of 'cholesky', 'cg', got 'qr' \(string\)/);
    expect(() => PERIODIC.parse({ onProgress: 3 as unknown as () => void })).toThrow(/must be a function, got 3/);
    expect(() => PERIODIC.parse([] as unknown as PeriodicOptions)).toThrow(/argument 'options' must be an object/);
    expect(() => PERIODIC.parse(3 as unknown as PeriodicOptions)).toThrow(DomainError);
  });
  test('a spec whose default breaks its own rule fails when it is defined', () => {
    expect(() => defineOptions<{ a?: number }>()('bad', { a: { type: 'number', min: 1, default: 0 } })).toThrow(DomainError);
  });
  test('describeValue never prints a string like a number', () => {
    expect(describeValue('3')).toBe("'3' (string)");
    expect(describeValue(3)).toBe('3');
    expect(describeValue(Number.NaN)).toBe('NaN');
    expect(describeValue(new Float32Array(2))).toBe('a Float32Array of length 2');
    expect(describeValue(new Matrix(2, 3))).toBe('a 2×3 Matrix');
  });
});

describe('input converters: every accepted form, every bad form typed', () => {
  const expected = { rows: 2, columns: 2, data: new Float64Array([1, 2, 3, 4]) };
  test.each([
    ['number[][]', [[1, 2], [3, 4]]],
    ['Matrix', new Matrix([[1, 2], [3, 4]])],
    ['Float64Array rows', [new Float64Array([1, 2]), new Float64Array([3, 4])]],
    ['Float32Array rows', [new Float32Array([1, 2]), new Float32Array([3, 4])]],
  ])('reads %s into a fresh row-major copy', (_name, value) => {
    expect(readMatrix('f', 'X', value)).toEqual(expected);
  });
  test('a Matrix subclass that overrides get() is read through get(), not its row store', () => {
    class Doubled extends Matrix {
      override get(i: number, j: number): number {
        return 2 * super.get(i, j);
      }
    }
    expect(readMatrix('f', 'X', new Doubled([[1, 2], [3, 4]])).data).toEqual(new Float64Array([2, 4, 6, 8]));
  });
  test('the copy is independent of the caller data', () => {
    const X = [[1, 2], [3, 4]];
    const m = readMatrix('f', 'X', X);
    m.data[0] = 99;
    expect(X[0]?.[0]).toBe(1);
  });
  test.each([
    ['null', null, ShapeError, /got null/],
    ['a scalar', 3, ShapeError, /got 3/],
    ['a string', '[[1]]', ShapeError, /'\[\[1\]\]' \(string\)/],
    ['ragged rows', [[1, 2], [3]], ShapeError, /row 0 has 2, row 1 has 1/],
    ['a hole in the first row', [sparse(3, [[0, 1], [2, 3]])], ShapeError, /hole at \[0, 1\]/],
    ['a missing row', sparse(3, [[0, [1]], [2, [3]]]), ShapeError, /hole at row \[1\]/],
    ['a nested entry', [[1, [2]]], ShapeError, /nested array at \[0, 1\]/],
    ['a string entry', [[1, '3']], DomainError, /got '3' \(string\) at \[0, 1\]/],
    ['NaN', [[1, Number.NaN]], NonFiniteError, /got NaN at \[0, 1\]/],
    ['empty', [], ShapeError, /at least 1 row/],
    ['a flat vector', [1, 2, 3], ShapeError, /flat array of length 3/],
  ])('rejects %s', (_name, value, type, message) => {
    expect(() => readMatrix('f', 'X', value)).toThrow(type);
    expect(() => readMatrix('f', 'X', value)).toThrow(message);
  });
  test('a flat vector is a column (or row) when the caller allows it', () => {
    expect(readMatrix('f', 'X', [1, 2, 3], { vector: 'column' })).toMatchObject({ rows: 3, columns: 1 });
    expect(readMatrix('f', 'X', new Float32Array([1, 2]), { vector: 'row' })).toMatchObject({ rows: 1, columns: 2 });
  });
  test('readVector rejects nested arrays, holes, strings, scalars; readLabels ranges', () => {
    expect(readVector('f', 'y', [1, 2])).toEqual(new Float64Array([1, 2]));
    expect(() => readVector('f', 'y', [[1, 2], [3, 4]])).toThrow(/nested array at \[0\]/);
    expect(() => readVector('f', 'y', sparse(3, [[0, 1], [2, 2]]))).toThrow(/hole at \[1\]/);
    expect(() => readVector('f', 'y', ['3'])).toThrow(/'3' \(string\)/);
    expect(() => readVector('f', 'y', -1)).toThrow(ShapeError);
    expect(() => readVector('f', 'y', [1, 2], { length: 3 })).toThrow(/length 3, got 2/);
    expect(readLabels('f', 'z', [0, 2, 1], { classes: 3 })).toEqual(new Int32Array([0, 2, 1]));
    expect(() => readLabels('f', 'z', [0, 3], { classes: 3 })).toThrow(/integers in \[0, 3\), got 3 at \[1\]/);
  });
});

describe('resource guards', () => {
  test('above the budget: a ResourceError naming the size and the alternative, before any allocation', () => {
    const n = 50_000;
    let err: unknown;
    try {
      checkMemory('fitGP', `the ${n}×${n} kernel matrix`, 8 * n * n, { alternative: "method: 'cg'" });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ResourceError);
    expect((err as ResourceError).bytes).toBe(8 * n * n);
    expect((err as ResourceError).message).toMatch(/18.6 GiB, above the budget of 2.00 GiB .*method: 'cg'/);
    expect(() => checkMemory('f', 'x', 1024, { maxMemoryBytes: 2048 })).not.toThrow();
    expect(() => checkMemory('f', 'x', Number.NaN)).toThrow(ResourceError);
    expect(() => checkMemory('f', 'x', 1, { maxMemoryBytes: -1 })).toThrow(DomainError);
  });
});
