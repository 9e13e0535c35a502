import { assertInteger, DomainError, type MatrixInput } from '@notes/core-linalg';
import { buildMatrix } from './matrix-io.js';
import type { Matrix } from 'ml-matrix';
import { networkSimplex } from './network-simplex.js';
import { type OtProblem, support, validateProblem } from './validate.js';

/** Options of {@link emd}. */
export interface EmdOptions {
  /** Pivot cap of the network simplex. @defaultValue 10_000_000 */
  maxIterations?: number;
  /** Rescale a and b to mass 1 each instead of throwing when their sums differ. @defaultValue false */
  normalize?: boolean;
}
const DEFAULTS = { maxIterations: 10_000_000, normalize: false } satisfies Required<EmdOptions>;

/** Kantorovich dual potentials: u_i + v_j ≤ M_ij, Σ a_i u_i + Σ b_j v_j = cost at the optimum. */
export interface OtPotentials {
  u: Float64Array;
  v: Float64Array;
}

/** Result of {@link emd}. */
export interface EmdResult {
  /** Optimal cost ⟨plan, M⟩ (POT's `emd2`). */
  cost: number;
  /** Optimal plan (n×m), rows summing to a, columns to b. */
  plan: Matrix;
  /** Dual potentials, centred so Σ a_i u_i = Σ b_j v_j (as POT's `center_ot_dual`). */
  potentials: OtPotentials;
  /** Network-simplex pivots (after one heuristic pivot per column, which is not counted). */
  iterations: number;
  /** False when `maxIterations` stopped the simplex: the plan may then miss the marginals and is not optimal. */
  converged: boolean;
  reason: 'optimal' | 'max-iterations';
}

/**
 * Exact discrete optimal transport (notes: Optimal transport, L = argmin_Γ Σ Γ_ij c(x_i, y_j)):
 * $$\min_{\Gamma \ge 0,\ \Gamma 1 = a,\ \Gamma^\top 1 = b}\ \langle \Gamma, M\rangle
 *   \;=\; \max_{u_i + v_j \le M_{ij}}\ a^\top u + b^\top v$$
 * solved by the network simplex ({@link networkSimplex}); zero-weight rows/columns are removed first
 * and get the feasible potentials u_i = min_j (M_ij − v_j) (resp. v_j) afterwards, as POT does. The
 * notes write the dual constraint as φ(x) + ψ(x) ≤ c(x, y); it is φ(x) + ψ(y) ≤ c(x, y).
 * Same answers as POT's `ot.emd` / `ot.emd2` (cost to 1e-9 in `emd.test.ts`).
 * @param a - source weights (n), non-negative; @param b - target weights (m), same total mass
 * @param M - n×m cost matrix (any finite values)
 * @throws ShapeError (empty, wrong M shape), NonFiniteError (NaN/±∞), DomainError (negative weights,
 *   unequal masses without `normalize`, bad maxIterations, max(M) − min(M) above 1.8e308).
 * @example emd([0.5, 0.5], [0.5, 0.5], [[0, 1], [1, 0]]).cost // 0
 */
export function emd(a: ArrayLike<number>, b: ArrayLike<number>, M: MatrixInput, options: EmdOptions = {}): EmdResult {
  const where = 'emd';
  const maxIterations = options.maxIterations ?? DEFAULTS.maxIterations;
  const normalize = options.normalize ?? DEFAULTS.normalize;
  assertInteger(where, 'options.maxIterations', maxIterations, 0);
  return solveEmd(validateProblem(where, a, b, M, normalize), maxIterations);
}

/** emd on a validated problem (shared with the bench and other OT functions). @internal */
export function solveEmd(problem: OtProblem, maxIterations: number): EmdResult {
  const { n, m, a, b, cost } = problem;
  const rows = support(a);
  const cols = support(b);
  const n1 = rows.length;
  const n2 = cols.length;
  // reduced, shifted costs (≥ 0): OT is unchanged by a constant shift of M
  let minCost = Number.POSITIVE_INFINITY;
  let maxCost = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < cost.length; k++) {
    if (cost[k]! < minCost) minCost = cost[k]!;
    if (cost[k]! > maxCost) maxCost = cost[k]!;
  }
  if (maxCost - minCost === Number.POSITIVE_INFINITY) {
    // the shifted costs would be ∞ and the simplex would return a zero plan with NaN potentials
    throw new DomainError(`emd: argument 'M' spans more than 1.8e308 (min ${minCost}, max ${maxCost}); rescale M`);
  }
  // The simplex works on (M − min M)/s with s = 2^⌈log2(max M − min M)⌉, so its costs lie in [0, 1]
  // whatever the scale of M: its optimality test (reduced costs ≥ −1e-14 × the costs and potentials
  // involved) and its artificial arcs ((max + 1)(N + 1)) are then relative to the cost scale. Dividing
  // by a power of two is exact, so the optimal plan is the one of M itself. (With s = 1, costs ×1e-20
  // passed that test at the first basis: a wrong plan reported optimal in 50 of 50 random 10×10
  // problems; emd-scale.test.ts.)
  const range = maxCost - minCost;
  const scale = range > 0 ? 2 ** Math.min(1023, Math.ceil(Math.log2(range))) : 1;
  const full = n1 === n && n2 === m;
  // the simplex copies its costs, so a full support with min 0 and scale 1 passes M itself
  let sub = cost;
  if (!full || minCost !== 0 || scale !== 1) {
    sub = new Float64Array(n1 * n2);
    for (let r = 0; r < n1; r++) {
      const off = rows[r]! * m;
      for (let c = 0; c < n2; c++) sub[r * n2 + c] = (cost[off + cols[c]!]! - minCost) / scale;
    }
  }
  const supply = Float64Array.from(rows, (i) => a[i]!);
  const demand = Float64Array.from(cols, (j) => b[j]!);
  const res = networkSimplex(supply, demand, sub, maxIterations);

  // the plan is written straight into the result's rows (zero-weight rows/columns stay 0)
  const rowOf = new Int32Array(n).fill(-1);
  for (let r = 0; r < n1; r++) rowOf[rows[r]!] = r;
  let total = 0;
  const plan = buildMatrix(n, m, (i, row) => {
    const r = rowOf[i]!;
    if (r >= 0) total += writeFlowRow(res.flow, r * n2, cost, i * m, full ? null : cols, n2, row);
  });
  const u = new Float64Array(n).fill(Number.NaN);
  const v = new Float64Array(m).fill(Number.NaN);
  // when rescaled, first move the constant of the simplex potentials (free: u + t, v − t) so that they
  // are centred in scaled units; otherwise pi·scale can overflow even though the centred ones do not
  let t = 0;
  if (scale !== 1) {
    let num = 0;
    let den = 0;
    for (let r = 0; r < n1; r++) {
      num += supply[r]! * res.pi[r]!;
      den += supply[r]!;
    }
    for (let c = 0; c < n2; c++) {
      num += demand[c]! * res.pi[n1 + c]!;
      den += demand[c]!;
    }
    t = num / den;
  }
  for (let r = 0; r < n1; r++) u[rows[r]!] = (t - res.pi[r]!) * scale + minCost; // u_i + v_j ≤ M_ij
  for (let c = 0; c < n2; c++) v[cols[c]!] = (res.pi[n1 + c]! - t) * scale;
  fillZeroWeightPotentials(u, v, cost, n, m);
  // centre: Σ a u = Σ b v
  let au = 0;
  let bv = 0;
  let sa = 0;
  let sb = 0;
  for (let i = 0; i < n; i++) {
    au += a[i]! * u[i]!;
    sa += a[i]!;
  }
  for (let j = 0; j < m; j++) {
    bv += b[j]! * v[j]!;
    sb += b[j]!;
  }
  const shift = (bv - au) / (sa + sb);
  for (let i = 0; i < n; i++) u[i] = u[i]! + shift;
  for (let j = 0; j < m; j++) v[j] = v[j]! - shift;
  return {
    cost: total,
    plan,
    potentials: { u, v },
    iterations: res.iterations,
    converged: res.converged,
    reason: res.converged ? 'optimal' : 'max-iterations',
  };
}

/** c-transforms for rows/columns of zero weight (NaN on entry): keeps u_i + v_j ≤ M_ij. */
function fillZeroWeightPotentials(u: Float64Array, v: Float64Array, cost: Float64Array, n: number, m: number): void {
  for (let j = 0; j < m; j++) {
    if (!Number.isNaN(v[j]!)) continue;
    let best = Number.POSITIVE_INFINITY;
    for (let i = 0; i < n; i++) if (!Number.isNaN(u[i]!)) best = Math.min(best, cost[i * m + j]! - u[i]!);
    v[j] = best;
  }
  for (let i = 0; i < n; i++) {
    if (!Number.isNaN(u[i]!)) continue;
    let best = Number.POSITIVE_INFINITY;
    for (let j = 0; j < m; j++) best = Math.min(best, cost[i * m + j]! - v[j]!);
    u[i] = best;
  }
}

/**
 * Copies row r of the support's flow (from offset fOff) into `row` (column cols[c], or c when cols is
 * null) and returns its cost Σ_c flow·M (M's row at mOff). A plain function so the sum stays in a register.
 */
function writeFlowRow(
  flow: Float64Array,
  fOff: number,
  cost: Float64Array,
  mOff: number,
  cols: Int32Array | null,
  n2: number,
  row: Float64Array,
): number {
  let t = 0;
  for (let c = 0; c < n2; c++) {
    const f = flow[fOff + c]!;
    if (f !== 0) {
      const j = cols === null ? c : cols[c]!;
      row[j] = f;
      t += f * cost[mOff + j]!;
    }
  }
  return t;
}
