/**
 * The one input converter of @notes: matrix-like and vector-like data from any of the accepted forms
 * (ml-matrix `Matrix`, `number[][]`, rows that are typed arrays, `Float32Array`/`Float64Array`
 * vectors) into fresh, contiguous `Float64Array`s, with a typed error naming the argument for every
 * bad form (null, scalars, strings, holes, ragged or nested rows, NaN/±Infinity). The caller's data is
 * only read, never kept or modified.
 */
import { describeValue } from './describe.js';
import { DomainError, NonFiniteError, ShapeError } from './errors.js';
import { isMatrixLike, type MatrixLike } from './validate.js';

/** Row-major dense matrix read from user input. `data[i * columns + j]` is entry (i, j). */
export interface DenseMatrix {
  readonly rows: number;
  readonly columns: number;
  readonly data: Float64Array;
}

/** Anything {@link readMatrix} accepts. */
export type MatrixData = MatrixLike | readonly ArrayLike<number>[];

/** Options of {@link readMatrix}. */
export interface ReadMatrixOptions {
  /** Fewest rows accepted. @defaultValue 1 */
  minRows?: number;
  /** Fewest columns accepted. @defaultValue 1 */
  minColumns?: number;
  /** Required number of rows. */
  rows?: number;
  /** Required number of columns. */
  columns?: number;
  /**
   * What a flat vector of numbers means: `'column'` (n×1, e.g. 1-D inputs of a regression), `'row'`
   * (1×n) or `'error'` (a ShapeError). @defaultValue 'error'
   */
  vector?: 'column' | 'row' | 'error';
  /** Accept NaN/±Infinity entries (e.g. missing values). @defaultValue false */
  allowNonFinite?: boolean;
}

/** Options of {@link readVector}. */
export interface ReadVectorOptions {
  /** Fewest entries accepted. @defaultValue 1 */
  minLength?: number;
  /** Required length. */
  length?: number;
  /** Accept NaN/±Infinity entries. @defaultValue false */
  allowNonFinite?: boolean;
}

function position(i: number, j: number): string {
  return j < 0 ? `[${i}]` : `[${i}, ${j}]`;
}

/** Reads one entry; the position string is built only when the entry is rejected (hot path: one typeof and one isFinite). */
function readEntry(where: string, name: string, v: unknown, i: number, j: number, allowNonFinite: boolean): number {
  if (typeof v === 'number' && (allowNonFinite || Number.isFinite(v))) return v;
  const at = position(i, j);
  if (typeof v !== 'number') {
    if (Array.isArray(v) || ArrayBuffer.isView(v)) {
      throw new ShapeError(`${where}: argument '${name}' must hold numbers, got a nested array at ${at}`);
    }
    throw new DomainError(`${where}: argument '${name}' must hold numbers, got ${describeValue(v)} at ${at}`);
  }
  throw new NonFiniteError(`${where}: argument '${name}' must be finite, got ${describeValue(v)} at ${at}`);
}

function isArrayLikeObject(x: unknown): x is ArrayLike<unknown> {
  return (
    (Array.isArray(x) || ArrayBuffer.isView(x)) &&
    typeof (x as ArrayLike<unknown>).length === 'number' &&
    !(x instanceof DataView)
  );
}

/**
 * Reads a matrix-like argument into a fresh row-major {@link DenseMatrix}.
 *
 * Accepts an ml-matrix `Matrix` (anything with `rows`, `columns`, `get`), an array of rows (each an
 * array or typed array of numbers) and, with `vector: 'column' | 'row'`, a flat vector.
 * @throws ShapeError for a non-array, a scalar, ragged or nested rows, holes, or a size below the
 * minimum; DomainError for a non-number entry (quoted with its type); NonFiniteError for NaN/±Infinity.
 */
export function readMatrix(where: string, name: string, value: unknown, options: ReadMatrixOptions = {}): DenseMatrix {
  const allowNonFinite = options.allowNonFinite === true;
  let rows: number;
  let columns: number;
  let data: Float64Array;
  if (isMatrixLike(value)) {
    rows = value.rows;
    columns = value.columns;
    if (!Number.isInteger(rows) || !Number.isInteger(columns) || rows < 0 || columns < 0) {
      throw new ShapeError(`${where}: argument '${name}' has invalid dimensions ${describeValue(rows)}×${describeValue(columns)}`);
    }
    data = new Float64Array(rows * columns);
    // ml-matrix's own Matrix keeps its rows as Float64Arrays in `data`: read them directly (no per-entry method
    // call). Anything else, a subclass that overrides get() included, is read through get().
    const rowData = (value as { data?: unknown }).data;
    const plainMatrix = Object.getPrototypeOf(value)?.constructor?.name === 'Matrix';
    const direct =
      plainMatrix && Array.isArray(rowData) && rowData.length === rows && rowData.every((r) => r instanceof Float64Array && r.length === columns);
    for (let i = 0; i < rows; i++) {
      if (direct) {
        const r = (rowData as Float64Array[])[i] as Float64Array;
        for (let j = 0; j < columns; j++) data[i * columns + j] = readEntry(where, name, r[j], i, j, allowNonFinite);
      } else {
        for (let j = 0; j < columns; j++) data[i * columns + j] = readEntry(where, name, value.get(i, j), i, j, allowNonFinite);
      }
    }
  } else if (isArrayLikeObject(value)) {
    const n = value.length;
    const flat = n > 0 && !isArrayLikeObject(value[0]) && (0 in value);
    if (flat || ArrayBuffer.isView(value)) {
      const mode = options.vector ?? 'error';
      if (mode === 'error') {
        throw new ShapeError(
          `${where}: argument '${name}' must be a matrix (Matrix or an array of rows), got a flat array of length ${n}`,
        );
      }
      const v = readVector(where, name, value, { minLength: 0, allowNonFinite });
      rows = mode === 'column' ? v.length : 1;
      columns = mode === 'column' ? 1 : v.length;
      data = v;
    } else {
      rows = n;
      columns = -1;
      for (let i = 0; i < n; i++) {
        if (!(i in value)) throw new ShapeError(`${where}: argument '${name}' has a hole at row [${i}]`);
        const row = value[i];
        if (!isArrayLikeObject(row)) {
          throw new ShapeError(`${where}: argument '${name}' must be an array of rows, got ${describeValue(row)} at row [${i}]`);
        }
        if (columns < 0) columns = row.length;
        else if (row.length !== columns) {
          throw new ShapeError(`${where}: argument '${name}' must have rows of equal length, row 0 has ${columns}, row ${i} has ${row.length}`);
        }
      }
      if (columns < 0) columns = 0;
      data = new Float64Array(rows * columns);
      for (let i = 0; i < rows; i++) {
        const row = value[i] as ArrayLike<unknown>;
        const plain = Array.isArray(row);
        for (let j = 0; j < columns; j++) {
          if (plain && !(j in row)) throw new ShapeError(`${where}: argument '${name}' has a hole at [${i}, ${j}]`);
          data[i * columns + j] = readEntry(where, name, row[j], i, j, allowNonFinite);
        }
      }
    }
  } else {
    throw new ShapeError(`${where}: argument '${name}' must be a matrix (Matrix or an array of rows), got ${describeValue(value)}`);
  }
  const minRows = options.minRows ?? 1;
  const minColumns = options.minColumns ?? 1;
  if (options.rows !== undefined && rows !== options.rows) {
    throw new ShapeError(`${where}: argument '${name}' must have ${options.rows} rows, got ${rows}`);
  }
  if (options.columns !== undefined && columns !== options.columns) {
    throw new ShapeError(`${where}: argument '${name}' must have ${options.columns} columns, got ${columns}`);
  }
  if (rows < minRows) throw new ShapeError(`${where}: argument '${name}' must have at least ${minRows} row(s), got ${rows}`);
  if (columns < minColumns) {
    throw new ShapeError(`${where}: argument '${name}' must have at least ${minColumns} column(s), got ${columns}`);
  }
  return { rows, columns, data };
}

/**
 * Reads a vector argument (an array or typed array of numbers) into a fresh `Float64Array`.
 * @throws ShapeError for a non-array, a scalar, a nested array, holes, or a wrong length;
 * DomainError for a non-number entry; NonFiniteError for NaN/±Infinity.
 */
export function readVector(where: string, name: string, value: unknown, options: ReadVectorOptions = {}): Float64Array {
  if (!isArrayLikeObject(value)) {
    throw new ShapeError(`${where}: argument '${name}' must be an array of numbers, got ${describeValue(value)}`);
  }
  const allowNonFinite = options.allowNonFinite === true;
  const n = value.length;
  const out = new Float64Array(n);
  if (value instanceof Float64Array || value instanceof Float32Array) {
    out.set(value);
    if (!allowNonFinite) {
      // x − x is 0 for finite x and NaN for NaN/±Infinity: one pass, no per-entry call
      let acc = 0;
      for (let i = 0; i < n; i++) acc += out[i]! - out[i]!;
      if (acc !== 0) for (let i = 0; i < n; i++) readEntry(where, name, out[i], i, -1, false);
    }
  } else {
    const plain = Array.isArray(value);
    for (let i = 0; i < n; i++) {
      if (plain && !(i in value)) throw new ShapeError(`${where}: argument '${name}' has a hole at [${i}]`);
      const v = value[i];
      if (typeof v === 'bigint') throw new DomainError(`${where}: argument '${name}' must hold numbers, got ${describeValue(v)} at [${i}]`);
      out[i] = readEntry(where, name, v, i, -1, allowNonFinite);
    }
  }
  if (options.length !== undefined && n !== options.length) {
    throw new ShapeError(`${where}: argument '${name}' must have length ${options.length}, got ${n}`);
  }
  const minLength = options.minLength ?? 1;
  if (n < minLength) throw new ShapeError(`${where}: argument '${name}' must have at least ${minLength} entries, got ${n}`);
  return out;
}

/**
 * @internal Validates a vector argument exactly as {@link readVector} does, without copying it (for hot
 * kernels that only read their input, e.g. the FFT). Returns its length.
 */
export function checkVector(where: string, name: string, value: unknown, options: ReadVectorOptions = {}): number {
  if (!isArrayLikeObject(value)) {
    throw new ShapeError(`${where}: argument '${name}' must be an array of numbers, got ${describeValue(value)}`);
  }
  const n = value.length;
  if (value instanceof Float64Array || value instanceof Float32Array) {
    let acc = 0;
    for (let i = 0; i < n; i++) acc += value[i]! - value[i]!;
    if (acc !== 0) for (let i = 0; i < n; i++) readEntry(where, name, value[i], i, -1, false);
  } else {
    const plain = Array.isArray(value);
    for (let i = 0; i < n; i++) {
      const v = value[i];
      if (typeof v === 'number' && v - v === 0) continue;
      if (plain && !(i in value)) throw new ShapeError(`${where}: argument '${name}' has a hole at [${i}]`);
      if (typeof v === 'bigint') throw new DomainError(`${where}: argument '${name}' must hold numbers, got ${describeValue(v)} at [${i}]`);
      readEntry(where, name, v, i, -1, false);
    }
  }
  if (options.length !== undefined && n !== options.length) {
    throw new ShapeError(`${where}: argument '${name}' must have length ${options.length}, got ${n}`);
  }
  const minLength = options.minLength ?? 1;
  if (n < minLength) throw new ShapeError(`${where}: argument '${name}' must have at least ${minLength} entries, got ${n}`);
  return n;
}

/**
 * Reads integer labels in `[0, classes)` (or `[0, 2^31)` when `classes` is omitted) into a fresh
 * `Int32Array`.
 * @throws as {@link readVector}, and DomainError for a non-integer or out-of-range label.
 */
export function readLabels(
  where: string,
  name: string,
  value: unknown,
  options: ReadVectorOptions & { classes?: number } = {},
): Int32Array {
  if (typeof options !== 'object' || options === null) throw new DomainError(`${where}: readLabels options must be an object, got ${describeValue(options)}`);
  const v = readVector(where, name, value, options);
  const hi = options.classes ?? 2 ** 31 - 1;
  const out = new Int32Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const x = v[i] as number;
    if (!Number.isInteger(x) || x < 0 || x >= hi) {
      throw new DomainError(`${where}: argument '${name}' must hold integers in [0, ${hi}), got ${describeValue(x)} at [${i}]`);
    }
    out[i] = x;
  }
  return out;
}

/**
 * Reads a finite number argument.
 * @throws DomainError for a non-number (quoted with its type); NonFiniteError for NaN/±Infinity.
 */
export function readNumber(where: string, name: string, value: unknown): number {
  if (typeof value !== 'number') {
    throw new DomainError(`${where}: argument '${name}' must be a number, got ${describeValue(value)}`);
  }
  if (!Number.isFinite(value)) {
    throw new NonFiniteError(`${where}: argument '${name}' must be finite, got ${describeValue(value)}`);
  }
  return value;
}
