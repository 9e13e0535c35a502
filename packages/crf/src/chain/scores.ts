import { DomainError, NonFiniteError, readMatrix, ShapeError } from '@notes/core-linalg';
import type { Matrix } from 'ml-matrix';

/** A T×Y (or Y×Y) score table: an ml-matrix `Matrix` or rows of numbers. */
export type ScoreInput = Matrix | ArrayLike<ArrayLike<number>>;

/** Validated flat copy of a score table. */
export interface FlatScores {
  rows: number;
  cols: number;
  data: Float64Array;
}

/**
 * Copies a score table into a row-major `Float64Array`, checking that it is rectangular and holds no NaN or
 * +∞ (−∞ is allowed and means "impossible"). Throws {@link ShapeError} / {@link NonFiniteError}.
 */
export function flattenScores(where: string, name: string, x: ScoreInput, cols?: number): FlatScores {
  const m = readMatrix(where, name, x, { allowNonFinite: true, minRows: 1, minColumns: 1 });
  if (cols !== undefined && m.columns !== cols) {
    throw new ShapeError(`${where}: argument '${name}' must have ${cols} columns, got ${m.columns}`);
  }
  const data = m.data;
  for (let k = 0; k < data.length; k++) {
    const v = data[k];
    if (Number.isNaN(v) || v === Number.POSITIVE_INFINITY) {
      throw new NonFiniteError(`${where}: argument '${name}' must hold numbers < +∞ (−∞ allowed), got ${v} at [${Math.floor(k / m.columns)}, ${k % m.columns}]`);
    }
  }
  return { rows: m.rows, cols: m.columns, data };
}

/** Validates a chain problem: unary T×Y and transition Y×Y. */
export function chainInput(
  where: string,
  unary: ScoreInput,
  transition: ScoreInput,
): { T: number; Y: number; u: Float64Array; A: Float64Array } {
  const A = flattenScores(where, 'transition', transition);
  if (A.rows !== A.cols) throw new ShapeError(`${where}: argument 'transition' must be square, got ${A.rows}×${A.cols}`);
  const U = flattenScores(where, 'unary', unary, A.rows);
  return { T: U.rows, Y: A.rows, u: U.data, A: A.data };
}

/**
 * Guards a chain result (log Z or a Viterbi score) against overflow: finite scores can still add up past
 * `Number.MAX_VALUE` along a path, which turns log Z into +∞ or NaN and the marginals into garbage. −∞ (every
 * path impossible) is passed through for the caller to handle unless `allowMinusInfinity` is false (scores that
 * are all finite, like a CRF's weights, can only reach −∞ by overflowing).
 * @returns `value` unchanged when it is finite (or −∞ and allowed).
 * @throws DomainError naming the scores when `value` is NaN or +∞ (or −∞ and not allowed).
 */
export function assertNoOverflow(where: string, value: number, scores = "'unary' and 'transition'", allowMinusInfinity = true): number {
  if (Number.isNaN(value) || value === Number.POSITIVE_INFINITY || (!allowMinusInfinity && value === Number.NEGATIVE_INFINITY)) {
    throw new DomainError(`${where}: path scores overflow (${scores} add up past ±1.8e308 along a path); rescale them`);
  }
  return value;
}
