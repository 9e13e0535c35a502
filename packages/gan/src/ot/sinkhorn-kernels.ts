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
import { getSinkhornWasm, type SinkhornWasm } from './sinkhorn-wasm.js';

/** State after a run: the plan on the support is Π_ij = u_i K_{i·ld + j} v_j (row-major K, n×m). */
export interface SinkhornRun {
  K: Float64Array;
  /** Row stride of K (≥ m; the WebAssembly kernels pad rows to a multiple of 4). */
  ld: number;
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

/**
 * Smallest n·m that goes to WebAssembly: below it, creating the per-problem memory and instance costs
 * more than the SIMD loops save (measured crossover near 64×64).
 */
export const WASM_MIN_ENTRIES = 4096;

/**
 * Which kernels {@link sinkhornStandard} uses: 'auto' = WebAssembly SIMD when available and
 * n·m ≥ {@link WASM_MIN_ENTRIES}, 'wasm' = whenever available (tests), 'js' = JavaScript.
 */
export type SinkhornBackend = 'auto' | 'wasm' | 'js';
let backend: SinkhornBackend = 'auto';

/** Selects the kernels of the standard iteration (tests run both); returns the previous choice. */
export function setSinkhornBackend(b: SinkhornBackend): SinkhornBackend {
  const prev = backend;
  backend = b;
  return prev;
}

/**
 * Standard (scaling) Sinkhorn: v = b ⊘ Kᵀu, u = a ⊘ Kv, K = e^{−M/ε} — with the WebAssembly SIMD
 * kernels of `sinkhorn-wasm.ts` when they are available and n·m ≥ {@link WASM_MIN_ENTRIES} (same
 * iteration, two doubles per instruction), else in JavaScript.
 */
export function sinkhornStandard(
  a: Float64Array,
  b: Float64Array,
  cost: readonly Float64Array[],
  reg: number,
  ctl: LoopControls,
): SinkhornRun {
  const m = b.length;
  const ld = Math.ceil(m / 4) * 4;
  // K, then v, two Kᵀu buffers, a row of M and 8 partial sums
  const useWasm = backend === 'wasm' || (backend === 'auto' && a.length * m >= WASM_MIN_ENTRIES);
  const w = useWasm ? getSinkhornWasm(8 * ((a.length + 4) * ld + 8)) : null;
  return w ? sinkhornStandardWasm(a, b, cost, reg, ctl, w, ld) : sinkhornStandardJs(a, b, cost, reg, ctl);
}

function sinkhornStandardJs(
  a: Float64Array,
  b: Float64Array,
  cost: readonly Float64Array[],
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
    const mi = cost[i]!;
    for (let j = 0; j < m; j++) {
      const kij = expFdlibm(mi[j]! * s);
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
  return { K, ld: m, u, v, iterations: it, converged, marginalError: err };
}

/** {@link sinkhornStandard} on the WebAssembly kernels: K (n rows of stride ld, zero-padded) lives in w's memory. */
function sinkhornStandardWasm(
  a: Float64Array,
  b: Float64Array,
  cost: readonly Float64Array[],
  reg: number,
  ctl: LoopControls,
  w: SinkhornWasm,
  ld: number,
): SinkhornRun {
  const n = a.length;
  const m = b.length;
  const rowBytes = 8 * ld;
  const vPtr = n * rowBytes;
  const srcPtr = vPtr + 3 * rowBytes;
  const sumsPtr = srcPtr + rowBytes;
  const buf = w.memory.buffer;
  const K = new Float64Array(buf, 0, n * ld);
  const v = new Float64Array(buf, vPtr, ld);
  const bufs = [new Float64Array(buf, vPtr + rowBytes, ld), new Float64Array(buf, vPtr + 2 * rowBytes, ld)] as const;
  const ptrs = [vPtr + rowBytes, vPtr + 2 * rowBytes] as const;
  const src = new Float64Array(buf, srcPtr, ld);
  const sums = new Float64Array(buf, sumsPtr, 8);
  const u = new Float64Array(n);
  // K = e^{−M/ε} row by row (padding: M = +∞ → K = 0), its column sums accumulating in bufs[0]
  src.fill(Number.POSITIVE_INFINITY, m);
  const s = -1 / reg;
  for (let i = 0; i < n; i++) {
    src.set(cost[i]!);
    w.expRow(srcPtr, i * rowBytes, srcPtr + rowBytes, s, ptrs[0]);
  }
  let cur = 0;
  let ktu = bufs[0];
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
    // u = a ⊘ Kv and the next Kᵀu, four rows per pair of kernel calls (rest in JavaScript)
    const out = bufs[1 - cur]!;
    const outPtr = ptrs[1 - cur]!;
    out.fill(0);
    let i = 0;
    for (; i + 3 < n; i += 4) {
      const k = i * rowBytes;
      w.dot4(k, rowBytes, vPtr, vPtr + rowBytes, sumsPtr);
      const s0 = sums[0]! + sums[1]!;
      const s1 = sums[2]! + sums[3]!;
      const s2 = sums[4]! + sums[5]!;
      const s3 = sums[6]! + sums[7]!;
      if (!(inRange(s0, 0) && inRange(s1, 0) && inRange(s2, 0) && inRange(s3, 0))) throw breakdown(it, reg);
      const u0 = a[i]! / s0;
      const u1 = a[i + 1]! / s1;
      const u2 = a[i + 2]! / s2;
      const u3 = a[i + 3]! / s3;
      u[i] = u0;
      u[i + 1] = u1;
      u[i + 2] = u2;
      u[i + 3] = u3;
      w.axpy4(k, rowBytes, u0, u1, u2, u3, outPtr, outPtr + rowBytes);
    }
    for (; i < n; i++) {
      const off = i * ld;
      let si = 0;
      for (let j = 0; j < m; j++) si += K[off + j]! * v[j]!;
      if (!inRange(si, 0)) throw breakdown(it, reg);
      const ui = a[i]! / si;
      u[i] = ui;
      addRow(K, off, m, ui, out);
    }
    cur = 1 - cur;
    ktu = out;
    it++;
    if (it % CHECK_EVERY === 0) {
      throwIfAborted('sinkhorn', ctl.signal);
      ctl.onProgress?.({ iteration: it, marginalError: err });
    }
  }
  return { K, ld, u, v: v.subarray(0, m), iterations: it, converged, marginalError: err };
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
