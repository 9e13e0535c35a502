/**
 * Standard SSM initialisations: a diagonal (S4D-Real) system and HiPPO-LegS (Gu et al. 2020, 2022).
 */
import { assertInteger, checkMemory, defineOptions } from '@notes/core-linalg';
import { Matrix } from 'ml-matrix';
import { MEMORY_RULE } from '../validate.js';
import { type ContinuousSSM, continuousSSM } from './ssm.js';

/** Options shared by the initialisations. */
export interface SSMInitOptions {
  /** Output weights C. @defaultValue all ones */
  C?: ArrayLike<number>;
  /** Feed-through D. @defaultValue 0 */
  D?: number;
  /** Budget in bytes for the n×n state matrix. @defaultValue 2 GiB */
  maxMemoryBytes?: number;
}

const SPEC = {
  C: { type: 'custom', expected: 'an array of n numbers', check: () => true, doc: 'output weights (default ones)' },
  D: { type: 'number', default: 0, doc: 'feed-through' },
  maxMemoryBytes: MEMORY_RULE,
} as const;
const DIAGONAL = defineOptions<SSMInitOptions>()('diagonalSSM', SPEC);
const HIPPO = defineOptions<SSMInitOptions>()('hippoLegS', SPEC);

function init(where: string, n: number, options: SSMInitOptions | undefined, parser: typeof DIAGONAL) {
  const o = parser.parse(options);
  assertInteger(where, 'n', n, 1);
  checkMemory(where, `the ${n}×${n} state matrix`, 8 * n * n * 2, o.maxMemoryBytes !== undefined ? { maxMemoryBytes: o.maxMemoryBytes } : {});
  return o;
}

/**
 * S4D-Real: $A = -\operatorname{diag}(1, 2, \dots, n)$, $B = \mathbf 1$ (Gu et al. 2022, "On the
 * parameterization and initialization of diagonal state space models").
 * @throws DomainError for n not a positive integer or a bad option; ResourceError when the n×n matrix
 *   exceeds `maxMemoryBytes`; as {@link continuousSSM} for a bad `C`.
 */
export function diagonalSSM(n: number, options: SSMInitOptions = {}): ContinuousSSM {
  const o = init('diagonalSSM', n, options, DIAGONAL);
  const A = Matrix.zeros(n, n);
  for (let i = 0; i < n; i++) A.set(i, i, -(i + 1));
  return continuousSSM({ A, B: new Float64Array(n).fill(1), C: o.C ?? new Float64Array(n).fill(1), D: o.D });
}

/**
 * HiPPO-LegS: $A_{nk} = -\sqrt{(2n+1)(2k+1)}$ for $n > k$, $-(n+1)$ for $n = k$, 0 above the diagonal;
 * $B_n = \sqrt{2n+1}$ (Gu et al. 2020, "HiPPO", eq. (9)).
 * @throws as {@link diagonalSSM}.
 */
export function hippoLegS(n: number, options: SSMInitOptions = {}): ContinuousSSM {
  const o = init('hippoLegS', n, options, HIPPO);
  const A = Matrix.zeros(n, n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k <= i; k++) A.set(i, k, i === k ? -(i + 1) : -Math.sqrt((2 * i + 1) * (2 * k + 1)));
  }
  const B = Float64Array.from({ length: n }, (_, i) => Math.sqrt(2 * i + 1));
  return continuousSSM({ A, B, C: o.C ?? new Float64Array(n).fill(1), D: o.D });
}
