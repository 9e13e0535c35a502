/**
 * Standard SSM initialisations: a diagonal (S4D-Real) system and HiPPO-LegS (Gu et al. 2020, 2022).
 */
import { assertInteger } from '@notes/core-linalg';
import { Matrix } from 'ml-matrix';
import { type ContinuousSSM, continuousSSM } from './ssm.js';

/** Options shared by the initialisations. */
export interface SSMInitOptions {
  /** Output weights C. @defaultValue all ones */
  C?: ArrayLike<number>;
  /** Feed-through D. @defaultValue 0 */
  D?: number;
}

/**
 * S4D-Real: $A = -\operatorname{diag}(1, 2, \dots, n)$, $B = \mathbf 1$ (Gu et al. 2022, "On the
 * parameterization and initialization of diagonal state space models").
 */
export function diagonalSSM(n: number, options: SSMInitOptions = {}): ContinuousSSM {
  assertInteger('diagonalSSM', 'n', n, 1);
  const A = Matrix.zeros(n, n);
  for (let i = 0; i < n; i++) A.set(i, i, -(i + 1));
  return continuousSSM({ A, B: new Float64Array(n).fill(1), C: options.C ?? new Float64Array(n).fill(1), D: options.D ?? 0 });
}

/**
 * HiPPO-LegS: $A_{nk} = -\sqrt{(2n+1)(2k+1)}$ for $n > k$, $-(n+1)$ for $n = k$, 0 above the diagonal;
 * $B_n = \sqrt{2n+1}$ (Gu et al. 2020, "HiPPO", eq. (9)).
 */
export function hippoLegS(n: number, options: SSMInitOptions = {}): ContinuousSSM {
  assertInteger('hippoLegS', 'n', n, 1);
  const A = Matrix.zeros(n, n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k <= i; k++) A.set(i, k, i === k ? -(i + 1) : -Math.sqrt((2 * i + 1) * (2 * k + 1)));
  }
  const B = Float64Array.from({ length: n }, (_, i) => Math.sqrt(2 * i + 1));
  return continuousSSM({ A, B, C: options.C ?? new Float64Array(n).fill(1), D: options.D ?? 0 });
}
