/**
 * SVGP (Hensman, Fusi & Lawrence 2013, "Gaussian Processes for Big Data"): an explicit q(u) = N(m, S) over the
 * inducing outputs and the minibatch-able ELBO
 * $$\mathcal L(q) = \sum_i \Big[\log\mathcal N(y_i\mid a_i^\top m, \sigma^2) - \frac{\tilde k_{ii} + a_i^\top S a_i}{2\sigma^2}\Big] - \mathrm{KL}\big(q(u)\,\|\,\mathcal N(0, K_{mm})\big),$$
 * $a_i = K_{mm}^{-1}k_{m i}$, $\tilde k_{ii} = k_{ii} - k_{mi}^\top K_{mm}^{-1}k_{mi}$, with q(u) updated by natural-gradient steps
 * (the notes' Natural Gradient section): in the natural parameters $\Lambda = S^{-1}$, $h = S^{-1}m$ the natural
 * gradient of $\mathcal L$ for a Gaussian likelihood is the difference to the minibatch target
 * $$\Lambda^\star = K_{mm}^{-1} + \tfrac{n}{|B|}\sigma^{-2}\textstyle\sum_{i\in B}a_ia_i^\top,\qquad h^\star = \tfrac{n}{|B|}\sigma^{-2}\sum_{i\in B}a_iy_i,$$
 * so a step of size γ is $(\Lambda, h) \leftarrow (1-\gamma)(\Lambda, h) + \gamma(\Lambda^\star, h^\star)$ (Hensman et al. 2013, §3.2;
 * Salimbeni, Eleftheriadis & Hensman 2018). With γ = 1 on the full batch it lands on the optimal q(u), where
 * $\mathcal L$ equals Titsias' collapsed bound (test). Here the kernel hyperparameters and σ² are held fixed
 * (e.g. taken from `fitSGPR`); jointly learning them with Adam on minibatches is not built yet.
 */
import { cholesky, fromRowMajor, matmul, matmulTransB } from '@notes/core-linalg';
import { potri } from '@notes/core-linalg/kernels';
import type { Kernel, Points } from '../kernels/index.js';
import { inputGradient } from './input-gradient.js';
import { type InducingFactor, inducingFactor } from './sgpr.js';

/** q(u) in natural parameters, and the inducing factor it refers to. */
export interface SVGPState {
  m: number;
  /** Λ = S⁻¹ (m×m). */
  lambda: Float64Array;
  /** h = S⁻¹ mean (m). */
  h: Float64Array;
}

/** Kmm⁻¹ (full, symmetric) from its Cholesky factor L, by core's raw `potri` on the GEMM. */
function kmmInverse(f: InducingFactor): Float64Array {
  return potri(f.L, f.m, undefined, true);
}

/** The prior q(u) = p(u) = N(0, K_mm): Λ = K_mm⁻¹, h = 0. */
export function svgpPrior(kernel: Kernel, Z: Points, jitter: number): SVGPState {
  const f = inducingFactor(kernel, Z, jitter);
  return { m: Z.n, lambda: kmmInverse(f), h: new Float64Array(Z.n) };
}

/** A = K_mm⁻¹ K_mB (m × |B|) for the rows `idx` of X. */
function aMatrix(kernel: Kernel, Z: Points, X: Points, idx: ArrayLike<number>, Linv: Float64Array): Float64Array {
  const b = idx.length;
  const data = new Float64Array(b * X.d);
  for (let j = 0; j < b; j++) data.set(X.data.subarray((idx[j] as number) * X.d, ((idx[j] as number) + 1) * X.d), j * X.d);
  const Kmb = kernel.computeMatrix(Z, { data, n: b, d: X.d });
  const m = Z.n;
  const V = matmul(Linv, Kmb, m, m, b);
  const LinvT = new Float64Array(m * m);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) LinvT[i * m + j] = Linv[j * m + i] as number;
  return matmul(LinvT, V, m, m, b);
}

/**
 * One natural-gradient step of size γ on the minibatch `idx` (the full data when it lists every row).
 * Returns the new state (the input is not changed).
 */
export function svgpNaturalStep(
  kernel: Kernel,
  Z: Points,
  X: Points,
  y: Float64Array,
  noise: number,
  jitter: number,
  state: SVGPState,
  idx: ArrayLike<number>,
  gamma: number,
): SVGPState {
  const m = Z.n;
  const f = inducingFactor(kernel, Z, jitter);
  const A = aMatrix(kernel, Z, X, idx, f.Linv);
  const b = idx.length;
  const scaleN = X.n / b / noise;
  const target = kmmInverse(f);
  const hStar = new Float64Array(m);
  for (let p = 0; p < m; p++) {
    let s = 0;
    for (let j = 0; j < b; j++) s += (A[p * b + j] as number) * (y[idx[j] as number] as number);
    hStar[p] = scaleN * s;
  }
  // target += (n/|B|)σ⁻² A Aᵀ (one GEMM), symmetrised
  const AAt = matmulTransB(A, A, m, b, m);
  for (let p = 0; p < m; p++) {
    for (let q = 0; q <= p; q++) {
      const t = scaleN * 0.5 * ((AAt[p * m + q] as number) + (AAt[q * m + p] as number));
      target[p * m + q] = (target[p * m + q] as number) + t;
      if (q !== p) target[q * m + p] = (target[q * m + p] as number) + t;
    }
  }
  const lambda = new Float64Array(m * m);
  const h = new Float64Array(m);
  for (let i = 0; i < m * m; i++) lambda[i] = (1 - gamma) * (state.lambda[i] as number) + gamma * (target[i] as number);
  for (let i = 0; i < m; i++) h[i] = (1 - gamma) * (state.h[i] as number) + gamma * (hStar[i] as number);
  return { m, lambda, h };
}

/** Mean and covariance of q(u) from the natural parameters. */
export function svgpMoments(state: SVGPState): { mean: Float64Array; S: Float64Array; logDetS: number } {
  const { m } = state;
  const f = cholesky(fromRowMajor(state.lambda, m, m));
  const mean = f.solve(state.h);
  const S = Float64Array.from(f.inverse().to1DArray());
  return { mean, S, logDetS: -f.logDet() };
}

/** The full-data ELBO of q(u) (for tests and reports; O(nm²)). */
export function svgpElbo(kernel: Kernel, Z: Points, X: Points, y: Float64Array, noise: number, jitter: number, state: SVGPState, chunk = 4096): number {
  const m = Z.n;
  const f = inducingFactor(kernel, Z, jitter);
  const { mean, S, logDetS } = svgpMoments(state);
  let ell = 0;
  for (let s = 0; s < X.n; s += chunk) {
    const e = Math.min(X.n, s + chunk);
    const idx = Array.from({ length: e - s }, (_, j) => s + j);
    const b = idx.length;
    const A = aMatrix(kernel, Z, X, idx, f.Linv);
    const data = X.data.subarray(s * X.d, e * X.d);
    const kd = kernel.computeDiag({ data, n: b, d: X.d });
    const Kmb = kernel.computeMatrix(Z, { data, n: b, d: X.d });
    for (let j = 0; j < b; j++) {
      let mu = 0;
      let q = 0; // k_mjᵀ K_mm⁻¹ k_mj = a_jᵀ k_mj
      let aSa = 0;
      for (let p = 0; p < m; p++) {
        const ap = A[p * b + j] as number;
        mu += ap * (mean[p] as number);
        q += ap * (Kmb[p * b + j] as number);
        let row = 0;
        for (let r = 0; r < m; r++) row += (S[p * m + r] as number) * (A[r * b + j] as number);
        aSa += ap * row;
      }
      const ktilde = (kd[j] as number) - q;
      const r = (y[s + j] as number) - mu;
      ell += -0.5 * Math.log(2 * Math.PI * noise) - (r * r) / (2 * noise) - (ktilde + aSa) / (2 * noise);
    }
  }
  // KL(N(mean, S) || N(0, Kmm)) = ½[tr(Kmm⁻¹S) + meanᵀKmm⁻¹mean − m + log|Kmm| − log|S|]
  const Kinv = kmmInverse(f);
  let tr = 0;
  for (let i = 0; i < m * m; i++) tr += (Kinv[i] as number) * (S[i] as number);
  let quad = 0;
  for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) quad += (mean[a] as number) * (Kinv[a * m + b] as number) * (mean[b] as number);
  let logDetK = 0;
  for (let i = 0; i < m; i++) logDetK += 2 * Math.log(f.L[i * m + i] as number);
  const kl = 0.5 * (tr + quad - m + logDetK - logDetS);
  return ell - kl;
}

/**
 * Minibatch estimate of the ELBO (rows `idx` scaled by n/|B|, minus the KL) and its gradient with respect to
 * `[kernel.theta…, log σ²]` (and with `withInducing` the inducing inputs Z, m·d entries appended row-major,
 * by the same coefficients G and H and the kernel's input gradients) at a fixed q(u) (derived here, checked against central differences in `svgp.test.ts`):
 * with $\tilde m = K_{mm}^{-1}m$, $a_i = K_{mm}^{-1}k_i$, $\tilde a_i = K_{mm}^{-1}Sa_i$, $r_i = y_i - a_i^\top m$,
 * $$\partial\ell_i = \sigma^{-2}\big[r_i\tilde m - \tilde a_i + a_i\big]^\top(\partial k_i - \partial K_{mm}a_i) - \tfrac{1}{2\sigma^2}\big[\partial k_{ii} - a_i^\top\partial K_{mm}a_i\big]\ \text{(collected)},$$
 * $$\partial\mathrm{KL} = \tfrac12\big[\mathrm{tr}(K_{mm}^{-1}\partial K_{mm}) - \mathrm{tr}(K_{mm}^{-1}SK_{mm}^{-1}\partial K_{mm}) - \tilde m^\top\partial K_{mm}\tilde m\big].$$
 */
export function svgpBatchObjective(
  kernel: Kernel,
  Z: Points,
  X: Points,
  y: Float64Array,
  noise: number,
  jitter: number,
  state: SVGPState,
  idx: ArrayLike<number>,
  withInducing = false,
): { value: number; gradient: Float64Array } {
  const m = Z.n;
  const b = idx.length;
  const scaleB = X.n / b;
  const f = inducingFactor(kernel, Z, jitter);
  const Kinv = kmmInverse(f);
  const { mean, S, logDetS } = svgpMoments(state);
  const data = new Float64Array(b * X.d);
  for (let j = 0; j < b; j++) data.set(X.data.subarray((idx[j] as number) * X.d, ((idx[j] as number) + 1) * X.d), j * X.d);
  const B: Points = { data, n: b, d: X.d };
  const Kmb = kernel.computeMatrix(Z, B);
  const A = matmul(Kinv, Kmb, m, m, b); // a_i as columns
  const mt = matmul(Kinv, mean, m, m, 1);
  const At = matmul(matmul(Kinv, S, m, m, m), A, m, m, b); // ã_i = Kmm⁻¹ S a_i
  const kd = kernel.computeDiag(B);
  // value and per-point coefficients
  let ell = 0;
  let sumR2 = 0;
  let sumVar = 0;
  const Gmb = new Float64Array(m * b); // coefficient of ∂k_i (column i)
  const r = new Float64Array(b);
  for (let j = 0; j < b; j++) {
    let mu = 0;
    let q = 0;
    let aSa = 0;
    for (let p = 0; p < m; p++) {
      const ap = A[p * b + j] as number;
      mu += ap * (mean[p] as number);
      q += ap * (Kmb[p * b + j] as number);
      aSa += (At[p * b + j] as number) * (Kmb[p * b + j] as number); // a_iᵀ S a_i = ã_iᵀ k_i
    }
    const rj = (y[idx[j] as number] as number) - mu;
    r[j] = rj;
    const v = (kd[j] as number) - q + aSa;
    sumR2 += rj * rj;
    sumVar += v;
    ell += -0.5 * Math.log(2 * Math.PI * noise) - (rj * rj + v) / (2 * noise);
    for (let p = 0; p < m; p++) {
      Gmb[p * b + j] = (scaleB / noise) * (rj * (mt[p] as number) - (At[p * b + j] as number) + (A[p * b + j] as number));
    }
  }
  let tr = 0;
  for (let i = 0; i < m * m; i++) tr += (Kinv[i] as number) * (S[i] as number);
  let quad = 0;
  for (let a = 0; a < m; a++) quad += (mean[a] as number) * (mt[a] as number);
  let logDetK = 0;
  for (let i = 0; i < m; i++) logDetK += 2 * Math.log(f.L[i * m + i] as number);
  const kl = 0.5 * (tr + quad - m + logDetK - logDetS);
  const value = scaleB * ell - kl;
  // ∂K_mm coefficient H: from the points −Σ_i G_i a_iᵀ (sym) + (scale/2σ²) Σ a_i a_iᵀ; from the KL −½(K⁻¹ − K⁻¹SK⁻¹ − m̃m̃ᵀ)
  const H = new Float64Array(m * m);
  const GA = matmul(Gmb, transpose(A, m, b), m, b, m);
  const AA = matmul(A, transpose(A, m, b), m, b, m);
  const KSK = matmul(matmul(Kinv, S, m, m, m), Kinv, m, m, m);
  for (let p = 0; p < m; p++) {
    for (let q = 0; q < m; q++) {
      H[p * m + q] =
        -0.5 * ((GA[p * m + q] as number) + (GA[q * m + p] as number)) +
        ((0.5 * scaleB) / noise) * (AA[p * m + q] as number) -
        0.5 * ((Kinv[p * m + q] as number) - (KSK[p * m + q] as number) - (mt[p] as number) * (mt[q] as number));
    }
  }
  const nT = kernel.nTheta;
  const gradient = new Float64Array(nT + 1 + (withInducing ? m * Z.d : 0));
  const dKmb = kernel.computeCrossGradient(Z, B);
  const { grads: dKmm } = kernel.computeGradient(Z);
  const dkd = kernel.computeDiagGradient(B);
  for (let t = 0; t < nT; t++) {
    let g = 0;
    const D = dKmb[t] as Float64Array;
    for (let i = 0; i < m * b; i++) g += (Gmb[i] as number) * (D[i] as number);
    const E = dKmm[t] as Float64Array;
    for (let i = 0; i < m * m; i++) g += (H[i] as number) * (E[i] as number);
    let dd = 0;
    for (const v of dkd[t] as Float64Array) dd += v;
    gradient[t] = g - ((0.5 * scaleB) / noise) * dd;
  }
  // ∂/∂log σ²: Σ_i [−½ + (r_i² + v_i)/(2σ²)] scaled
  gradient[nT] = scaleB * (-0.5 * b + (sumR2 + sumVar) / (2 * noise));
  if (withInducing) {
    // ∂/∂z_{a,t} = Σ_j G[a,j] ∂k(z_a, x_j)/∂z_{a,t} + Σ_b 2 H[a,b] ∂k(z_a, z_b)/∂z_{a,t} (H symmetric)
    const d = Z.d;
    const Dmb = inputGradient(kernel, Z, B);
    const Dmm = inputGradient(kernel, Z, Z);
    for (let t = 0; t < d; t++) {
      const P = Dmb[t] as Float64Array;
      const Q = Dmm[t] as Float64Array;
      for (let a = 0; a < m; a++) {
        let g = 0;
        for (let j = 0; j < b; j++) g += (Gmb[a * b + j] as number) * (P[a * b + j] as number);
        for (let c = 0; c < m; c++) g += 2 * (H[a * m + c] as number) * (Q[a * m + c] as number);
        gradient[nT + 1 + a * d + t] = g;
      }
    }
  }
  return { value, gradient };
}

function transpose(A: Float64Array, r: number, c: number): Float64Array {
  const out = new Float64Array(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[j * r + i] = A[i * c + j] as number;
  return out;
}
