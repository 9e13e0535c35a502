/**
 * Sinkhorn iterations on a clean problem restricted to positive weights (Cuturi 2013; Peyré & Cuturi,
 * *Computational Optimal Transport* (2019), §4.2 and Remark 4.23 for the log domain).
 *
 * Both kernels alternate the column update (v or g) and the row update (u or f), so after each
 * iteration the rows of the plan sum to a exactly and the stopping test is the column violation
 * ‖Πᵀ1 − b‖₂ < tol, as POT's `sinkhorn_knopp` / `sinkhorn_log`. That violation is read off the product
 * Kᵀu (K̃ᵀu in the log-stabilised variant) that the next column update needs anyway, so it costs nothing and
 * is tested every iteration (POT tests every 10th).
 * @internal
 */
import { ConvergenceError } from '@notes/core-linalg';
import { createKernelStore } from './kernel-store.js';

/** State after a run: the plan on the support is Π_ij = u_i K_{i·ld + j} v_j (row-major K, n×m). */
export interface SinkhornRun {
  K: Float64Array;
  /** Row stride of K (≥ m; the WebAssembly kernels pad rows to a multiple of 4). */
  ld: number;
  u: Float64Array;
  v: Float64Array;
  /** The log method's dimensionless potentials f̃, g̃ with K_ij = e^{f̃_i + g̃_j − M_ij/ε}; null for the standard method (f̃ = g̃ = 0). */
  logOffsets: { f: Float64Array; g: Float64Array } | null;
  iterations: number;
  converged: boolean;
  /** ‖Πᵀ1 − b‖₂ of the plan before the last row update (POT's `err`). */
  marginalError: number;
}

/** Shared loop controls. */
export interface LoopControls {
  /** Threshold on ‖Πᵀ1 − b‖₂ / mass (relative to the mass, so tiny or huge weights neither stop at once nor never). */
  tol: number;
  /** Total mass Σa (= Σb). */
  mass: number;
  maxIterations: number;
}

/**
 * Standard (scaling) Sinkhorn: v = b ⊘ Kᵀu, u = a ⊘ Kv, K = e^{−M/ε}, on a {@link KernelStore}.
 * A generator: after every iteration it yields the run's state (the same object, updated; the plan
 * diag(u)·K·diag(v) then has rows summing to a exactly), and returns it at the end.
 */
export function* sinkhornStandard(
  a: Float64Array,
  b: Float64Array,
  cost: readonly Float64Array[],
  reg: number,
  ctl: LoopControls,
): Generator<SinkhornRun, SinkhornRun, void> {
  const n = a.length;
  const m = b.length;
  const store = createKernelStore(n, m, 3);
  const v = store.vector();
  let ktu = store.vector();
  let next = store.vector();
  const u = new Float64Array(n);
  // K = e^{−M/ε} with its column sums: Kᵀu for the uniform start u = 1/n
  store.buildFromCost(cost, -1 / reg, ktu);
  for (let j = 0; j < m; j++) ktu[j] = ktu[j]! / n;
  const tol2 = ctl.tol * ctl.tol;
  let it = 0;
  const state: SinkhornRun = {
    K: store.K,
    ld: store.ld,
    u,
    v: v.subarray(0, m),
    logOffsets: null,
    iterations: 0,
    converged: false,
    marginalError: Number.POSITIVE_INFINITY,
  };
  for (;;) {
    if (it > 0) {
      const e2 = columnError2(v, ktu, b, ctl.mass);
      state.marginalError = Math.sqrt(e2) * ctl.mass;
      if (e2 < tol2) {
        state.converged = true;
        break;
      }
    }
    if (it >= ctl.maxIterations) break;
    for (let j = 0; j < m; j++) {
      const t = ktu[j]!;
      if (!(t > 0) || t === Number.POSITIVE_INFINITY) throw breakdown(it, reg);
      v[j] = b[j]! / t;
    }
    if (!store.rowUpdate(v, a, u, next, 0)) throw breakdown(it, reg);
    const t = ktu;
    ktu = next;
    next = t;
    it++;
    state.iterations = it;
    yield state;
  }
  return state;
}

/**
 * ‖diag(v)·Kᵀu − b‖₂² / mass² given ktu = Kᵀu: the relative column-marginal
 * violation both kernels stop on (divided before squaring, so weights of 1e-150 do not underflow; for
 * mass 1 it is POT's criterion exactly).
 */
export function columnError2(v: Float64Array, ktu: Float64Array, b: Float64Array, mass: number): number {
  let e2 = 0;
  for (let j = 0; j < b.length; j++) {
    const d = (v[j]! * ktu[j]! - b[j]!) / mass;
    e2 += d * d;
  }
  return e2;
}

function breakdown(it: number, reg: number): ConvergenceError {
  return new ConvergenceError(
    `sinkhorn: the scaling iteration under/overflowed at iteration ${it} (reg = ${reg} is too small for e^{−M/reg}); use method: 'log'`,
    it,
  );
}
