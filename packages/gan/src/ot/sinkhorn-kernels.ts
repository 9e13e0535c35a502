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
import { expFdlibm } from './exp.js';

/** State after a run: the plan on the support is Π_ij = u_i K_ij v_j (row-major K, n×m). */
export interface SinkhornRun {
  K: Float64Array;
  u: Float64Array;
  v: Float64Array;
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
  const u = new Float64Array(n).fill(1 / n);
  const v = new Float64Array(m).fill(1 / m);
  let ktu = new Float64Array(m);
  let next = new Float64Array(m);
  // K = e^{−M/ε} in one pass that also sums its columns: Kᵀu for the uniform start u = 1/n
  const s = -1 / reg;
  for (let i = 0; i < n; i++) {
    const off = i * m;
    for (let j = 0; j < m; j++) {
      const kij = expFdlibm(cost[off + j]! * s);
      K[off + j] = kij;
      ktu[j] = ktu[j]! + kij;
    }
  }
  for (let j = 0; j < m; j++) ktu[j] = ktu[j]! / n;
  const tol2 = ctl.tol * ctl.tol;
  let it = 0;
  let err = Number.POSITIVE_INFINITY;
  let converged = false;
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
    if (!rowUpdate(K, v, a, u, next, n, m, 0)) throw breakdown(it, reg);
    const t = ktu;
    ktu = next;
    next = t;
    it++;
    if (it % CHECK_EVERY === 0) {
      throwIfAborted('sinkhorn', ctl.signal);
      ctl.onProgress?.({ iteration: it, marginalError: err });
    }
  }
  return { K, u, v, iterations: it, converged, marginalError: err };
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

/** out = Kᵀu for row-major K (n×m), four rows per sweep over out. */
export function mulTransposed(K: Float64Array, u: Float64Array, n: number, m: number, out: Float64Array): void {
  out.fill(0);
  let i = 0;
  for (; i + 3 < n; i += 4) addFourRows(K, i * m, m, u[i]!, u[i + 1]!, u[i + 2]!, u[i + 3]!, out);
  for (; i < n; i++) addRow(K, i * m, m, u[i]!, out);
}

/**
 * The row half of a scaling iteration in one pass over K: u_i = a_i / (Kv)_i for every row and
 * out = Kᵀu. Rows go four at a time — their four dot products share the loads of v, then one sweep adds
 * all four scaled rows into out — so out is read and written once per four rows, not once per row.
 * Returns false (u, out incomplete) when some (Kv)_i is not in (floor, ∞).
 */
export function rowUpdate(
  K: Float64Array,
  v: Float64Array,
  a: Float64Array,
  u: Float64Array,
  out: Float64Array,
  n: number,
  m: number,
  floor: number,
): boolean {
  out.fill(0);
  let i = 0;
  for (; i + 3 < n; i += 4) {
    const o0 = i * m;
    const o1 = o0 + m;
    const o2 = o1 + m;
    const o3 = o2 + m;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let j = 0; j < m; j++) {
      const vj = v[j]!;
      s0 += K[o0 + j]! * vj;
      s1 += K[o1 + j]! * vj;
      s2 += K[o2 + j]! * vj;
      s3 += K[o3 + j]! * vj;
    }
    if (!(inRange(s0, floor) && inRange(s1, floor) && inRange(s2, floor) && inRange(s3, floor))) return false;
    const u0 = a[i]! / s0;
    const u1 = a[i + 1]! / s1;
    const u2 = a[i + 2]! / s2;
    const u3 = a[i + 3]! / s3;
    u[i] = u0;
    u[i + 1] = u1;
    u[i + 2] = u2;
    u[i + 3] = u3;
    addFourRows(K, o0, m, u0, u1, u2, u3, out);
  }
  for (; i < n; i++) {
    const off = i * m;
    let s0 = 0;
    for (let j = 0; j < m; j++) s0 += K[off + j]! * v[j]!;
    if (!inRange(s0, floor)) return false;
    const ui = a[i]! / s0;
    u[i] = ui;
    addRow(K, off, m, ui, out);
  }
  return true;
}

const inRange = (s: number, floor: number) => s > floor && s !== Number.POSITIVE_INFINITY;

/** out[j] += u0·K[o0 + j] + … + u3·K[o0 + 3m + j] (four consecutive rows from offset o0). */
function addFourRows(
  K: Float64Array,
  o0: number,
  m: number,
  u0: number,
  u1: number,
  u2: number,
  u3: number,
  out: Float64Array,
): void {
  const o1 = o0 + m;
  const o2 = o1 + m;
  const o3 = o2 + m;
  for (let j = 0; j < m; j++) out[j] = out[j]! + (K[o0 + j]! * u0 + K[o1 + j]! * u1 + (K[o2 + j]! * u2 + K[o3 + j]! * u3));
}

/** out[j] += α·K[off + j]. */
function addRow(K: Float64Array, off: number, m: number, alpha: number, out: Float64Array): void {
  for (let j = 0; j < m; j++) out[j] = out[j]! + alpha * K[off + j]!;
}

function breakdown(it: number, reg: number): ConvergenceError {
  return new ConvergenceError(
    `sinkhorn: the scaling iteration under/overflowed at iteration ${it} (reg = ${reg} is too small for e^{−M/reg}); use method: 'log'`,
    it,
  );
}
