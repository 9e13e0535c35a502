import {
  defineOptions,
  type FitLoop,
  type FitProgress,
  type FitReport,
  makeFitReport,
  type MatrixInput,
  runFit,
  runFitAsync,
  stopwatch,
  DomainError,
} from '@notes/core-linalg';
import type { Matrix } from 'ml-matrix';
import { buildMatrix } from './matrix-io.js';
import { networkSimplex, type SimplexProgress } from './network-simplex.js';
import { type OtProblem, support, validateProblem } from './validate.js';

/** Options of {@link emd} and {@link emdAsync}. */
export interface EmdOptions {
  /** Pivot cap of the network simplex. @defaultValue 10_000_000 */
  maxIterations?: number;
  /** Rescale a and b to mass 1 each instead of throwing when their sums differ. @defaultValue false */
  normalize?: boolean;
  /** Called about every `progressEvery` pivots (at the simplex's checkpoints, every ≤ 16 pivots) and once at the end, with {@link EmdProgress}. */
  onProgress?: (info: EmdProgress) => void;
  /** Pivots between two `onProgress` calls. @defaultValue 1000 */
  progressEvery?: number;
  /** Stops the simplex with an AbortError (partial: see {@link emdAsync}). */
  signal?: AbortSignal;
  /** Budget of the n×m plan and work arrays (≈ 41·n·m bytes). @defaultValue 2 GiB */
  maxMemoryBytes?: number;
}

const OPTIONS = defineOptions<EmdOptions>()('emd', {
  maxIterations: { type: 'integer', min: 0, default: 10_000_000, doc: 'pivot cap of the network simplex' },
  normalize: { type: 'boolean', default: false, doc: 'rescale a and b to mass 1 each' },
  onProgress: { type: 'function', doc: 'progress callback' },
  progressEvery: { type: 'integer', min: 1, default: 1000, doc: 'pivots between two progress calls' },
  signal: { type: 'signal', doc: 'AbortSignal' },
  maxMemoryBytes: { type: 'number', greaterThan: 0, doc: 'memory budget in bytes' },
});

/** Bytes per entry of the n×m problem that emd allocates: the plan, the cost copy, the simplex's costs, flows and arc states (8 + 8 + 8 + 8 + 8 + 1). */
const EMD_BYTES_PER_ENTRY = 41;

/** What `onProgress` receives from {@link emd}. */
export interface EmdProgress extends FitProgress {
  /** Pivots done. */
  readonly iteration: number;
  /**
   * Σ flow·cost of the current simplex basis in the units of M, the artificial arcs (which carry the
   * mass not yet routed, at a penalty) included; it decreases to the optimal cost.
   */
  readonly objective: number;
}

/**
 * Kantorovich dual potentials (f source, g target, as in every OT result of @notes):
 * f_i + g_j ≤ M_ij, Σ a_i f_i + Σ b_j g_j = cost at the optimum.
 */
export interface OtPotentials {
  readonly f: Float64Array;
  readonly g: Float64Array;
}

/** Result of {@link emd} (frozen). */
export interface EmdResult {
  /** Optimal cost ⟨plan, M⟩ (POT's `emd2`). */
  readonly cost: number;
  /** Optimal plan (n×m), rows summing to a, columns to b. */
  readonly plan: Matrix;
  /** Dual potentials, centred so Σ a_i f_i = Σ b_j g_j (as POT's `center_ot_dual`). */
  readonly potentials: OtPotentials;
  /**
   * `reason: 'converged'` with `criterion: 'optimality'` (no arc with a negative reduced cost, relative
   * to the cost scale) or `'max-iterations'` (the plan may then miss the marginals and is not optimal);
   * `iterations` = network-simplex pivots (after one heuristic pivot per column, which is not counted).
   */
  readonly report: FitReport;
}

/** A validated problem, its cost range and its parsed options. */
interface EmdSetup {
  problem: OtProblem;
  o: ReturnType<typeof OPTIONS.parse>;
  minCost: number;
  maxCost: number;
}

/** Options, inputs, memory budget and the cost range, all checked before the loop is created. */
function setup(where: string, a: unknown, b: unknown, M: MatrixInput, options: EmdOptions | undefined): EmdSetup {
  const o = OPTIONS.parse(options);
  const problem = validateProblem(where, a, b, M, o.normalize, {
    bytesPerEntry: EMD_BYTES_PER_ENTRY,
    maxMemoryBytes: o.maxMemoryBytes,
    alternative: 'sinkhorn on a smaller problem (emd needs the full n×m plan)',
  });
  const { cost } = problem;
  let minCost = Number.POSITIVE_INFINITY;
  let maxCost = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < cost.length; k++) {
    if (cost[k]! < minCost) minCost = cost[k]!;
    if (cost[k]! > maxCost) maxCost = cost[k]!;
  }
  if (maxCost - minCost === Number.POSITIVE_INFINITY) {
    // the shifted costs would be ∞ and the simplex would return a zero plan with NaN potentials
    throw new DomainError(`${where}: argument 'M' spans more than 1.8e308 (min ${minCost}, max ${maxCost}); rescale M`);
  }
  return { problem, o, minCost, maxCost };
}

/**
 * Exact discrete optimal transport (notes: Optimal transport, L = argmin_Γ Σ Γ_ij c(x_i, y_j)):
 * $$\min_{\Gamma \ge 0,\ \Gamma 1 = a,\ \Gamma^\top 1 = b}\ \langle \Gamma, M\rangle
 *   \;=\; \max_{f_i + g_j \le M_{ij}}\ a^\top f + b^\top g$$
 * solved by the network simplex ({@link networkSimplex}) on the costs rescaled to [0, 1] by a power of
 * two (exact), so its tolerances are relative to the cost scale: cost(c·M) = c·cost(M) for any c > 0.
 * Zero-weight rows/columns are removed first and get the feasible potentials f_i = min_j (M_ij − g_j)
 * (resp. g_j) afterwards, as POT does. The notes write the dual constraint as φ(x) + ψ(x) ≤ c(x, y); it
 * is φ(x) + ψ(y) ≤ c(x, y). Same answers as POT's `ot.emd` / `ot.emd2` (cost to 1e-9 in `emd.test.ts`).
 * @param a - source weights (n), non-negative; @param b - target weights (m), same total mass
 * @param M - n×m cost matrix (any finite values): a `Matrix` is read in place, other forms through core's `readMatrix`
 * @throws ShapeError (empty, wrong M shape), NonFiniteError (NaN/±∞), DomainError (negative weights,
 *   unequal masses without `normalize`, bad or unknown options, max(M) − min(M) above 1.8e308),
 *   ResourceError (≈ 41·n·m bytes above `maxMemoryBytes`), AbortError (a signal aborted by a callback).
 * @example emd([0.5, 0.5], [0.5, 0.5], [[0, 1], [1, 0]]).cost // 0
 */
export function emd(a: ArrayLike<number>, b: ArrayLike<number>, M: MatrixInput, options?: EmdOptions): EmdResult {
  const s = setup('emd', a, b, M, options);
  return runFit('emd', emdLoop(s), { signal: s.o.signal });
}

/**
 * {@link emd} on the asynchronous driver (core's `runFitAsync`): the same simplex, yielding to the
 * event loop every 50 ms, so a `signal` fired by a timer or a UI event stops it within 16 pivots (or 2^18 priced arcs).
 * On abort it rejects with an AbortError whose `partial` is `{ report }` (reason 'aborted', pivots and
 * time so far): before optimality the simplex routes part of the mass through artificial arcs, so its
 * basis is not yet a plan of the problem.
 * @throws (rejects with) the errors of {@link emd}, all before any work.
 */
export async function emdAsync(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  M: MatrixInput,
  options?: EmdOptions,
): Promise<EmdResult> {
  const s = setup('emdAsync', a, b, M, options);
  return runFitAsync('emdAsync', emdLoop(s), { signal: s.o.signal });
}

/** The one loop behind emd and emdAsync. */
function* emdLoop({ problem, o, minCost, maxCost }: EmdSetup): FitLoop<EmdResult> {
  const clock = stopwatch();
  const { n, m, a, b, cost } = problem;
  const rows = support(a);
  const cols = support(b);
  const n1 = rows.length;
  const n2 = cols.length;
  // reduced, shifted costs (≥ 0): OT is unchanged by a constant shift of M
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
  const live: SimplexProgress = { iterations: 0, objective: 0 };
  const simplex = networkSimplex(supply, demand, sub, o.maxIterations, live);
  let mass = 0;
  for (let r = 0; r < n1; r++) mass += supply[r]!;
  const partial = () => Object.freeze({ report: makeFitReport({ reason: 'aborted', iterations: live.iterations, elapsedMs: clock() }) });
  const every = o.progressEvery;
  let nextReport = every;
  let step = simplex.next();
  while (!step.done) {
    if (o.onProgress && live.iterations >= nextReport) {
      nextReport = live.iterations + every;
      o.onProgress({ iteration: live.iterations, objective: live.objective * scale + minCost * mass, elapsedMs: clock() });
    }
    yield partial;
    step = simplex.next();
  }
  const res = step.value;

  // the plan is written straight into the result's rows (zero-weight rows/columns stay 0)
  const rowOf = new Int32Array(n).fill(-1);
  for (let r = 0; r < n1; r++) rowOf[rows[r]!] = r;
  let total = 0;
  const plan = buildMatrix(n, m, (i, row) => {
    const r = rowOf[i]!;
    if (r >= 0) total += writeFlowRow(res.flow, r * n2, cost, i * m, full ? null : cols, n2, row);
  });
  const u = new Float64Array(n).fill(Number.NaN); // f
  const v = new Float64Array(m).fill(Number.NaN); // g
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
  const report = makeFitReport({
    reason: res.converged ? 'converged' : 'max-iterations',
    ...(res.converged ? { criterion: 'optimality' } : {}),
    iterations: res.iterations,
    elapsedMs: clock(),
  });
  // the final state (its objective is the optimal cost)
  o.onProgress?.({ iteration: res.iterations, objective: total, elapsedMs: report.elapsedMs });
  return Object.freeze({ cost: total, plan, potentials: Object.freeze({ f: u, g: v }), report });
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
