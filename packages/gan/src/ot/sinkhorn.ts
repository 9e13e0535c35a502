import { assertInteger, assertPositive, DomainError, type MatrixInput } from '@notes/core-linalg';
import { buildMatrix } from './matrix-io.js';
import type { Matrix } from 'ml-matrix';
import { type LoopControls, sinkhornStandard } from './sinkhorn-kernels.js';
import { sinkhornLog } from './sinkhorn-log.js';
import { support, validateProblemRows } from './validate.js';

/** Options of {@link sinkhorn}. `reg` is required. */
export interface SinkhornOptions {
  /** Entropic regularisation ε > 0 (same units as M). */
  reg: number;
  /** Stop when the column-marginal violation ‖Πᵀ1 − b‖₂ < tol (POT's `stopThr`). @defaultValue 1e-9 */
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
  /** Called every 16 iterations. @defaultValue undefined */
  onProgress?: (info: { iteration: number; marginalError: number }) => void;
  /** Aborts the iteration (AbortError). @defaultValue undefined */
  signal?: AbortSignal;
}

const DEFAULTS = {
  tol: 1e-9,
  maxIterations: 10000,
  method: 'log',
  normalize: false,
} satisfies Required<Omit<SinkhornOptions, 'reg' | 'onProgress' | 'signal'>>;

/** Result of {@link sinkhorn}. */
export interface SinkhornResult {
  /** ⟨Π, M⟩ without the entropy term — what POT's `sinkhorn2` returns. */
  cost: number;
  /** The entropic plan Π = diag(u) K diag(v) (rows sum to a exactly). */
  plan: Matrix;
  iterations: number;
  converged: boolean;
  reason: 'tolerance' | 'max-iterations';
  /** Final ‖Πᵀ1 − b‖₂. */
  marginalError: number;
  /**
   * Dual potentials (f, g) of the entropic problem, in the units of M: Π_ij = e^{(f_i + g_j − M_ij)/ε}
   * (f = ε log u, g = ε log v in the scaling form). −∞ at zero-weight rows/columns, whose scalings are 0
   * (as POT's `log_u`, `log_v`), and at a positive weight so small (≈ 1e-300 of its row's kernel mass)
   * that its scaling underflows to 0 (that row or column of the plan is then 0); never NaN. At convergence ⟨a, f⟩ + ⟨b, g⟩ − ε·Σa equals the entropic objective
   * ⟨Π, M⟩ + ε Σ Π_ij (log Π_ij − 1).
   */
  potentials: { f: Float64Array; g: Float64Array };
}

/**
 * Entropy-regularised optimal transport by Sinkhorn's algorithm (Cuturi 2013):
 * $$\Pi^\varepsilon = \arg\min_{\Pi \in U(a,b)} \langle \Pi, M\rangle - \varepsilon H(\Pi),\qquad
 *   \Pi^\varepsilon = \mathrm{diag}(u)\,e^{-M/\varepsilon}\,\mathrm{diag}(v)$$
 * returning cost = ⟨Π^ε, M⟩ (POT's `sinkhorn2`), which tends to the exact OT cost ({@link emd}) as
 * ε → 0. The default log-domain iteration (Peyré & Cuturi 2019, Remark 4.23) stays finite down to
 * ε = 1e-3·max(M) and below, where the standard one underflows. Zero-weight rows/columns get zero mass.
 * Matches POT's `ot.sinkhorn2` (methods 'sinkhorn' and 'sinkhorn_log') to 1e-8 in `sinkhorn.test.ts`.
 * The O(n·m) passes (the kernel's exponentials, u = a ⊘ Kv with Kᵀu) run on WebAssembly SIMD kernels
 * assembled in the package when the runtime has them and n·m ≥ 4096, else in JavaScript — same
 * iteration either way (tests run both). A `Matrix` M is read in place, never copied or written, so it
 * must not change during the call (e.g. from `onProgress`): the log method re-reads it at every rebuild.
 * @throws ShapeError, NonFiniteError, DomainError (bad weights/shape, unequal masses without
 *   `normalize`, reg ≤ 0 or non-finite, bad tol/maxIterations/method, and for the log method
 *   max |M_ij|/reg > 1e300 on the support, where the potentials would overflow); ConvergenceError when the
 *   standard method under/overflows; AbortError through `signal`.
 * @example sinkhorn([0.5, 0.5], [0.5, 0.5], [[0, 1], [1, 0]], { reg: 1 }).plan.get(0, 0) // 0.3655
 */
export function sinkhorn(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  M: MatrixInput,
  options: SinkhornOptions,
): SinkhornResult {
  const where = 'sinkhorn';
  if (typeof options !== 'object' || options === null || options.reg === undefined) {
    throw new DomainError(`${where}: argument 'options.reg' is required (the entropic regularisation, > 0)`);
  }
  const opts = {
    reg: options.reg,
    tol: options.tol ?? DEFAULTS.tol,
    maxIterations: options.maxIterations ?? DEFAULTS.maxIterations,
    method: options.method ?? DEFAULTS.method,
    normalize: options.normalize ?? DEFAULTS.normalize,
    onProgress: options.onProgress,
    signal: options.signal,
  };
  assertPositive(where, 'options.reg', opts.reg);
  assertPositive(where, 'options.tol', opts.tol);
  assertInteger(where, 'options.maxIterations', opts.maxIterations, 1);
  if (opts.method !== 'log' && opts.method !== 'standard') {
    throw new DomainError(`${where}: argument 'options.method' must be 'log' or 'standard', got ${String(opts.method)}`);
  }
  const p = validateProblemRows(where, a, b, M, opts.normalize);
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
  if (opts.method === 'log') assertLogRange(where, sub, opts.reg);
  const sa = Float64Array.from(rows, (i) => p.a[i]!);
  const sb = Float64Array.from(cols, (j) => p.b[j]!);
  const ctl: LoopControls = {
    tol: opts.tol,
    maxIterations: opts.maxIterations,
    signal: opts.signal,
    onProgress: opts.onProgress,
  };
  const run = (opts.method === 'standard' ? sinkhornStandard : sinkhornLog)(sa, sb, sub, opts.reg, ctl);

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
  for (let r = 0; r < n1; r++) f[rows[r]!] = opts.reg * ((off ? off.f[r]! : 0) + Math.log(u[r]!));
  for (let c = 0; c < n2; c++) g[cols[c]!] = opts.reg * ((off ? off.g[c]! : 0) + Math.log(v[c]!));
  return {
    cost,
    plan,
    potentials: { f, g },
    iterations: run.iterations,
    converged: run.converged,
    reason: run.converged ? 'tolerance' : 'max-iterations',
    marginalError: run.marginalError,
  };
}

/** Largest |M_ij|/ε the log method accepts: beyond it f̃_i + g̃_j − M_ij/ε can overflow to ±∞ (NaN potentials). */
const LOG_MAX_EXPONENT = 1e300;

/** Throws a DomainError when max |M_ij|/reg over the rows in use exceeds {@link LOG_MAX_EXPONENT}. */
function assertLogRange(where: string, rows: readonly Float64Array[], reg: number): void {
  let mx = 0;
  for (const r of rows) for (let j = 0; j < r.length; j++) mx = Math.max(mx, Math.abs(r[j]!));
  if (!(mx / reg <= LOG_MAX_EXPONENT)) {
    throw new DomainError(
      `${where}: argument 'options.reg' = ${reg} is too small for M (max |M_ij| = ${mx}): the log method needs max |M_ij|/reg ≤ 1e+300, got ${mx / reg}; increase options.reg or rescale M`,
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
