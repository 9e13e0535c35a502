import { assertFinite, assertLength, type MatrixInput } from '@notes/core-linalg';
import type { OtPotentials } from './emd.js';
import { validateProblem } from './validate.js';

/** Result of {@link kantorovichDualCheck}. */
export interface DualCheck {
  /** a·u + b·v. */
  dual: number;
  /** max_ij (u_i + v_j − M_ij), ≤ 0 for feasible potentials. */
  maxViolation: number;
}

/**
 * Evaluates a Kantorovich dual pair (notes: Optimal transport, T(P, Q) = sup E_P φ + E_Q ψ over
 * φ(x) + ψ(y) ≤ c(x, y)): the dual objective a·u + b·v and the worst constraint violation.
 * By weak duality a·u + b·v ≤ every feasible plan's cost when maxViolation ≤ 0; strong duality makes
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
  const where = 'kantorovichDualCheck';
  const p = validateProblem(where, a, b, M, false);
  assertLength(where, 'potentials.u', potentials.u, p.n, "length of 'a'");
  assertLength(where, 'potentials.v', potentials.v, p.m, "length of 'b'");
  assertFinite(where, 'potentials.u', potentials.u);
  assertFinite(where, 'potentials.v', potentials.v);
  let dual = 0;
  let worst = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < p.n; i++) {
    const ui = potentials.u[i]!;
    dual += p.a[i]! * ui;
    for (let j = 0; j < p.m; j++) worst = Math.max(worst, ui + potentials.v[j]! - p.cost[i * p.m + j]!);
  }
  for (let j = 0; j < p.m; j++) dual += p.b[j]! * potentials.v[j]!;
  return { dual, maxViolation: worst };
}
