/**
 * Adjusted Rand index between two partitions (Hubert & Arabie 1985), used to score DPMM clusterings.
 */
import { readVector, ShapeError } from '@notes/core-linalg';

/**
 * $$\mathrm{ARI} = \frac{\sum_{ij}\binom{n_{ij}}2 - \big[\sum_i\binom{a_i}2\sum_j\binom{b_j}2\big]/\binom n2}
 *   {\tfrac12\big[\sum_i\binom{a_i}2+\sum_j\binom{b_j}2\big] - \big[\sum_i\binom{a_i}2\sum_j\binom{b_j}2\big]/\binom n2}$$
 * from the contingency table $n_{ij}$ with row sums $a_i$ and column sums $b_j$. Equals 1 for identical partitions
 * (up to relabelling) and is 0 in expectation for independent ones; 1 when both are trivial, as scikit-learn.
 * @throws ShapeError if the label arrays differ in length or are not arrays; DomainError / NonFiniteError for non-numeric or non-finite labels
 */
export function adjustedRandIndex(labelsA: ArrayLike<number>, labelsB: ArrayLike<number>): number {
  const a = readVector('adjustedRandIndex', 'a', labelsA, { minLength: 0 });
  const b = readVector('adjustedRandIndex', 'b', labelsB, { minLength: 0 });
  if (a.length !== b.length) {
    throw new ShapeError(`adjustedRandIndex: argument 'b' must have length ${a.length} (length of a), got ${b.length}`);
  }
  const n = a.length;
  const table = new Map<string, number>();
  const ra = new Map<number, number>();
  const rb = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    const key = `${x},${y}`;
    table.set(key, (table.get(key) ?? 0) + 1);
    ra.set(x, (ra.get(x) ?? 0) + 1);
    rb.set(y, (rb.get(y) ?? 0) + 1);
  }
  const c2 = (m: number) => (m * (m - 1)) / 2;
  let sij = 0;
  for (const v of table.values()) sij += c2(v);
  let sa = 0;
  for (const v of ra.values()) sa += c2(v);
  let sb = 0;
  for (const v of rb.values()) sb += c2(v);
  const expected = (sa * sb) / Math.max(1, c2(n));
  const max = 0.5 * (sa + sb);
  if (max === expected) return 1;
  return (sij - expected) / (max - expected);
}
