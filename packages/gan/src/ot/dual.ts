import { DomainError, describeValue, type MatrixInput, readVector } from '@notes/core-linalg';
import type { OtPotentials } from './emd.js';
import { validateProblem } from './validate.js';

/** Result of {@link kantorovichDualCheck}. */
export interface DualCheck {
  /** a·f + b·g. */
  dual: number;
  /** max_ij (f_i + g_j − M_ij), ≤ 0 for feasible potentials. */
  maxViolation: number;
}

/**
 * Evaluates a Kantorovich dual pair (notes: Optimal transport, T(P, Q) = sup E_P φ + E_Q ψ over
 * φ(x) + ψ(y) ≤ c(x, y)): the dual objective a·f + b·g and the worst constraint violation.
 * By weak duality a·f + b·g ≤ every feasible plan's cost when maxViolation ≤ 0; strong duality makes
 * it equal to the {@link emd} cost at optimal potentials.
 * @throws ShapeError/NonFiniteError/DomainError as {@link emd}; ShapeError/NonFiniteError for potentials of
 *   the wrong length or with NaN/±∞ (which would make both outputs NaN).
 * @example kantorovichDualCheck(a, b, M, emd(a, b, M).potentials).dual // = emd cost
 */
export function kantorovichDualCheck(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  M: MatrixInput,
  potentials: OtPotentials,
): DualCheck {
  // potentials { f, g } as every OT result of @notes (emd's were { u, v } before 0.2)
  const where = 'kantorovichDualCheck';
  const p = validateProblem(where, a, b, M, false, { bytesPerEntry: 8, maxMemoryBytes: undefined });
  if (typeof potentials !== 'object' || potentials === null) {
    throw new DomainError(`${where}: argument 'potentials' must be an object { f, g }, got ${describeValue(potentials)}`);
  }
  const f = readVector(where, 'potentials.f', potentials.f, { length: p.n });
  const g = readVector(where, 'potentials.g', potentials.g, { length: p.m });
  let dual = 0;
  let worst = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < p.n; i++) {
    const fi = f[i]!;
    dual += p.a[i]! * fi;
    for (let j = 0; j < p.m; j++) worst = Math.max(worst, fi + g[j]! - p.cost[i * p.m + j]!);
  }
  for (let j = 0; j < p.m; j++) dual += p.b[j]! * g[j]!;
  return { dual, maxViolation: worst };
}
