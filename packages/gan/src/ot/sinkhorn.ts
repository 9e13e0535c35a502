import {
  defineOptions,
  DomainError,
  type FitLoop,
  type FitProgress,
  type FitReport,
  makeFitReport,
  type MatrixInput,
  runFit,
  runFitAsync,
  stopwatch,
} from '@notes/core-linalg';
import type { Matrix } from 'ml-matrix';
import { buildMatrix } from './matrix-io.js';
import { type SinkhornRun, sinkhornStandard } from './sinkhorn-kernels.js';
import { sinkhornLog } from './sinkhorn-log.js';
import { type OtProblemRows, support, validateProblemRows } from './validate.js';

/** Options of {@link sinkhorn} and {@link sinkhornAsync}. `reg` is required. */
export interface SinkhornOptions {
  /** Entropic regularisation ε > 0 (same units as M). */
  reg: number;
  /**
   * Stop when the column-marginal violation ‖Πᵀ1 − b‖₂ < tol·Σa, i.e. relative to the mass (POT's
   * `stopThr` for mass 1). @defaultValue 1e-9
   */
  tol?: number;
  /** Iteration cap, ≥ 1 (one iteration = a column and a row update). @defaultValue 10000 */
  maxIterations?: number;
  /**
   * 'log' (log-domain, stable for any ε with max |M_ij|/ε ≤ 1e300, the default) or 'standard' (scaling with K = e^{−M/ε}; faster,
   * throws a ConvergenceError when K under/overflows). @defaultValue 'log'
   */
  method?: 'log' | 'standard';
  /** Rescale a and b to mass 1 each instead of throwing when their sums differ. @defaultValue false */
  normalize?: boolean;
  /** Called every `progressEvery` iterations with {@link SinkhornProgress}. */
  onProgress?: (info: SinkhornProgress) => void;
  /** Iterations between two `onProgress` calls. @defaultValue 1 */
  progressEvery?: number;
  /** Stops the iteration with an AbortError whose `partial` is the current result (see {@link sinkhornAsync}). */
  signal?: AbortSignal;
  /** Budget of the n×m kernel, plan and copies (≈ 16–32·n·m bytes). @defaultValue 2 GiB */
  maxMemoryBytes?: number;
}

const OPTIONS = defineOptions<SinkhornOptions>()('sinkhorn', {
  reg: { type: 'number', greaterThan: 0, doc: 'entropic regularisation ε (required)' },
  tol: { type: 'number', greaterThan: 0, default: 1e-9, doc: 'stop when ‖Πᵀ1 − b‖₂ < tol·Σa' },
  maxIterations: { type: 'integer', min: 1, default: 10000, doc: 'iteration cap' },
  method: { type: 'enum', values: ['log', 'standard'], default: 'log', doc: 'log-domain or scaling iteration' },
  normalize: { type: 'boolean', default: false, doc: 'rescale a and b to mass 1 each' },
  onProgress: { type: 'function', doc: 'progress callback' },
  progressEvery: { type: 'integer', min: 1, default: 1, doc: 'iterations between two progress calls' },
  signal: { type: 'signal', doc: 'AbortSignal' },
  maxMemoryBytes: { type: 'number', greaterThan: 0, doc: 'memory budget in bytes' },
});

/** What `onProgress` receives from {@link sinkhorn}. */
export interface SinkhornProgress extends FitProgress {
  /**
   * The entropic dual objective ⟨a, f⟩ + ⟨b, g⟩ − ε·Σa of the current potentials, in the units of M
   * (it increases to the entropic objective ⟨Π, M⟩ − εH(Π) at convergence).
   */
  readonly objective: number;
  /** ‖Πᵀ1 − b‖₂ of the current plan (absolute; the fit stops below tol·Σa). */
  readonly marginalError: number;
}

/** Result of {@link sinkhorn} (frozen). */
export interface SinkhornResult {
  /** ⟨Π, M⟩ without the entropy term — what POT's `sinkhorn2` returns. */
  readonly cost: number;
  /** The entropic plan Π = diag(u) K diag(v) (rows sum to a exactly). */
  readonly plan: Matrix;
  /** Final ‖Πᵀ1 − b‖₂ (absolute). */
  readonly marginalError: number;
  /**
   * Dual potentials (f, g) of the entropic problem, in the units of M: Π_ij = e^{(f_i + g_j − M_ij)/ε}
   * (f = ε log u, g = ε log v in the scaling form). −∞ at zero-weight rows/columns, whose scalings are 0
   * (as POT's `log_u`, `log_v`), and at a positive weight so small (≈ 1e-300 of its row's kernel mass)
   * that its scaling underflows to 0 (that row or column of the plan is then 0); never NaN. At convergence ⟨a, f⟩ + ⟨b, g⟩ − ε·Σa equals the entropic objective
   * ⟨Π, M⟩ + ε Σ Π_ij (log Π_ij − 1).
   */
  readonly potentials: { readonly f: Float64Array; readonly g: Float64Array };
  /**
   * `reason: 'converged'` with `criterion: 'tol'` (‖Πᵀ1 − b‖₂ < tol·Σa) or `'max-iterations'`;
   * `'aborted'` only in an AbortError's partial result. `iterations` = Sinkhorn iterations.
   */
  readonly report: FitReport;
}

/** Everything the loop needs, validated before it is created. */
interface SinkhornSetup {
  p: OtProblemRows;
  o: ReturnType<typeof OPTIONS.parse> & { reg: number };
  rows: Int32Array;
  cols: Int32Array;
  full: boolean;
  sub: readonly Float64Array[];
}

/** Bytes per n×m entry: the kernel and the plan, plus a copy of M unless it is a `Matrix` read in place. */
function bytesPerEntry(M: unknown): number {
  const borrowed = typeof M === 'object' && M !== null && !Array.isArray(M) && 'rows' in M;
  return borrowed ? 16 : 24;
}

function setup(where: string, a: unknown, b: unknown, M: MatrixInput, options: SinkhornOptions): SinkhornSetup {
  const parsed = OPTIONS.parse(options);
  if (parsed.reg === undefined) {
    throw new DomainError(`${where}: option 'reg' is required (the entropic regularisation, > 0)`);
  }
  const o = parsed as typeof parsed & { reg: number };
  const p = validateProblemRows(where, a, b, M, o.normalize, {
    bytesPerEntry: bytesPerEntry(M),
    maxMemoryBytes: o.maxMemoryBytes,
    alternative: 'a subsample of the points (the plan is a dense n×m matrix)',
  });
  const rows = support(p.a);
  const cols = support(p.b);
  const n1 = rows.length;
  const n2 = cols.length;
  const full = n1 === p.n && n2 === p.m;
  // rows of M on the support: M's own rows (read only) when both supports are full
  let sub = p.costRows;
  if (!full) {
    const flat = new Float64Array(n1 * n2);
    for (let r = 0; r < n1; r++) {
      const src = p.costRows[rows[r]!]!;
      for (let c = 0; c < n2; c++) flat[r * n2 + c] = src[cols[c]!]!;
    }
    sub = Array.from({ length: n1 }, (_, r) => flat.subarray(r * n2, r * n2 + n2));
  }
  if (o.method === 'log') assertLogRange(where, sub, o.reg);
  return { p, o, rows, cols, full, sub };
}

/**
 * Entropy-regularised optimal transport by Sinkhorn's algorithm (Cuturi 2013):
 * $$\Pi^\varepsilon = \arg\min_{\Pi \in U(a,b)} \langle \Pi, M\rangle - \varepsilon H(\Pi),\qquad
 *   \Pi^\varepsilon = \mathrm{diag}(u)\,e^{-M/\varepsilon}\,\mathrm{diag}(v)$$
 * returning cost = ⟨Π^ε, M⟩ (POT's `sinkhorn2`), which tends to the exact OT cost ({@link emd}) as
 * ε → 0. The default log-domain iteration (Peyré & Cuturi 2019, Remark 4.23) stays finite down to
 * ε = 1e-3·max(M) and below, where the standard one underflows. Zero-weight rows/columns get zero mass.
 * Matches POT's `ot.sinkhorn2` (methods 'sinkhorn' and 'sinkhorn_log') to 1e-8 in `sinkhorn.test.ts`.
 * The stopping rule is relative to the mass (‖Πᵀ1 − b‖₂ < tol·Σa), so scaling the weights by c scales
 * the plan by c, and scaling M and reg by c leaves it unchanged (`sinkhorn-scale.test.ts`).
 * The O(n·m) passes (the kernel's exponentials, u = a ⊘ Kv with Kᵀu) run on WebAssembly SIMD kernels
 * assembled in the package when the runtime has them and n·m ≥ 4096, else in JavaScript — same
 * iteration either way (tests run both). A `Matrix` M is read in place, never copied or written, so it
 * must not change during the call (e.g. from `onProgress`): the log method re-reads it at every rebuild.
 * @throws ShapeError, NonFiniteError, DomainError (bad weights/shape, unequal masses without
 *   `normalize`, missing reg, unknown or bad options, and for the log method
 *   max |M_ij|/reg > 1e300 on the support, where the potentials would overflow); ResourceError (the
 *   kernel and plan above `maxMemoryBytes`); ConvergenceError when the standard method under/overflows;
 *   AbortError through `signal` (aborted from a callback).
 * @example sinkhorn([0.5, 0.5], [0.5, 0.5], [[0, 1], [1, 0]], { reg: 1 }).plan.get(0, 0) // 0.3655
 */
export function sinkhorn(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  M: MatrixInput,
  options: SinkhornOptions,
): SinkhornResult {
  const s = setup('sinkhorn', a, b, M, options);
  return runFit('sinkhorn', sinkhornLoop(s), { signal: s.o.signal });
}

/**
 * {@link sinkhorn} on the asynchronous driver (core's `runFitAsync`): the same iteration, yielding to
 * the event loop every 50 ms, so a `signal` fired by a timer or a UI event stops it within one
 * iteration. On abort it rejects with an AbortError whose `partial` is a {@link SinkhornResult} of the
 * current iterate (plan rows sum to a exactly; `report.reason` 'aborted'; its marginal error says how
 * far the columns are from b).
 * @throws (rejects with) the errors of {@link sinkhorn}, all before any work.
 */
export async function sinkhornAsync(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  M: MatrixInput,
  options: SinkhornOptions,
): Promise<SinkhornResult> {
  const s = setup('sinkhornAsync', a, b, M, options);
  return runFitAsync('sinkhornAsync', sinkhornLoop(s), { signal: s.o.signal });
}

/** The one loop behind sinkhorn and sinkhornAsync: runs a kernel generator, reporting and checkpointing. */
function* sinkhornLoop(s: SinkhornSetup): FitLoop<SinkhornResult> {
  const clock = stopwatch();
  const { p, o, rows, cols } = s;
  const sa = Float64Array.from(rows, (i) => p.a[i]!);
  const sb = Float64Array.from(cols, (j) => p.b[j]!);
  const kernel = o.method === 'standard' ? sinkhornStandard : sinkhornLog;
  const steps = kernel(sa, sb, s.sub, o.reg, { tol: o.tol, mass: p.mass, maxIterations: o.maxIterations });
  let state: SinkhornRun | undefined;
  const partial = () => (state ? finish(s, state, 'aborted', clock()) : undefined);
  let step = steps.next();
  while (!step.done) {
    state = step.value;
    if (o.onProgress && state.iterations % o.progressEvery === 0) {
      o.onProgress({
        iteration: state.iterations,
        objective: dualObjective(state, sa, sb, o.reg),
        marginalError: state.marginalError,
        elapsedMs: clock(),
      });
    }
    yield partial;
    step = steps.next();
  }
  state = step.value;
  return finish(s, state, state.converged ? 'converged' : 'max-iterations', clock());
}

/** ⟨a, f⟩ + ⟨b, g⟩ − ε·Σa on the support, f = ε(f̃ + log u), g = ε(g̃ + log v). */
function dualObjective(run: SinkhornRun, a: Float64Array, b: Float64Array, reg: number): number {
  const off = run.logOffsets;
  let t = 0;
  let mass = 0;
  for (let i = 0; i < a.length; i++) {
    t += a[i]! * ((off ? off.f[i]! : 0) + Math.log(run.u[i]!));
    mass += a[i]!;
  }
  for (let j = 0; j < b.length; j++) t += b[j]! * ((off ? off.g[j]! : 0) + Math.log(run.v[j]!));
  return reg * (t - mass);
}

/** The frozen result (or abort partial) from a kernel state. */
function finish(s: SinkhornSetup, run: SinkhornRun, reason: 'converged' | 'max-iterations' | 'aborted', elapsedMs: number): SinkhornResult {
  const { p, o, rows, cols, full, sub } = s;
  const n1 = rows.length;
  const n2 = cols.length;
  // Π_ij = u_i K_ij v_j written straight into the result's rows (zero-weight rows/columns stay 0);
  // ⟨Π, M⟩ is summed in the same pass, row by row
  const { K, ld, u, v } = run;
  const rowOf = new Int32Array(p.n).fill(-1);
  for (let r = 0; r < n1; r++) rowOf[rows[r]!] = r;
  let cost = 0;
  const plan = buildMatrix(p.n, p.m, (i, row) => {
    const r = rowOf[i]!;
    if (r >= 0) cost += writePlanRow(K, r * ld, sub[r]!, u[r]!, v, n2, full ? null : cols, row);
  });
  // f = ε (f̃ + log u), g = ε (g̃ + log v) on the support, −∞ off it
  const f = new Float64Array(p.n).fill(Number.NEGATIVE_INFINITY);
  const g = new Float64Array(p.m).fill(Number.NEGATIVE_INFINITY);
  const off = run.logOffsets;
  for (let r = 0; r < n1; r++) f[rows[r]!] = o.reg * ((off ? off.f[r]! : 0) + Math.log(u[r]!));
  for (let c = 0; c < n2; c++) g[cols[c]!] = o.reg * ((off ? off.g[c]! : 0) + Math.log(v[c]!));
  const report = makeFitReport({
    reason,
    ...(reason === 'converged' ? { criterion: 'tol' } : {}),
    iterations: run.iterations,
    elapsedMs,
  });
  return Object.freeze({ cost, plan, marginalError: run.marginalError, potentials: Object.freeze({ f, g }), report });
}

/** Largest |M_ij|/ε the log method accepts: beyond it f̃_i + g̃_j − M_ij/ε can overflow to ±∞ (NaN potentials). */
const LOG_MAX_EXPONENT = 1e300;

/** Throws a DomainError when max |M_ij|/reg over the rows in use exceeds {@link LOG_MAX_EXPONENT}. */
function assertLogRange(where: string, rows: readonly Float64Array[], reg: number): void {
  let mx = 0;
  for (const r of rows) for (let j = 0; j < r.length; j++) mx = Math.max(mx, Math.abs(r[j]!));
  if (!(mx / reg <= LOG_MAX_EXPONENT)) {
    throw new DomainError(
      `${where}: option 'reg' = ${reg} is too small for M (max |M_ij| = ${mx}): the log method needs max |M_ij|/reg ≤ 1e+300, got ${mx / reg}; increase options.reg or rescale M`,
    );
  }
}

/**
 * Writes row r of Π_rj = u_r K_rj v_j (K's row at kOff, M's row mRow) into `row` (at column cols[j], or j when cols is null) and returns
 * its share Σ_j Π_rj M_rj of the cost. A plain function with a local accumulator, so the O(n·m) loop
 * keeps its sum in a register (a closure's captured `let` is boxed on every update).
 */
function writePlanRow(
  K: Float64Array,
  kOff: number,
  mRow: Float64Array,
  ur: number,
  v: Float64Array,
  n2: number,
  cols: Int32Array | null,
  row: Float64Array,
): number {
  let c = 0;
  if (cols === null) {
    for (let j = 0; j < n2; j++) {
      const pij = ur * K[kOff + j]! * v[j]!;
      row[j] = pij;
      c += pij * mRow[j]!;
    }
  } else {
    for (let j = 0; j < n2; j++) {
      const pij = ur * K[kOff + j]! * v[j]!;
      row[cols[j]!] = pij;
      c += pij * mRow[j]!;
    }
  }
  return c;
}
