/**
 * GP log marginal likelihood and its gradient (notes: GP Regression).
 * $$\log p(y\mid X,\theta) = -\tfrac12 y^\top C^{-1}y - \tfrac12\log\det C - \tfrac n2\log 2\pi,\qquad C = K_\theta + \sigma^2 I$$
 * $$\frac{\partial\log p}{\partial\theta_j} = \tfrac12\,\mathrm{tr}\big((\alpha\alpha^\top - C^{-1})\,\partial K/\partial\theta_j\big),\qquad \alpha = C^{-1}y$$
 * Cholesky with adaptive jitter (core's `cholesky`), Rasmussen & Williams (2006) Alg. 2.1 and eq. 5.9.
 */
import {
  type CholeskyFactor,
  type MatrixInput,
  NonFiniteError,
  NotPositiveDefiniteError,
  RowMajorMatrix,
  ShapeError,
  matmul,
  toRowMajor,
} from '@notes/core-linalg';
import { ResidentCholesky, potrf, potri, potrs, trsvLower, trsvLowerTrans } from '@notes/core-linalg/kernels';
import { type Kernel, type Points, SumKernel, WhiteKernel } from '../kernels/index.js';
import { rbfLowerWithGradients, rbfPackedLower } from './fast-rbf.js';

/** Result of a log-ML evaluation. */
export interface LmlResult {
  value: number;
  /** $\partial\log p/\partial\theta$ (log-parameters), empty unless requested. */
  gradient: Float64Array;
  alpha: Float64Array;
  /** The Cholesky factor of C; `null` when the gradient was requested (its storage became C⁻¹). */
  factor: CholeskyFactor | null;
}

const LOG2PI = Math.log(2 * Math.PI);

/** Adds `noise` to the diagonal of a square row-major block (in place). */
export function addDiagonal(K: Float64Array, n: number, noise: number): void {
  for (let i = 0; i < n; i++) K[i * n + i] += noise;
}

/**
 * A Cholesky factor held as a row-major `Float64Array` (core's {@link CholeskyFactor} interface), whose solves
 * run on core's raw kernels (`@notes/core-linalg/kernels`). Built only from factors this module computed, so
 * the arguments need no validation beyond their lengths.
 */
class RawFactor implements CholeskyFactor {
  constructor(
    readonly lowerData: Float64Array,
    readonly n: number,
    readonly jitter: number,
  ) {}
  get L(): RowMajorMatrix {
    return new RowMajorMatrix(this.n, this.n, this.lowerData.slice());
  }
  solve(b: ArrayLike<number>): Float64Array {
    const x = Float64Array.from(b);
    potrs(this.lowerData, this.n, x, 1);
    return x;
  }
  solveMatrix(B: MatrixInput): RowMajorMatrix {
    const { data, rows, cols } = toRowMajor(B, 'CholeskyFactor.solveMatrix', 'B');
    if (rows !== this.n) throw new ShapeError(`CholeskyFactor.solveMatrix: argument 'B' must have ${this.n} rows, got ${rows}×${cols}`);
    potrs(this.lowerData, this.n, data, cols);
    return new RowMajorMatrix(rows, cols, data);
  }
  solveTriangular(b: ArrayLike<number>, options: { transpose?: boolean } = {}): Float64Array {
    const x = Float64Array.from(b);
    if (options.transpose) trsvLowerTrans(this.lowerData, this.n, x);
    else trsvLower(this.lowerData, this.n, x);
    return x;
  }
  logDet(): number {
    let s = 0;
    for (let i = 0; i < this.n; i++) s += Math.log(this.lowerData[i * this.n + i] as number);
    return 2 * s;
  }
  inverse(): RowMajorMatrix {
    return new RowMajorMatrix(this.n, this.n, potri(this.lowerData, this.n, undefined, true));
  }
}

/**
 * The jitter policy of core's `cholesky` (`'auto'`): none, then 1e-10, 1e-9, … × the mean diagonal of C up to
 * `maxJitter` (default 1e-2 × the mean diagonal). Reads only the lower triangle of K.
 * @throws NonFiniteError for a NaN/±∞ entry of K.
 */
function jitterAttempts(K: Float64Array, n: number, noise: number, maxJitter?: number): number[] {
  let meanDiag = 0;
  for (let i = 0; i < n; i++) {
    const row = i * n;
    for (let j = 0; j <= i; j++) {
      if (!Number.isFinite(K[row + j] as number)) {
        throw new NonFiniteError(`fitGP: the kernel matrix has a non-finite entry ${K[row + j]} at [${i}, ${j}]; the inputs may be too large for the kernel`);
      }
    }
    meanDiag += ((K[row + i] as number) + noise) / n;
  }
  return attemptsFor(meanDiag, maxJitter);
}

/** Jitter levels for a mean diagonal: 0, then 1e-10, 1e-9, … × it up to `maxJitter` (default 1e-2 × it). */
function attemptsFor(meanDiag: number, maxJitter?: number): number[] {
  const scale = meanDiag > 0 ? meanDiag : 1;
  const maxJ = maxJitter ?? 1e-2 * scale;
  const attempts = [0];
  for (let eps = 1e-10 * scale; eps <= maxJ * (1 + 1e-12); eps *= 10) attempts.push(eps);
  return attempts;
}

function notPositiveDefinite(attempts: number[], noise: number): NotPositiveDefiniteError {
  const tried = attempts[attempts.length - 1] as number;
  return new NotPositiveDefiniteError(
    `fitGP: kernel matrix is not positive definite even with diagonal jitter ${tried}; increase options.noise (now ${noise}) or add a white() kernel`,
    tried,
  );
}

/**
 * Factorises $C = K + (\sigma^2 + \epsilon) I$ in core's {@link ResidentCholesky} (WebAssembly memory; K is only
 * read, lower triangle), with the jitter policy of {@link factorC}. Null when the resident kernels are unavailable
 * (no WebAssembly SIMD, or n above their size limit).
 * @throws as {@link factorC}.
 */
function factorResident(
  K: Float64Array,
  n: number,
  noise: number,
  attempts: number[] = jitterAttempts(K, n, noise),
): { ws: ResidentCholesky; jitter: number } | null {
  const ws = ResidentCholesky.create(n);
  if (!ws) return null;
  for (const eps of attempts) {
    ws.load(K, n, noise + eps);
    if (ws.factor() < 0) return { ws, jitter: eps };
  }
  throw notPositiveDefinite(attempts, noise);
}

/**
 * Factorises $C = K(X,X) + \sigma^2 I$ **into K** (K's storage becomes the factor L, strict upper triangle
 * zeroed), with core's `cholesky` jitter policy (`'auto'`: none, then 1e-10, 1e-9, … × the mean diagonal up to
 * `maxJitter`, default 1e-2 × the mean diagonal). The factorisation runs in core's {@link ResidentCholesky}, which
 * keeps K pristine for a retry; without it (no WebAssembly SIMD) core's raw `potrf` factors in place and a retry
 * needs the pristine K again: `recompute` supplies it (else K is copied before the first attempt). K must be
 * symmetric (only its lower triangle is read).
 * @throws NonFiniteError for a NaN/±∞ entry of K; NotPositiveDefiniteError naming the fix (raise `noise`).
 */
export function factorC(K: Float64Array, n: number, noise: number, maxJitter?: number, recompute?: () => Float64Array): CholeskyFactor {
  const attempts = jitterAttempts(K, n, noise, maxJitter);
  const resident = factorResident(K, n, noise, attempts);
  if (resident) {
    resident.ws.copyLower(K, n);
    return new RawFactor(K, n, resident.jitter);
  }
  const pristine = recompute ? null : K.slice();
  for (let t = 0; t < attempts.length; t++) {
    const eps = attempts[t] as number;
    const work = t === 0 ? K : pristine ? pristine.slice() : (recompute as () => Float64Array)();
    addDiagonal(work, n, noise + eps);
    if (potrf(work, n) < 0) return new RawFactor(work, n, eps);
  }
  throw notPositiveDefinite(attempts, noise);
}

/** Orders above which a fit frees core's {@link ResidentCholesky} memory when it ends (8·1,024² bytes = 8 MiB). */
const KEEP_UP_TO = 1024;

/**
 * Frees core's {@link ResidentCholesky} module memory after a fit of order n > 1,024 (WebAssembly memory never
 * shrinks: it would keep ~8n² bytes, e.g. 32 MB at n = 2,000, until the process ends); smaller workspaces stay for
 * the next fit.
 */
export function releaseWorkspace(n: number): void {
  if (n > KEEP_UP_TO) ResidentCholesky.release();
}

/** One block of $\partial K/\partial\theta_q$: dense, or $c\,I$ (a free white-noise level). */
type GradientBlock = Float64Array | number;

/**
 * K and its gradients, with a free {@link WhiteKernel} term of a sum (at any depth of nested sums) given as
 * the scalar c of $\partial K = c\,I$ instead of an n×n matrix (the trace then needs only the diagonal), and
 * RBF / constant·RBF terms as lower triangles only (`fast-rbf.ts`). Only the lower triangles of the results
 * are meaningful.
 */
function kernelWithGradients(kernel: Kernel, pts: Points): { K: Float64Array; grads: GradientBlock[] } {
  if (kernel instanceof WhiteKernel) {
    const K = new Float64Array(pts.n * pts.n);
    const v = kernel.params[0]?.value[0] as number;
    addDiagonal(K, pts.n, v);
    return { K, grads: kernel.params[0]?.bounds === 'fixed' ? [] : [v] };
  }
  const fast = rbfLowerWithGradients(kernel, pts);
  if (fast) return fast;
  if (!(kernel instanceof SumKernel)) return kernel.computeGradient(pts);
  let K: Float64Array | null = null;
  const grads: GradientBlock[] = [];
  let diag = 0;
  for (const part of kernel.kernels) {
    if (part instanceof WhiteKernel) {
      const v = part.params[0]?.value[0] as number;
      diag += v;
      if (part.params[0]?.bounds !== 'fixed') grads.push(v);
      continue;
    }
    const r = kernelWithGradients(part, pts);
    if (K === null) K = r.K;
    else for (let i = 0; i < K.length; i++) K[i] = (K[i] as number) + (r.K[i] as number);
    grads.push(...r.grads);
  }
  const out = K ?? new Float64Array(pts.n * pts.n);
  if (diag !== 0) addDiagonal(out, pts.n, diag);
  return { K: out, grads };
}

/**
 * Cholesky-path log ML of centred targets `y` (already normalised if requested), optionally with gradient.
 * The gradient's traces $\tfrac12\mathrm{tr}((\alpha\alpha^\top - C^{-1})\partial K_q)$ read only the lower
 * triangles of C⁻¹ (formed in place of the factor) and of each dense ∂K_q; a white-noise term costs
 * $\tfrac12 c\,(\alpha^\top\alpha - \mathrm{tr}\,C^{-1})$. The factor and C⁻¹ live in core's `ResidentCholesky`
 * (WebAssembly memory); `sum(rbf(), white())`-shaped kernels skip every n×n JavaScript array ({@link lmlPacked}).
 * Without WebAssembly SIMD: core's `potrf`/`potri` on JavaScript arrays.
 */
export function lmlCholesky(kernel: Kernel, pts: Points, y: Float64Array, noise: number, withGradient: boolean): LmlResult {
  const n = pts.n;
  const packed = packedKernel(kernel, pts);
  if (packed) {
    const r = lmlPacked(packed, n, y, noise, withGradient);
    if (r) return r;
  }
  let K: Float64Array;
  let grads: GradientBlock[] = [];
  if (withGradient) ({ K, grads } = kernelWithGradients(kernel, pts));
  else K = kernel.computeMatrix(pts);
  if (grads.length > 0) {
    const resident = factorResident(K, n, noise);
    if (resident) return gradientResident(resident.ws, n, y, grads);
  }
  const factor = factorC(K, n, noise, undefined, () => kernel.computeMatrix(pts));
  const alpha = factor.solve(y);
  let yAlpha = 0;
  for (let i = 0; i < n; i++) yAlpha += y[i] * alpha[i];
  const value = -0.5 * yAlpha - 0.5 * factor.logDet() - 0.5 * n * LOG2PI;
  const gradient = new Float64Array(grads.length);
  if (grads.length === 0) return { value, gradient, alpha, factor };
  // lower triangle of C⁻¹, in place of L (the factor is not returned)
  const Cinv = potri(factor.lowerData, n, factor.lowerData, false, true);
  traces(Cinv, 0, n, n, alpha, grads, gradient);
  return { value, gradient, alpha, factor: null };
}

/**
 * A sum of exactly one RBF / constant·RBF term with one length scale and any white-noise terms (nested sums
 * flattened; the common `sum(rbf(), white())`): K's lower triangle packed (`E`, with `R` = r², see
 * `rbfPackedLower`), the white variances summed into `diag`, and the free log-parameters in `kernel.theta` order
 * (`'c'`: ∂K = E; `'ls'`: ∂K = E∘R; a number v: a white term, ∂K = vI).
 */
interface PackedKernel {
  E: Float64Array;
  R: Float64Array;
  diag: number;
  terms: ('c' | 'ls' | number)[];
}

function packedKernel(kernel: Kernel, pts: Points): PackedKernel | null {
  const parts: Kernel[] = [];
  const flatten = (k: Kernel): void => {
    if (k instanceof SumKernel) for (const p of k.kernels) flatten(p);
    else parts.push(k);
  };
  flatten(kernel);
  if (parts.filter((p) => !(p instanceof WhiteKernel)).length !== 1) return null;
  const terms: ('c' | 'ls' | number)[] = [];
  let diag = 0;
  let rbfPart: { E: Float64Array; R: Float64Array } | null = null;
  for (const part of parts) {
    if (part instanceof WhiteKernel) {
      const v = part.params[0]?.value[0] as number;
      diag += v;
      if (part.params[0]?.bounds !== 'fixed') terms.push(v);
      continue;
    }
    const r = rbfPackedLower(part, pts);
    if (!r) return null;
    rbfPart = r;
    terms.push(...r.terms);
  }
  return rbfPart ? { E: rbfPart.E, R: rbfPart.R, diag, terms } : null;
}

/**
 * The log ML (and gradient) of a {@link PackedKernel}: C = K + (σ² + ε)I loaded from the packed triangle into core's
 * {@link ResidentCholesky} (no n×n array in JavaScript), the jitter policy of {@link factorC}, the traces in one pass
 * over the packed triangle and C⁻¹'s lower triangle. Without the gradient the factor is copied out (the model
 * keeps it). Null when the resident kernels are unavailable.
 */
function lmlPacked(pk: PackedKernel, n: number, y: Float64Array, noise: number, withGradient: boolean): LmlResult | null {
  const { E, R, diag, terms } = pk;
  let meanDiag = 0;
  let q = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      if (!Number.isFinite(E[q + j] as number)) {
        throw new NonFiniteError(`fitGP: the kernel matrix has a non-finite entry ${E[q + j]} at [${i}, ${j}]; the inputs may be too large for the kernel`);
      }
    }
    meanDiag += ((E[q + i] as number) + diag + noise) / n;
    q += i + 1;
  }
  if (!Number.isFinite(diag)) throw new NonFiniteError(`fitGP: the kernel matrix has a non-finite diagonal (white-noise variance ${diag})`);
  const attempts = attemptsFor(meanDiag);
  const ws = ResidentCholesky.create(n);
  if (!ws) return null;
  let jitter = -1;
  for (const eps of attempts) {
    ws.loadPacked(E, diag + noise + eps);
    if (ws.factor() < 0) {
      jitter = eps;
      break;
    }
  }
  if (jitter < 0) throw notPositiveDefinite(attempts, noise);
  const { alpha, value } = residentValue(ws, n, y);
  if (!withGradient || terms.length === 0) {
    const L = new Float64Array(n * n);
    ws.copyLower(L, n);
    return { value, gradient: new Float64Array(0), alpha, factor: new RawFactor(L, n, jitter) };
  }
  ws.invert();
  const f = ws.data;
  const { offset, ld } = ws;
  // Σ over the lower triangle (off-diagonal twice) of w = α_iα_j − C⁻¹_ij times E and E∘R
  let sE = 0;
  let sER = 0;
  let aa = 0;
  let trCinv = 0;
  q = 0;
  for (let i = 0; i < n; i++) {
    const crow = offset + i * ld;
    const ai = alpha[i];
    let oE = 0;
    let oER = 0;
    for (let j = 0; j < i; j++) {
      const w = ai * alpha[j] - f[crow + j];
      const e = w * E[q + j];
      oE += e;
      oER += e * R[q + j];
    }
    const cii = f[crow + i];
    const wd = (ai * ai - cii) * E[q + i];
    sE += 2 * oE + wd;
    sER += 2 * oER + wd * R[q + i];
    aa += ai * ai;
    trCinv += cii;
    q += i + 1;
  }
  const gradient = Float64Array.from(terms, (t) => 0.5 * (t === 'c' ? sE : t === 'ls' ? sER : t * (aa - trCinv)));
  return { value, gradient, alpha, factor: null };
}

/** α = C⁻¹y and the log ML −½yᵀα − ½log det C − ½n log 2π from a factor resident in core's {@link ResidentCholesky}. */
function residentValue(ws: ResidentCholesky, n: number, y: Float64Array): { alpha: Float64Array; value: number } {
  const alpha = y.slice(0, n);
  ws.solve(alpha);
  let yAlpha = 0;
  for (let i = 0; i < n; i++) yAlpha += y[i] * alpha[i];
  return { alpha, value: -0.5 * yAlpha - 0.5 * ws.logDet() - 0.5 * n * LOG2PI };
}

/** The value and gradient from a factor resident in core's {@link ResidentCholesky} (C⁻¹ is formed there, in place). */
function gradientResident(ws: ResidentCholesky, n: number, y: Float64Array, grads: GradientBlock[]): LmlResult {
  const { alpha, value } = residentValue(ws, n, y);
  ws.invert();
  const gradient = new Float64Array(grads.length);
  traces(ws.data, ws.offset, ws.ld, n, alpha, grads, gradient);
  return { value, gradient, alpha, factor: null };
}

/**
 * gradient[q] = ½ tr((αα^T − C⁻¹) ∂K_q) from the lower triangles: C⁻¹ at `Cinv[off + i·ld + j]`, dense ∂K_q
 * row-major n×n; a white-noise term (a number c, ∂K = cI) costs ½ c (αᵀα − tr C⁻¹).
 */
function traces(Cinv: Float64Array, off: number, ld: number, n: number, alpha: Float64Array, grads: GradientBlock[], gradient: Float64Array): void {
  let aa = 0;
  let trCinv = 0;
  for (let i = 0; i < n; i++) {
    aa += alpha[i] * alpha[i];
    trCinv += Cinv[off + i * ld + i] as number;
  }
  // 1/2 tr((αα^T − C^{-1}) dK) = 1/2 Σ_ij (α_i α_j − C^{-1}_ij) dK_ij, both symmetric: diagonal + 2·strict lower
  for (let q = 0; q < grads.length; q++) {
    const G = grads[q] as GradientBlock;
    if (typeof G === 'number') {
      gradient[q] = 0.5 * G * (aa - trCinv);
      continue;
    }
    let s = 0;
    for (let i = 0; i < n; i++) {
      const row = i * n;
      const crow = off + i * ld;
      const ai = alpha[i];
      let o = 0;
      for (let j = 0; j < i; j++) o += (ai * alpha[j] - Cinv[crow + j]) * G[row + j];
      s += 2 * o + (ai * ai - Cinv[crow + i]) * G[row + i];
    }
    gradient[q] = 0.5 * s;
  }
}

/**
 * $M = L^{-1}$ for a row-major lower-triangular L: forward substitution on rows,
 * $M_{i,:} = (e_i - \sum_{k<i} L_{ik}M_{k,:})/L_{ii}$, n³/6 multiply-adds with contiguous inner loops.
 */
export function lowerTriangularInverse(L: Float64Array, n: number): Float64Array {
  const M = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let k = 0; k < i; k++) {
      const lik = L[ri + k];
      if (lik === 0) continue;
      const rk = k * n;
      for (let j = 0; j <= k; j++) M[ri + j] -= lik * M[rk + j];
    }
    M[ri + i] += 1;
    const inv = 1 / L[ri + i];
    for (let j = 0; j <= i; j++) M[ri + j] *= inv;
  }
  return M;
}

/** Copies the block rows [r0, r1) × columns [c0, c1) of a row-major n-column matrix. */
function block(A: Float64Array, n: number, r0: number, r1: number, c0: number, c1: number): Float64Array {
  const w = c1 - c0;
  const out = new Float64Array((r1 - r0) * w);
  for (let i = r0; i < r1; i++) out.set(A.subarray(i * n + c0, i * n + c1), (i - r0) * w);
  return out;
}

/**
 * $L^{-1}$ of a row-major lower-triangular L by recursive 2×2 blocking on core's GEMM:
 * $\begin{pmatrix}L_{11}&0\\L_{21}&L_{22}\end{pmatrix}^{-1} = \begin{pmatrix}L_{11}^{-1}&0\\-L_{22}^{-1}L_{21}L_{11}^{-1}&L_{22}^{-1}\end{pmatrix}$,
 * blocks of ≤ 64 by {@link lowerTriangularInverse}; ~n³/3 flops, almost all in GEMM.
 */
export function lowerTriangularInverseBlocked(L: Float64Array, n: number): Float64Array {
  if (n <= 64) return lowerTriangularInverse(L, n);
  const h = n >> 1;
  const r = n - h;
  const A = lowerTriangularInverseBlocked(block(L, n, 0, h, 0, h), h);
  const D = lowerTriangularInverseBlocked(block(L, n, h, n, h, n), r);
  const C = matmul(D, matmul(block(L, n, h, n, 0, h), A, r, h, h), r, r, h);
  const M = new Float64Array(n * n);
  for (let i = 0; i < h; i++) M.set(A.subarray(i * h, i * h + i + 1), i * n);
  for (let i = 0; i < r; i++) {
    const row = (h + i) * n;
    for (let j = 0; j < h; j++) M[row + j] = -(C[i * h + j] as number);
    M.set(D.subarray(i * r, i * r + i + 1), row + h);
  }
  return M;
}

/** $C^{-1} = L^{-\top}L^{-1}$ (full, symmetric) from the row-major Cholesky factor L by core's raw `potri` (L is not modified). */
export function inverseLowerFromCholesky(L: Float64Array, n: number): Float64Array {
  return potri(L, n, undefined, true);
}
