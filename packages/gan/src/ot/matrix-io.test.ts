import { type MatrixInput, NonFiniteError, toRowMajor } from '@notes/core-linalg';
import { Matrix, MatrixTransposeView, WrapperMatrix2D } from 'ml-matrix';
import { describe, expect, test } from 'vitest';
import { emd } from './emd.js';
import { buildMatrix, flattenRows, readMatrixRows } from './matrix-io.js';
import { sinkhorn } from './sinkhorn.js';

/** Row-major copy through the validated rows, as `validateProblem` makes it. */
function readMatrix(M: MatrixInput, where: string, name: string) {
  const r = readMatrixRows(M, where, name);
  return { data: r.flat ?? flattenRows(r.rows, r.nCols), rows: r.nRows, cols: r.nCols };
}

/** A Matrix subclass whose entries are what `get` says, not what the row store holds. */
class Doubled extends Matrix {
  override get(i: number, j: number): number {
    return 2 * super.get(i, j);
  }
}

const rows = [
  [1, -2, 3.5],
  [4, 0, -6],
];

describe('Optimal transport: cost-matrix input (fast row copy with a get() fallback)', () => {
  /** Matrix-like inputs outside the `MatrixInput` type, as a JS caller could pass them. */
  const like = (x: object): MatrixInput => x as unknown as MatrixInput;
  test.each<[string, () => MatrixInput]>([
    ['Matrix', () => new Matrix(rows)],
    ['number[][]', () => rows.map((r) => r.slice())],
    ['WrapperMatrix2D', () => like(new WrapperMatrix2D(rows.map((r) => r.slice())))],
    ['MatrixTransposeView', () => like(new MatrixTransposeView(new Matrix(rows).transpose()))],
    ['Matrix subclass overriding get', () => new Doubled(rows)],
    ['Matrix with a row replaced by a plain array', () => {
      const M = new Matrix(rows);
      (M as unknown as { data: unknown[] }).data[1] = rows[1]!.slice();
      return M;
    }],
    ['plain Matrix-like object', () => like({ rows: 2, columns: 3, get: (i: number, j: number) => rows[i]![j]! })],
  ])('%s reads the same entries as core toRowMajor (through get)', (_, make) => {
    const want = toRowMajor(make(), 'w', 'M');
    const got = readMatrix(make(), 'w', 'M');
    expect(got.rows).toBe(want.rows);
    expect(got.cols).toBe(want.cols);
    expect(Array.from(got.data)).toEqual(Array.from(want.data));
  });

  test('a subclass overriding get is read through get, not its row store', () => {
    expect(Array.from(readMatrix(new Doubled([[1, 2]]), 'w', 'M').data)).toEqual([2, 4]);
  });

  test('empty shapes keep their column count: 0×3 is reported as 0×3', () => {
    const got = readMatrix(new Matrix(0, 3), 'w', 'M');
    expect([got.rows, got.cols]).toEqual([0, 3]);
    expect(() => emd([1], [0.5, 0.5, 0], new Matrix(0, 3))).toThrow(/must be 1×3 .*got 0×3/);
  });

  test.each([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])(
    '%s gives the same NonFiniteError message on both paths',
    (bad) => {
      const data = [
        [0, 1],
        [bad, 0],
      ];
      let fast: unknown;
      let slow: unknown;
      try {
        readMatrix(new Matrix(data), 'emd', 'M');
      } catch (e) {
        fast = e;
      }
      try {
        toRowMajor(data, 'emd', 'M');
      } catch (e) {
        slow = e;
      }
      expect(fast).toBeInstanceOf(NonFiniteError);
      expect(slow).toBeInstanceOf(NonFiniteError);
      expect((fast as Error).message).toBe((slow as Error).message);
    },
  );

  test('the caller matrix is never aliased or modified', () => {
    const M = new Matrix(rows);
    const before = M.to2DArray();
    const got = readMatrix(M, 'w', 'M');
    got.data.fill(99);
    expect(M.to2DArray()).toEqual(before);
    const src = Float64Array.from([1, 2, 3, 4]);
    const W = buildMatrix(2, 2, (i, row) => row.set(src.subarray(2 * i, 2 * i + 2)));
    src.fill(0);
    expect(W.to2DArray()).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });

  test('readMatrixRows borrows a Matrix\'s rows, copies other inputs, and finds a non-finite entry anywhere', () => {
    const M = new Matrix(rows);
    const got = readMatrixRows(M, 'w', 'M');
    expect(got.flat).toBeNull();
    expect(got.rows[1]).toBe((M as unknown as { data: Float64Array[] }).data[1]);
    const copy = readMatrixRows(rows, 'w', 'M');
    expect(copy.flat).not.toBeNull();
    expect(Array.from(copy.rows[1]!)).toEqual(rows[1]);
    // every position of rows of length 1…9 (the four-way finiteness sums and their tail)
    for (let cols = 1; cols <= 9; cols++) {
      for (let j = 0; j < cols; j++) {
        for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
          const B = Matrix.ones(3, cols);
          B.set(2, j, bad);
          expect(() => readMatrixRows(B, 'w', 'M')).toThrow(new RegExp(`at \\[2, ${j}\\]`));
          expect(() => readMatrixRows(B, 'w', 'M')).toThrow(NonFiniteError);
        }
      }
    }
  });

  test('sinkhorn reads the borrowed rows only: M is unchanged and the plan does not alias it', () => {
    const n = 70; // n·m above the WebAssembly threshold
    const M = Matrix.from1DArray(n, n, Float64Array.from({ length: n * n }, (_, k) => ((k % n) - Math.floor(k / n)) ** 2 / n ** 2));
    const before = M.to2DArray();
    const w = Array(n).fill(1 / n);
    for (const method of ['standard', 'log'] as const) {
      const res = sinkhorn(w, w, M, { reg: 0.05, method });
      expect(M.to2DArray()).toEqual(before);
      res.plan.set(0, 0, 123);
      expect(M.get(0, 0)).toBe(before[0]![0]);
    }
  });
});
