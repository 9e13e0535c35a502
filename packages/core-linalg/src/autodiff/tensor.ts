/**
 * The autodiff `Tensor`: float64 values in contiguous row-major storage with a shape.
 *
 * Tensors are values: no op ever writes into an input's `data` (optimisers update parameters in place,
 * which is the one documented exception). Gradients are recorded on a tape only inside
 * `valueAndGrad` / `grad` / `variableGrads` / `jacobian` and only for tensors that are being
 * differentiated, so plain forward code outside them costs nothing extra.
 */
import type { Matrix } from 'ml-matrix';
import { checkMemory, DomainError, describeValue, NonFiniteError, readNumber, readVector, ShapeError, DEFAULT_MAX_MEMORY_BYTES } from '../errors/index.js';
import { fromRowMajor, type MatrixInput, toRowMajor } from '../linalg/index.js';

/** Options for creating a tensor. */
export interface TensorOptions {
  /** Mark the tensor as a trainable leaf (a parameter). @defaultValue false */
  requiresGrad?: boolean;
}

/** Number of elements of a shape ($\prod_i d_i$; 1 for a scalar `[]`). */
export function sizeOf(shape: readonly number[]): number {
  checkShape('sizeOf', shape);
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major strides of a shape. */
export function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}

/** `[2,3]` — how shapes are printed in error messages. */
export function shapeStr(shape: readonly number[]): string {
  return Array.isArray(shape) ? `[${shape.join(',')}]` : describeValue(shape);
}

function checkShape(where: string, shape: readonly number[]): void {
  if (!Array.isArray(shape)) throw new ShapeError(`${where}: shape must be an array of integers, got ${describeValue(shape)}`);
  let n = 1;
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i];
    if (!(i in shape) || typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0) {
      throw new ShapeError(`${where}: shape must hold non-negative integers, got ${describeValue(d)} at [${i}]`);
    }
    n *= d;
  }
  // 8 bytes per element (float64); the same budget as every O(n²) allocation of @notes.
  if (8 * n > DEFAULT_MAX_MEMORY_BYTES) checkMemory(where, `a tensor of shape [${shape.join(',')}]`, 8 * n);
}

/**
 * A float64 tensor: `data[i]` holds the element whose row-major multi-index is `i`
 * ($\text{offset} = \sum_k i_k s_k$ with strides $s_k = \prod_{j>k} d_j$).
 * Build one with {@link Tensor.fromArray}, {@link Tensor.fromMatrix}, {@link Tensor.zeros} ...;
 * compute with the functions of `ops`.
 * @example Tensor.fromArray([1, 2, 3, 4], [2, 2]).toMatrix().get(1, 0) // 3
 */
export class Tensor {
  /** Row-major values (length = product of `shape`). Never written by ops. */
  readonly data: Float64Array;
  /** Dimensions, outermost first. `[]` is a scalar. */
  readonly shape: readonly number[];
  /** Number of elements. */
  readonly size: number;
  /** True for trainable leaves (parameters). */
  readonly requiresGrad: boolean;
  /** @internal id of the tape that recorded this tensor as an op output (0 = none). */
  _tapeId = 0;
  /** @internal index of the recording node on that tape. */
  _node = -1;

  /**
   * Wraps `data` without copying (the caller hands over ownership).
   * @throws ShapeError if `data.length` differs from the product of `shape`.
   */
  constructor(data: Float64Array, shape: readonly number[], options: TensorOptions = {}) {
    if (!(data instanceof Float64Array)) {
      throw new DomainError(`Tensor: argument 'data' must be a Float64Array (use Tensor.fromArray for other arrays), got ${describeValue(data)}`);
    }
    checkShape('Tensor', shape);
    const size = sizeOf(shape);
    if (data.length !== size) {
      throw new ShapeError(`Tensor: data has length ${data.length} but shape ${shapeStr(shape)} needs ${size}`);
    }
    this.data = data;
    this.shape = Object.freeze([...shape]);
    this.size = size;
    this.requiresGrad = options.requiresGrad ?? false;
  }

  /**
   * Copies finite values into a new tensor. `shape` defaults to `[values.length]`.
   * @throws ShapeError if the length does not match `shape`; NonFiniteError on NaN/±Infinity.
   * @example Tensor.fromArray([1, 2, 3, 4, 5, 6], [2, 3]).shape // [2, 3]
   */
  static fromArray(values: ArrayLike<number>, shape?: readonly number[], options?: TensorOptions): Tensor {
    const data = readVector('Tensor.fromArray', 'values', values, { minLength: 0 });
    const s = shape ?? [data.length];
    checkShape('Tensor.fromArray', s);
    if (data.length !== sizeOf(s)) {
      throw new ShapeError(
        `Tensor.fromArray: argument 'values' has length ${data.length} but shape ${shapeStr(s)} needs ${sizeOf(s)}`,
      );
    }
    return new Tensor(data, s, options);
  }

  /**
   * Copies a matrix (ml-matrix `Matrix` or `number[][]`) into a rows×cols tensor.
   * @throws ShapeError if not rectangular; NonFiniteError on NaN/±Infinity.
   */
  static fromMatrix(A: MatrixInput, options?: TensorOptions): Tensor {
    const { data, rows, cols } = toRowMajor(A, 'Tensor.fromMatrix', 'A');
    return new Tensor(data, [rows, cols], options);
  }

  /** A scalar tensor (shape `[]`). @throws DomainError / NonFiniteError unless `value` is a finite number. */
  static scalar(value: number, options?: TensorOptions): Tensor {
    return new Tensor(Float64Array.of(readNumber('Tensor.scalar', 'value', value)), [], options);
  }

  /** A tensor of zeros. @throws ShapeError for a bad shape; ResourceError above the 2 GiB memory budget. */
  static zeros(shape: readonly number[], options?: TensorOptions): Tensor {
    checkShape('Tensor.zeros', shape);
    return new Tensor(new Float64Array(sizeOf(shape)), shape, options);
  }

  /** A tensor filled with `value`. @throws ShapeError for a bad shape; NonFiniteError for a non-finite value; ResourceError above 2 GiB. */
  static full(shape: readonly number[], value: number, options?: TensorOptions): Tensor {
    checkShape('Tensor.full', shape);
    const v = readNumber('Tensor.full', 'value', value);
    return new Tensor(new Float64Array(sizeOf(shape)).fill(v), shape, options);
  }

  /** A tensor of ones. */
  static ones(shape: readonly number[], options?: TensorOptions): Tensor {
    return Tensor.full(shape, 1, options);
  }

  /** Number of axes. */
  get rank(): number {
    return this.shape.length;
  }

  /**
   * The single value of a one-element tensor.
   * @throws ShapeError if `size !== 1`.
   */
  item(): number {
    if (this.size !== 1) throw new ShapeError(`Tensor.item: tensor must have one element, got shape ${shapeStr(this.shape)}`);
    return this.data[0];
  }

  /** Element at a multi-index (bounds-checked). */
  get(...index: number[]): number {
    if (index.length !== this.shape.length) {
      throw new ShapeError(`Tensor.get: expected ${this.shape.length} indices for shape ${shapeStr(this.shape)}, got ${index.length}`);
    }
    let off = 0;
    for (let k = 0; k < index.length; k++) {
      const i = index[k];
      if (!Number.isInteger(i) || i < 0 || i >= this.shape[k]) {
        throw new DomainError(`Tensor.get: index ${i} out of range for axis ${k} of shape ${shapeStr(this.shape)}`);
      }
      off = off * this.shape[k] + i;
    }
    return this.data[off];
  }

  /** A copy of the values. */
  toArray(): Float64Array {
    return this.data.slice();
  }

  /**
   * Copies a rank-2 tensor into an ml-matrix `Matrix` (rank 1 becomes a 1×n row).
   * @throws ShapeError for other ranks.
   */
  toMatrix(): Matrix {
    if (this.rank === 2) return fromRowMajor(this.data, this.shape[0], this.shape[1]);
    if (this.rank === 1) return fromRowMajor(this.data, 1, this.shape[0]);
    throw new ShapeError(`Tensor.toMatrix: tensor must have rank 1 or 2, got shape ${shapeStr(this.shape)}`);
  }

  /** `Tensor([2,3])`. */
  toString(): string {
    return `Tensor(${shapeStr(this.shape)})`;
  }
}

/** Accepted wherever a tensor operand is expected: a number becomes a scalar tensor. */
export type TensorLike = Tensor | number;

/**
 * Converts a number operand to a scalar tensor (tensors pass through).
 * @throws DomainError for anything else; NonFiniteError for a NaN/±Infinity number.
 */
export function asTensor(x: TensorLike, where = 'ops', name = 'x'): Tensor {
  if (x instanceof Tensor) return x;
  if (typeof x === 'number') {
    if (!Number.isFinite(x)) throw new NonFiniteError(`${where}: argument '${name}' must be finite, got ${describeValue(x)}`);
    return new Tensor(Float64Array.of(x), []);
  }
  throw new DomainError(`${where}: argument '${name}' must be a Tensor or a number, got ${describeValue(x)}`);
}

/** @internal Throws ShapeError unless `v` is an array of safe integers (shapes, permutations, axes). */
export function checkIntList(where: string, name: string, v: unknown): asserts v is readonly number[] {
  if (!Array.isArray(v)) throw new ShapeError(`${where}: argument '${name}' must be an array of integers, got ${describeValue(v)}`);
  for (let i = 0; i < v.length; i++) {
    if (!(i in v) || !Number.isSafeInteger(v[i])) {
      throw new ShapeError(`${where}: argument '${name}' must hold integers, got ${describeValue(v[i])} at [${i}]`);
    }
  }
}

/** @internal Throws DomainError unless `x` is a {@link Tensor}; every op calls it on its tensor arguments. */
export function checkTensor(where: string, name: string, x: unknown): asserts x is Tensor {
  if (!(x instanceof Tensor)) throw new DomainError(`${where}: argument '${name}' must be a Tensor, got ${describeValue(x)}`);
}

/** @internal Throws unless `xs` is a non-empty array of tensors. */
export function checkTensors(where: string, name: string, xs: unknown): asserts xs is readonly Tensor[] {
  if (!Array.isArray(xs)) throw new DomainError(`${where}: argument '${name}' must be an array of Tensors, got ${describeValue(xs)}`);
  for (let i = 0; i < xs.length; i++) {
    if (!(xs[i] instanceof Tensor)) throw new DomainError(`${where}: argument '${name}' must hold Tensors, got ${describeValue(xs[i])} at [${i}]`);
  }
}
