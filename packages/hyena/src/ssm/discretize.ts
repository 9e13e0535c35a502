/**
 * Discretisation of a continuous SSM with step Δ (notes: State-Space model; Gu et al. 2021/2022):
 * - zero-order hold: $\bar A = e^{\Delta A}$, $\bar B = A^{-1}(e^{\Delta A} - I)B$, computed for any A
 *   (singular too) from one exponential of the augmented matrix
 *   $\exp\!\begin{pmatrix}\Delta A & \Delta B\\ 0 & 0\end{pmatrix} = \begin{pmatrix}\bar A & \bar B\\ 0 & 1\end{pmatrix}$;
 * - bilinear (Tustin): $\bar A = (I - \tfrac{\Delta}{2}A)^{-1}(I + \tfrac{\Delta}{2}A)$,
 *   $\bar B = (I - \tfrac{\Delta}{2}A)^{-1}\Delta B$.
 * C and D are unchanged.
 */
import { DomainError, defineOptions } from '@notes/core-linalg';
import { Matrix, solve } from 'ml-matrix';
import { readSSMRecord } from '../validate.js';
import { expmChecked } from './expm.js';
import { assertNoOverflow, type ContinuousSSM, type DiscreteSSM, eigenvalues } from './ssm.js';

/** Options of {@link discretize}. */
export interface DiscretizeOptions {
  /** Step size Δ > 0. */
  dt: number;
  /** Rule. @defaultValue 'zoh' */
  method?: 'zoh' | 'bilinear';
  /**
   * Require a stable continuous system (every eigenvalue of A with negative real part) and throw
   * `DomainError` otherwise. @defaultValue false
   */
  requireStable?: boolean;
}

const OPTIONS = defineOptions<DiscretizeOptions>()('discretize', {
  dt: { type: 'number', greaterThan: 0, doc: 'step size Δ > 0 (required)' },
  method: { type: 'enum', values: ['zoh', 'bilinear'], default: 'zoh', doc: 'discretisation rule' },
  requireStable: { type: 'boolean', default: false, doc: 'throw unless every eigenvalue of A has Re < 0' },
});

/**
 * Discretises a continuous SSM by zero-order hold or the bilinear transform.
 * @throws DomainError if `dt ≤ 0`, if `requireStable` and A has an eigenvalue with Re ≥ 0, or if the
 *   bilinear transform is singular (an eigenvalue of A equals 2/Δ).
 * @example discretize(continuousSSM({ A: [[-1]], B: [1], C: [1] }), { dt: 0.1 }).A.get(0, 0) // e^{-0.1}
 */
export function discretize(ssm: ContinuousSSM, options: DiscretizeOptions): DiscreteSSM {
  const where = 'discretize';
  const o = OPTIONS.parse(options);
  if (o.dt === undefined) throw new DomainError(`${where}: option 'dt' is required`);
  const method = o.method;
  ssm = { kind: 'continuous', ...readSSMRecord(where, 'ssm', ssm, 'continuous') };
  if (o.requireStable) {
    const { re } = eigenvalues(ssm.A);
    const worst = Math.max(...re);
    if (!(worst < 0)) {
      throw new DomainError(
        `${where}: A must be stable (every eigenvalue with negative real part) when requireStable is set, got an eigenvalue with real part ${worst}`,
      );
    }
  }
  const dt = o.dt;
  const n = ssm.A.rows;
  if (method === 'zoh') {
    const M = Matrix.zeros(n + 1, n + 1);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) M.set(i, j, dt * ssm.A.get(i, j));
      M.set(i, n, dt * (ssm.B[i] as number));
    }
    const E = expmChecked(M, where);
    const A = E.subMatrix(0, n - 1, 0, n - 1);
    const B = Float64Array.from({ length: n }, (_, i) => E.get(i, n));
    assertNoOverflow(where, B);
    return { kind: 'discrete', A, B, C: ssm.C.slice(), D: ssm.D, dt, method };
  }
  const left = Matrix.eye(n).sub(ssm.A.clone().mul(dt / 2));
  const right = Matrix.eye(n).add(ssm.A.clone().mul(dt / 2));
  const { re, im } = eigenvalues(ssm.A);
  if (re.some((r, i) => Math.abs(1 - (dt / 2) * r) < 1e-12 && Math.abs(im[i] as number) < 1e-12)) {
    throw new DomainError(`${where}: bilinear transform is singular: A has the eigenvalue 2/dt = ${2 / dt}`);
  }
  const A = solve(left, right);
  const Bcol = solve(left, Matrix.columnVector(Array.from(ssm.B, (b) => b * dt)));
  assertNoOverflow(where, A.to1DArray());
  assertNoOverflow(where, Bcol.to1DArray());
  return { kind: 'discrete', A, B: Float64Array.from(Bcol.getColumn(0)), C: ssm.C.slice(), D: ssm.D, dt, method };
}
