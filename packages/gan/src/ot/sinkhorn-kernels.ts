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
import { ConvergenceError, throwIfAborted } from '@notes/core-linalg';

/** State after a run: the plan is diag(e^{f/ε}) e^{−M/ε} diag(e^{g/ε}). */
export interface SinkhornRun {
  /** Row-major plan on the support. */
  plan: Float64Array;
  /** ⟨plan, cost⟩ accumulated while the plan is formed. */
  cost: number;
  iterations: number;
  converged: boolean;
  /** ‖Πᵀ1 − b‖₂ of the plan before the last row update (POT's `err`). */
  marginalError: number;
}

/** Shared loop controls. */
export interface LoopControls {
  tol: number;
  maxIterations: number;
  signal: AbortSignal | undefined;
  onProgress: ((info: { iteration: number; marginalError: number }) => void) | undefined;
}

/** Abort/progress check period (iterations). */
export const CHECK_EVERY = 16;

/** Standard (scaling) Sinkhorn: v = b ⊘ Kᵀu, u = a ⊘ Kv, K = e^{−M/ε}. */
export function sinkhornStandard(
  a: Float64Array,
  b: Float64Array,
  cost: Float64Array,
  reg: number,
  ctl: LoopControls,
): SinkhornRun {
  const n = a.length;
  const m = b.length;
  const K = new Float64Array(n * m);
  const s = -1 / reg;
  for (let k = 0; k < K.length; k++) K[k] = Math.exp(cost[k]! * s);
  const u = new Float64Array(n).fill(1 / n);
  const v = new Float64Array(m).fill(1 / m);
  let ktu = new Float64Array(m);
  let next = new Float64Array(m);
  const tol2 = ctl.tol * ctl.tol;
  let it = 0;
  let err = Number.POSITIVE_INFINITY;
  let converged = false;
  mulTransposed(K, u, n, m, ktu);
  for (;;) {
    if (it > 0) {
      const e2 = columnError2(v, ktu, b);
      err = Math.sqrt(e2);
      if (e2 < tol2) {
        converged = true;
        break;
      }
    }
    if (it >= ctl.maxIterations) break;
    for (let j = 0; j < m; j++) {
      const t = ktu[j]!;
      if (!(t > 0) || t === Number.POSITIVE_INFINITY) throw breakdown(it, reg);
      v[j] = b[j]! / t;
    }
    // one pass over K: row i gives (Kv)_i, hence u_i, and then its share u_i·K_i of the next Kᵀu
    next.fill(0);
    for (let i = 0; i < n; i++) {
      const off = i * m;
      const s = rowDot(K, off, v, m);
      if (!(s > 0) || s === Number.POSITIVE_INFINITY) throw breakdown(it, reg);
      const ui = a[i]! / s;
      u[i] = ui;
      rowAxpy(K, off, ui, next, m);
    }
    const t = ktu;
    ktu = next;
    next = t;
    it++;
    if (it % CHECK_EVERY === 0) {
      throwIfAborted('sinkhorn', ctl.signal);
      ctl.onProgress?.({ iteration: it, marginalError: err });
    }
  }
  const plan = K; // reuse: Π_ij = u_i K_ij v_j
  const total = formPlan(plan, u, v, cost, n, m);
  return { plan, cost: total, iterations: it, converged, marginalError: err };
}

/** ‖diag(v)·Kᵀu − b‖₂² given ktu = Kᵀu: the column-marginal violation both kernels stop on. */
export function columnError2(v: Float64Array, ktu: Float64Array, b: Float64Array): number {
  let e2 = 0;
  for (let j = 0; j < b.length; j++) {
    const d = v[j]! * ktu[j]! - b[j]!;
    e2 += d * d;
  }
  return e2;
}

/** Overwrites K with the plan Π_ij = u_i K_ij v_j and returns ⟨Π, cost⟩. */
export function formPlan(K: Float64Array, u: Float64Array, v: Float64Array, cost: Float64Array, n: number, m: number): number {
  let total = 0;
  for (let i = 0; i < n; i++) {
    const ui = u[i]!;
    const off = i * m;
    for (let j = 0; j < m; j++) {
      const pij = ui * K[off + j]! * v[j]!;
      K[off + j] = pij;
      total += pij * cost[off + j]!;
    }
  }
  return total;
}

/** out = Kᵀu for row-major K (n×m), four rows per sweep over out. */
export function mulTransposed(K: Float64Array, u: Float64Array, n: number, m: number, out: Float64Array): void {
  out.fill(0);
  let i = 0;
  for (; i + 3 < n; i += 4) {
    const u0 = u[i]!;
    const u1 = u[i + 1]!;
    const u2 = u[i + 2]!;
    const u3 = u[i + 3]!;
    const o0 = i * m;
    const o1 = o0 + m;
    const o2 = o1 + m;
    const o3 = o2 + m;
    for (let j = 0; j < m; j++) out[j] = out[j]! + (K[o0 + j]! * u0 + K[o1 + j]! * u1 + (K[o2 + j]! * u2 + K[o3 + j]! * u3));
  }
  for (; i < n; i++) {
    const ui = u[i]!;
    const off = i * m;
    for (let j = 0; j < m; j++) out[j] = out[j]! + K[off + j]! * ui;
  }
}

/** out[j] += α·K[off + j]. */
export function rowAxpy(K: Float64Array, off: number, alpha: number, out: Float64Array, m: number): void {
  let j = 0;
  for (; j + 3 < m; j += 4) {
    out[j] = out[j]! + alpha * K[off + j]!;
    out[j + 1] = out[j + 1]! + alpha * K[off + j + 1]!;
    out[j + 2] = out[j + 2]! + alpha * K[off + j + 2]!;
    out[j + 3] = out[j + 3]! + alpha * K[off + j + 3]!;
  }
  for (; j < m; j++) out[j] = out[j]! + alpha * K[off + j]!;
}

/** Σ_j K[off + j]·v[j] with four partial sums. */
export function rowDot(K: Float64Array, off: number, v: Float64Array, m: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let j = 0;
  for (; j + 3 < m; j += 4) {
    s0 += K[off + j]! * v[j]!;
    s1 += K[off + j + 1]! * v[j + 1]!;
    s2 += K[off + j + 2]! * v[j + 2]!;
    s3 += K[off + j + 3]! * v[j + 3]!;
  }
  for (; j < m; j++) s0 += K[off + j]! * v[j]!;
  return s0 + s1 + (s2 + s3);
}

function breakdown(it: number, reg: number): ConvergenceError {
  return new ConvergenceError(
    `sinkhorn: the scaling iteration under/overflowed at iteration ${it} (reg = ${reg} is too small for e^{−M/reg}); use method: 'log'`,
    it,
  );
}
