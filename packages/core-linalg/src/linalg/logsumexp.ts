/**
 * Stable log-sum-exp, softmax and log-softmax.
 */
import { DomainError, NonFiniteError, ShapeError } from '../errors/index.js';

/** Validates: non-empty, no NaN, no +Infinity (−Infinity means probability 0 and is allowed). Returns max. */
function checkLogits(where: string, x: ArrayLike<number>): number {
  if (x === null || typeof x !== 'object' || typeof x.length !== 'number') {
    throw new ShapeError(`${where}: argument 'x' must be an array of numbers, got ${x === null ? 'null' : typeof x}`);
  }
  if (x.length === 0) throw new ShapeError(`${where}: argument 'x' must not be empty`);
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as number;
    if (typeof v !== 'number' || Number.isNaN(v) || v === Number.POSITIVE_INFINITY) {
      throw new NonFiniteError(
        `${where}: argument 'x' must hold finite numbers or -Infinity, got ${String(v)} at [${i}]`,
      );
    }
    if (v > max) max = v;
  }
  return max;
}

/**
 * $\log\sum_i e^{x_i} = m + \log\sum_i e^{x_i - m}$ with $m = \max_i x_i$, so no term overflows.
 * Entries may be −Infinity (weight 0); if all are, the result is −Infinity.
 * (Blanchard, Higham & Higham, "Accurately computing the log-sum-exp and softmax functions", IMA J.
 * Numer. Anal. 41, 2021.)
 * @throws ShapeError if `x` is empty.
 * @throws NonFiniteError if `x` holds NaN or +Infinity.
 * @example logSumExp([1000, 1000]) // 1000 + ln 2
 */
export function logSumExp(x: ArrayLike<number>): number {
  const m = checkLogits('logSumExp', x);
  if (m === Number.NEGATIVE_INFINITY) return m;
  let s = 0;
  for (let i = 0; i < x.length; i++) s += Math.exp((x[i] as number) - m);
  return m + Math.log(s);
}

/**
 * $\mathrm{softmax}(x)_i = e^{x_i - m} / \sum_j e^{x_j - m}$, $m = \max_j x_j$. −Infinity entries get probability 0.
 * @throws ShapeError if `x` is empty.
 * @throws NonFiniteError if `x` holds NaN or +Infinity.
 * @throws DomainError if every entry is −Infinity (no mass to normalise).
 * @example softmax([0, Math.log(3)]) // Float64Array [0.25, 0.75]
 */
export function softmax(x: ArrayLike<number>): Float64Array {
  const m = checkLogits('softmax', x);
  if (m === Number.NEGATIVE_INFINITY) {
    throw new DomainError("softmax: argument 'x' must have at least one entry > -Infinity, got all -Infinity");
  }
  const out = new Float64Array(x.length);
  let s = 0;
  for (let i = 0; i < x.length; i++) {
    const e = Math.exp((x[i] as number) - m);
    out[i] = e;
    s += e;
  }
  const inv = 1 / s;
  for (let i = 0; i < out.length; i++) out[i]! *= inv;
  return out;
}

/**
 * $\log\mathrm{softmax}(x)_i = x_i - \mathrm{logSumExp}(x)$, computed as $(x_i - m) - \log\sum_j e^{x_j-m}$.
 * −Infinity entries stay −Infinity.
 * @throws ShapeError if `x` is empty.
 * @throws NonFiniteError if `x` holds NaN or +Infinity.
 * @throws DomainError if every entry is −Infinity.
 * @example logSoftmax([0, 0]) // Float64Array [-ln 2, -ln 2]
 */
export function logSoftmax(x: ArrayLike<number>): Float64Array {
  const m = checkLogits('logSoftmax', x);
  if (m === Number.NEGATIVE_INFINITY) {
    throw new DomainError("logSoftmax: argument 'x' must have at least one entry > -Infinity, got all -Infinity");
  }
  let s = 0;
  for (let i = 0; i < x.length; i++) s += Math.exp((x[i] as number) - m);
  const ls = Math.log(s);
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = (x[i] as number) - m - ls;
  return out;
}
