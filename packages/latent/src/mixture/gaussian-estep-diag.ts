/**
 * The fused E-step of `eStepStatistics` for diagonal and spherical covariances on the WebAssembly SIMD
 * kernels of `diag-kernel.ts` (used by `fitGaussianMixture`, which keeps one {@link DiagWork} per fit).
 * Per block of rows: the kernel computes $q_{ik} = \sum_j (x_{ij}-\mu_{kj})^2/\sigma^2_{kj}$; JavaScript turns
 * them into $\ell_{ik} = \log\pi_k - \tfrac d2\log 2\pi + \log|P_k| - \tfrac12 q_{ik}$, the max-shifted
 * log-sum-exp $\log p(x_i) = m_i + \log\sum_k e^{\ell_{ik}-m_i}$ and the responsibilities $r_{ik}$ (in
 * place, same code as the scalar path); the kernel then adds $r_{ik}(x_i-\mu_k)$ and $r_{ik}(x_i-\mu_k)^2$ to the
 * sufficient statistics while the block is still in cache. Same formulas and log-space handling as the
 * scalar path; only the order of the d-term sums differs (four interleaved partial sums), so results
 * agree to rounding (the test bounds the difference).
 */
import type { Dense } from '../util/data.js';
import { createDiagKernel, type DiagKernel } from './diag-kernel.js';
import { expShiftInPlace, LOG_2PI, type PrecisionCholesky } from './gaussian-density.js';
import type { SufficientStats } from './gaussian-params.js';

/** Rows per kernel call: the block of X (≤ 128·dp doubles) stays in L2 between the two kernels. */
const BLOCK = 128;

/**
 * Responsibilities below this are set to 0 before the moments kernel: products with subnormal numbers
 * take a microcode assist on x86 (≈ 100× slower), and well-separated components produce many
 * $r_{ik} \approx e^{-710}$. The change to $N_k$ is at most $n\cdot 10^{-200}$, far below the $10\,\varepsilon$
 * that the M-step adds to every $N_k$.
 */
const TINY = 1e-200;

/** X copied once into a kernel instance's memory, plus the per-iteration buffers. @internal */
export interface DiagWork {
  kernel: DiagKernel;
  n: number;
  d: number;
  K: number;
  /** d rounded up to a multiple of 4 (zero padding) */
  dp: number;
  xPtr: number;
  muPtr: number;
  pPtr: number;
  qPtr: number;
  s1Ptr: number;
  s2Ptr: number;
  heap: Float64Array;
}

/** WebAssembly (32-bit) memory holds at most 65 536 pages of 64 KiB. */
const MAX_WASM_BYTES = 65536 * 65536;

/**
 * Copies X (n×d, row-major) into a fresh kernel instance; null when WebAssembly SIMD is unavailable or
 * when X (padded to a multiple of 4 columns) plus the buffers does not fit in a WebAssembly memory
 * (over 4 GiB, or the engine refuses to grow it), so that the fit falls back to the scalar E-step
 * instead of failing with a `RangeError`. @internal
 */
export function createDiagWork(X: Dense, K: number): DiagWork | null {
  const { n, d, data } = X;
  const dp = Math.ceil(d / 4) * 4;
  const xPtr = 0;
  const muPtr = xPtr + n * dp * 8;
  const pPtr = muPtr + K * dp * 8;
  const qPtr = pPtr + K * dp * 8;
  const s1Ptr = qPtr + BLOCK * K * 8;
  const s2Ptr = s1Ptr + K * dp * 8;
  const bytes = s2Ptr + K * dp * 8;
  if (!(bytes <= MAX_WASM_BYTES)) return null;
  const kernel = createDiagKernel();
  if (!kernel) return null;
  const have = kernel.memory.buffer.byteLength;
  if (bytes > have) {
    try {
      kernel.memory.grow(Math.ceil((bytes - have) / 65536));
    } catch {
      return null; // RangeError: the engine could not reserve the memory
    }
  }
  const heap = new Float64Array(kernel.memory.buffer);
  for (let i = 0; i < n; i++) heap.set(data.subarray(i * d, (i + 1) * d), i * dp);
  return { kernel, n, d, K, dp, xPtr, muPtr, pPtr, qPtr, s1Ptr, s2Ptr, heap };
}

/** Diagonal/spherical E-step on the kernels; see `eStepStatistics`. @internal */
export function eStepStatisticsDiag(
  w: DiagWork,
  weights: Float64Array,
  means: Float64Array,
  P: PrecisionCholesky,
  ll: Float64Array,
): { bound: number; stats: SufficientStats } {
  const { kernel, n, d, K, dp, heap } = w;
  const f = P.factors;
  const diag = P.type === 'diag';
  const mu0 = w.muPtr >> 3;
  const p0 = w.pPtr >> 3;
  const q0 = w.qPtr >> 3;
  const s10 = w.s1Ptr >> 3;
  const s20 = w.s2Ptr >> 3;
  heap.fill(0, mu0, mu0 + 2 * K * dp); // means and precisions (padding stays 0)
  heap.fill(0, s10, s10 + 2 * K * dp);
  const c = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    c[k] = -0.5 * d * LOG_2PI + (P.logDet[k] as number) + Math.log(weights[k] as number);
    for (let j = 0; j < d; j++) {
      heap[mu0 + k * dp + j] = means[k * d + j] as number;
      heap[p0 + k * dp + j] = (diag ? (f[k * d + j] as number) : (f[k] as number)) ** 2;
    }
  }
  const nk = new Float64Array(K);
  let total = 0;
  for (let b = 0; b < n; b += BLOCK) {
    const rows = Math.min(BLOCK, n - b);
    const xAt = w.xPtr + b * dp * 8;
    kernel.dist(xAt, rows, dp, w.muPtr, w.pPtr, K, w.qPtr);
    for (let r = 0; r < rows; r++) {
      const o = q0 + r * K;
      let m = Number.NEGATIVE_INFINITY;
      for (let k = 0; k < K; k++) {
        const v = (c[k] as number) - 0.5 * (heap[o + k] as number);
        heap[o + k] = v;
        if (v > m) m = v;
      }
      const s = expShiftInPlace(heap, K, m, o);
      const l = m + Math.log(s);
      ll[b + r] = l;
      total += l;
      const inv = 1 / s;
      for (let k = 0; k < K; k++) {
        let rk = (heap[o + k] as number) * inv;
        if (rk < TINY) rk = 0; // keeps subnormals out of the moments kernel
        heap[o + k] = rk;
        nk[k] += rk;
      }
    }
    kernel.moments(xAt, rows, dp, w.qPtr, K, w.s1Ptr, w.s2Ptr, w.muPtr);
  }
  const s1 = new Float64Array(K * d);
  const s2 = new Float64Array(K * d);
  for (let k = 0; k < K; k++) {
    s1.set(heap.subarray(s10 + k * dp, s10 + k * dp + d), k * d);
    s2.set(heap.subarray(s20 + k * dp, s20 + k * dp + d), k * d);
  }
  return { bound: total / n, stats: { nk, s1, s2, shift: means } };
}
