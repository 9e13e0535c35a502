import { checkMemory, DomainError, type MatrixInput, readVector, ShapeError } from '@notes/core-linalg';
import { flattenRows, readMatrixRows } from './matrix-io.js';

/** Clean inputs of a discrete OT problem: copied weights and the validated cost rows. */
export interface OtProblemRows {
  n: number;
  m: number;
  a: Float64Array;
  b: Float64Array;
  /** The n rows of M (m finite costs each): the caller's own row arrays when M is a `Matrix` — read only. */
  costRows: readonly Float64Array[];
  /** Total mass Σa (= Σb after the balance check). */
  mass: number;
}

/** {@link OtProblemRows} with a row-major copy of M. */
export interface OtProblem extends OtProblemRows {
  /** Row-major n×m costs (a fresh copy). */
  cost: Float64Array;
}

/** Relative tolerance for Σa = Σb. */
export const MASS_TOL = 1e-8;

/** What a call may allocate per entry of the n×m problem, and its budget (checked before reading M). */
export interface OtMemory {
  /** Bytes per entry of n×m the call allocates (plan, kernel, copies). */
  bytesPerEntry: number;
  /** Budget (`maxMemoryBytes`); core's default (2 GiB) when undefined. */
  maxMemoryBytes: number | undefined;
  /** What to name as the alternative in the ResourceError. */
  alternative?: string;
}

function weightsOf(where: string, name: string, w: unknown): { w: Float64Array; sum: number } {
  const out = readVector(where, name, w);
  let sum = 0;
  for (let i = 0; i < out.length; i++) {
    const v = out[i]!;
    if (v < 0) throw new DomainError(`${where}: argument '${name}' must be non-negative, got ${v} at [${i}]`);
    sum += v;
  }
  if (!(sum > 0)) throw new DomainError(`${where}: argument '${name}' must have positive total mass, got ${sum}`);
  if (sum === Number.POSITIVE_INFINITY) {
    // each weight is finite but Σ overflows: the mass check and every cost would be ∞/NaN
    throw new DomainError(`${where}: argument '${name}' has a total mass that overflows (> 1.8e308); rescale the weights`);
  }
  return { w: out, sum };
}

/**
 * Validates (a, b, M) before any work (core's `readVector`/`readMatrix` for the inputs; the memory budget
 * checked before M is read or copied): non-empty, finite, non-negative weights with positive mass;
 * M finite with shape a.length × b.length; Σa = Σb within 1e-8 (relative) unless `normalize`, which
 * rescales both to mass 1. When the masses agree, b is rescaled to Σa exactly (as POT does).
 * @throws ShapeError, NonFiniteError, DomainError.
 */
export function validateProblem(
  where: string,
  a: unknown,
  b: unknown,
  M: MatrixInput,
  normalize: boolean,
  memory?: OtMemory,
): OtProblem {
  const { flat, ...p } = validateProblemRows(where, a, b, M, normalize, memory);
  return { ...p, cost: flat ?? flattenRows(p.costRows, p.m) };
}

/**
 * {@link validateProblem} without copying M when it is a `Matrix`: same checks, same errors, in the
 * same order; the cost rows are borrowed (`flat` is the copy made for other inputs, else null).
 */
export function validateProblemRows(
  where: string,
  a: unknown,
  b: unknown,
  M: MatrixInput,
  normalize: boolean,
  memory?: OtMemory,
): OtProblemRows & { flat: Float64Array | null } {
  const A = weightsOf(where, 'a', a);
  const B = weightsOf(where, 'b', b);
  if (memory) {
    const n = A.w.length;
    const m = B.w.length;
    checkMemory(where, `the ${n}×${m} plan and its work arrays`, memory.bytesPerEntry * n * m, {
      maxMemoryBytes: memory.maxMemoryBytes,
      ...(memory.alternative ? { alternative: memory.alternative } : {}),
    });
  }
  const { rows: costRows, nRows: rows, nCols: cols, flat } = readMatrixRows(M, where, 'M');
  if (rows !== A.w.length || cols !== B.w.length) {
    throw new ShapeError(
      `${where}: argument 'M' must be ${A.w.length}×${B.w.length} (a.length × b.length), got ${rows}×${cols}`,
    );
  }
  let mass = A.sum;
  if (normalize) {
    for (let i = 0; i < A.w.length; i++) A.w[i]! /= A.sum;
    for (let j = 0; j < B.w.length; j++) B.w[j]! /= B.sum;
    mass = 1;
  } else {
    if (Math.abs(A.sum - B.sum) > MASS_TOL * Math.max(A.sum, B.sum)) {
      throw new DomainError(
        `${where}: arguments 'a' and 'b' must have the same total mass, got ${A.sum} and ${B.sum}; pass { normalize: true } to rescale both to 1`,
      );
    }
    const s = A.sum / B.sum;
    for (let j = 0; j < B.w.length; j++) B.w[j]! *= s;
  }
  return { n: A.w.length, m: B.w.length, a: A.w, b: B.w, costRows, flat, mass };
}

/** Indices of the positive entries of w. */
export function support(w: Float64Array): Int32Array {
  let k = 0;
  for (let i = 0; i < w.length; i++) if (w[i]! > 0) k++;
  const idx = new Int32Array(k);
  k = 0;
  for (let i = 0; i < w.length; i++) if (w[i]! > 0) idx[k++] = i;
  return idx;
}
