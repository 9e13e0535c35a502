/**
 * SGPR: sparse GP regression with Titsias' collapsed variational bound (Titsias 2009, "Variational Learning of
 * Inducing Variables in Sparse Gaussian Processes", eq. 9), for data no exact GP can hold in memory.
 *
 * With inducing inputs Z (m ≪ n), $Q_{nn} = K_{nm}K_{mm}^{-1}K_{mn}$ and Gaussian noise σ²:
 * $$F = \log\mathcal N(y\mid 0, Q_{nn} + \sigma^2 I) - \frac{1}{2\sigma^2}\mathrm{tr}(K_{nn} - Q_{nn}) \le \log p(y)$$
 * Computed in O(nm²) time and O(m² + chunk·m) memory: with $K_{mm} = LL^\top$, $V = L^{-1}K_{mn}$,
 * $B = I + \sigma^{-2}VV^\top$ (Woodbury and the determinant lemma),
 * $$F = -\tfrac n2\log 2\pi\sigma^2 - \tfrac12\log|B| - \tfrac{1}{2\sigma^2}y^\top y + \tfrac{1}{2\sigma^4}r^\top B^{-1}r
 *      - \tfrac{1}{2\sigma^2}(\mathrm{tr}K_{nn} - \mathrm{tr}\,V^\top V),\quad r = Vy.$$
 * Gradient (derived here; checked against central differences in `sgpr.test.ts`): with $\alpha = \Sigma^{-1}y$,
 * $P = K_{mm}^{-1}K_{mn} = L^{-\top}V$, $S = VV^\top$, $R = L^{-\top}SB^{-1}$,
 * $$\frac{\partial F}{\partial\theta} = \sum (P\alpha\,\alpha^\top + \sigma^{-4}RV)\odot\partial K_{mn}
 *   - \tfrac12\sum (P\alpha\,(P\alpha)^\top + \sigma^{-4}RSL^{-1})\odot\partial K_{mm} - \tfrac{1}{2\sigma^2}\sum_i\partial k(x_i,x_i),$$
 * $$\frac{\partial F}{\partial\log\sigma^2} = \tfrac{\sigma^2}{2}\big(\alpha^\top\alpha - \mathrm{tr}\,\Sigma^{-1}\big) + \frac{\mathrm{tr}K_{nn} - \mathrm{tr}\,V^\top V}{2\sigma^2}.$$
 * The rows of X are processed in chunks (two passes: statistics S, r, then α and the gradient sums).
 * Predictive (the optimal q(u)): $\mu_* = (L^{-1}k_{m*})^\top w$, $w = \sigma^{-2}B^{-1}r$;
 * $\sigma_*^2 = k_{**} - \lVert L^{-1}k_{m*}\rVert^2 + \lVert L_B^{-1}L^{-1}k_{m*}\rVert^2$.
 * When Z = X the bound equals the exact log marginal likelihood (test).
 */
import { cholesky, fromRowMajor, matmul, matmulTransB } from '@notes/core-linalg';
import type { Kernel, Points } from '../kernels/index.js';
import { lowerTriangularInverse } from '../gp-regression/lml.js';
import { inputGradient } from './input-gradient.js';

const LOG2PI = Math.log(2 * Math.PI);

/** What the bound needs about the inducing points at the current hyperparameters. */
export interface InducingFactor {
  m: number;
  /** Lower Cholesky factor of K_mm + jitter·mean(diag)·I (row-major). */
  L: Float64Array;
  /** L⁻¹. */
  Linv: Float64Array;
  jitter: number;
}

/** Cholesky of K_mm with relative jitter. */
export function inducingFactor(kernel: Kernel, Z: Points, jitter: number): InducingFactor {
  const m = Z.n;
  const K = kernel.computeMatrix(Z);
  let mean = 0;
  for (let i = 0; i < m; i++) mean += (K[i * m + i] as number) / m;
  const eps = jitter * (mean > 0 ? mean : 1);
  for (let i = 0; i < m; i++) K[i * m + i] = (K[i * m + i] as number) + eps;
  const f = cholesky(fromRowMajor(K, m, m));
  return { m, L: f.lowerData, Linv: lowerTriangularInverse(f.lowerData, m), jitter: eps + f.jitter };
}

function rows(X: Points, start: number, end: number): Points {
  return { data: X.data.subarray(start * X.d, end * X.d), n: end - start, d: X.d };
}

/** Sufficient statistics of the data for the bound: S = VVᵀ, r = Vy, yᵀy, tr K_nn, tr VᵀV. */
export interface SGPRStats {
  S: Float64Array;
  r: Float64Array;
  yy: number;
  trK: number;
  trQ: number;
  n: number;
}

/** Pass 1 over the rows in chunks. */
export function sgprStats(kernel: Kernel, X: Points, y: Float64Array, Z: Points, f: InducingFactor, chunk: number): SGPRStats {
  const m = f.m;
  const S = new Float64Array(m * m);
  const r = new Float64Array(m);
  let yy = 0;
  let trK = 0;
  let trQ = 0;
  for (let s = 0; s < X.n; s += chunk) {
    const e = Math.min(X.n, s + chunk);
    const c = e - s;
    const Xc = rows(X, s, e);
    const V = matmul(f.Linv, kernel.computeMatrix(Z, Xc), m, m, c); // m × c
    const Sc = matmulTransB(V, V, m, c, m);
    for (let i = 0; i < m * m; i++) S[i] = (S[i] as number) + (Sc[i] as number);
    for (let a = 0; a < m; a++) {
      let acc = 0;
      for (let j = 0; j < c; j++) acc += (V[a * c + j] as number) * (y[s + j] as number);
      r[a] = (r[a] as number) + acc;
    }
    for (let i = 0; i < m * c; i++) trQ += (V[i] as number) * (V[i] as number);
    const kd = kernel.computeDiag(Xc);
    for (let j = 0; j < c; j++) {
      trK += kd[j] as number;
      yy += (y[s + j] as number) ** 2;
    }
  }
  return { S, r, yy, trK, trQ, n: X.n };
}

/** B = I + S/σ² factorised, and B⁻¹. */
function factorB(S: Float64Array, m: number, noise: number): { LB: Float64Array; Binv: Float64Array; logDetB: number } {
  const B = new Float64Array(m * m);
  for (let i = 0; i < m * m; i++) B[i] = (S[i] as number) / noise;
  for (let i = 0; i < m; i++) B[i * m + i] = (B[i * m + i] as number) + 1;
  const fb = cholesky(fromRowMajor(B, m, m));
  const LBinv = lowerTriangularInverse(fb.lowerData, m);
  // B⁻¹ = L_B⁻ᵀ L_B⁻¹
  const Binv = new Float64Array(m * m);
  for (let k = 0; k < m; k++) {
    for (let a = 0; a <= k; a++) {
      const x = LBinv[k * m + a] as number;
      if (x === 0) continue;
      for (let b = 0; b <= k; b++) Binv[a * m + b] = (Binv[a * m + b] as number) + x * (LBinv[k * m + b] as number);
    }
  }
  return { LB: fb.lowerData, Binv, logDetB: fb.logDet() };
}

function matvec(A: Float64Array, x: Float64Array, m: number): Float64Array {
  const out = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let s = 0;
    for (let j = 0; j < m; j++) s += (A[i * m + j] as number) * (x[j] as number);
    out[i] = s;
  }
  return out;
}

/** Value of the collapsed bound from the statistics. */
export function sgprValue(st: SGPRStats, m: number, noise: number): { value: number; Binv: Float64Array; LB: Float64Array } {
  const { Binv, LB, logDetB } = factorB(st.S, m, noise);
  const Br = matvec(Binv, st.r, m);
  let rBr = 0;
  for (let a = 0; a < m; a++) rBr += (st.r[a] as number) * (Br[a] as number);
  const value =
    -0.5 * st.n * (LOG2PI + Math.log(noise)) - 0.5 * logDetB - (0.5 * st.yy) / noise + (0.5 * rBr) / (noise * noise) - (0.5 * (st.trK - st.trQ)) / noise;
  return { value, Binv, LB };
}

/**
 * The bound and its gradient with respect to `[kernel.theta…, log σ²]` (two passes over the rows), and with
 * `withInducing` also with respect to the inducing inputs Z (m·d entries appended, row-major), through the
 * same coefficient matrices: $\partial F/\partial z_{a,t} = \sum_j G_{aj}\,\partial k(z_a,x_j)/\partial z_{a,t}
 * - \tfrac12\sum_b (H_{ab} + H_{ba})\,\partial k(z_a,z_b)/\partial z_{a,t}$ (see `input-gradient.ts`).
 */
export function sgprBound(
  kernel: Kernel,
  X: Points,
  y: Float64Array,
  Z: Points,
  noise: number,
  jitter: number,
  chunk: number,
  withGradient: boolean,
  withInducing = false,
): { value: number; gradient: Float64Array; stats: SGPRStats; factor: InducingFactor } {
  const f = inducingFactor(kernel, Z, jitter);
  const m = f.m;
  const st = sgprStats(kernel, X, y, Z, f, chunk);
  const { value, Binv } = sgprValue(st, m, noise);
  const nT = kernel.nTheta;
  const d = Z.d;
  const gradient = new Float64Array(nT + 1 + (withInducing ? m * d : 0));
  if (!withGradient) return { value, gradient, stats: st, factor: f };
  const s2 = noise;
  const s4 = noise * noise;
  const Br = matvec(Binv, st.r, m);
  // R = L⁻ᵀ S B⁻¹ (m × m)
  const SB = matmul(st.S, Binv, m, m, m);
  const LinvT = new Float64Array(m * m);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) LinvT[i * m + j] = f.Linv[j * m + i] as number;
  const R = matmul(LinvT, SB, m, m, m);
  // Ht base: σ⁻⁴ R S L⁻¹ (the (Pα)(Pα)ᵀ part is added after pass 2)
  const RSL = matmul(matmul(R, st.S, m, m, m), f.Linv, m, m, m);
  // pass 2: α, Pα = L⁻ᵀ V α, and Σ Gt ⊙ ∂K_mn, Σ_i ∂k(x_i, x_i)
  const VAlpha = new Float64Array(m);
  let alphaAlpha = 0;
  const gMn = new Float64Array(nT); // Σ σ⁻⁴ (R V) ⊙ ∂K_mn
  const u = Array.from({ length: nT }, () => new Float64Array(m)); // u_q = Σ_j ∂K_mn[:, j] α_j
  const gDiag = new Float64Array(nT);
  // inducing inputs: Σ_j σ⁻⁴(RV)[a,j] D_t[a,j] and uZ[a,t] = Σ_j α_j D_t[a,j], D_t = ∂k(z_a, x_j)/∂z_{a,t}
  const gZ = new Float64Array(withInducing ? m * d : 0);
  const uZ = new Float64Array(withInducing ? m * d : 0);
  for (let s = 0; s < X.n; s += chunk) {
    const e = Math.min(X.n, s + chunk);
    const c = e - s;
    const Xc = rows(X, s, e);
    const V = matmul(f.Linv, kernel.computeMatrix(Z, Xc), m, m, c);
    // α_c = y/σ² − Vᵀ B⁻¹ r / σ⁴
    const alpha = new Float64Array(c);
    for (let j = 0; j < c; j++) {
      let v = 0;
      for (let a = 0; a < m; a++) v += (V[a * c + j] as number) * (Br[a] as number);
      alpha[j] = (y[s + j] as number) / s2 - v / s4;
      alphaAlpha += (alpha[j] as number) ** 2;
    }
    for (let a = 0; a < m; a++) {
      let v = 0;
      for (let j = 0; j < c; j++) v += (V[a * c + j] as number) * (alpha[j] as number);
      VAlpha[a] = (VAlpha[a] as number) + v;
    }
    const RV = matmul(R, V, m, m, c);
    const dK = kernel.computeCrossGradient(Z, Xc);
    for (let q = 0; q < nT; q++) {
      const G = dK[q] as Float64Array;
      let acc = 0;
      for (let i = 0; i < m * c; i++) acc += (RV[i] as number) * (G[i] as number);
      gMn[q] = (gMn[q] as number) + acc / s4;
      const uq = u[q] as Float64Array;
      for (let a = 0; a < m; a++) {
        let row = 0;
        for (let j = 0; j < c; j++) row += (G[a * c + j] as number) * (alpha[j] as number);
        uq[a] = (uq[a] as number) + row;
      }
    }
    if (withInducing) {
      const D = inputGradient(kernel, Z, Xc);
      for (let t = 0; t < d; t++) {
        const Dt = D[t] as Float64Array;
        for (let a = 0; a < m; a++) {
          let g = 0;
          let u = 0;
          for (let j = 0; j < c; j++) {
            const v = Dt[a * c + j] as number;
            g += (RV[a * c + j] as number) * v;
            u += (alpha[j] as number) * v;
          }
          gZ[a * d + t] = (gZ[a * d + t] as number) + g / s4;
          uZ[a * d + t] = (uZ[a * d + t] as number) + u;
        }
      }
    }
    const dd = kernel.computeDiagGradient(Xc);
    for (let q = 0; q < nT; q++) {
      let acc = 0;
      for (const v of dd[q] as Float64Array) acc += v;
      gDiag[q] = (gDiag[q] as number) + acc;
    }
  }
  // Pα = L⁻ᵀ (V α)
  const Pa = matvec(LinvT, VAlpha, m);
  // outer term Σ_{a,j} (Pα)_a α_j ∂K_mn[a, j] = (Pα)·u_q
  for (let q = 0; q < nT; q++) {
    let acc = 0;
    for (let a = 0; a < m; a++) acc += (Pa[a] as number) * ((u[q] as Float64Array)[a] as number);
    gMn[q] = (gMn[q] as number) + acc;
  }
  const { grads: dKmm } = kernel.computeGradient(Z);
  for (let q = 0; q < nT; q++) {
    const G = dKmm[q] as Float64Array;
    let acc = 0;
    for (let a = 0; a < m; a++) {
      for (let b = 0; b < m; b++) acc += ((Pa[a] as number) * (Pa[b] as number) + (RSL[a * m + b] as number) / s4) * (G[a * m + b] as number);
    }
    gradient[q] = (gMn[q] as number) - 0.5 * acc - (0.5 * (gDiag[q] as number)) / s2;
  }
  // noise: ½σ²(αᵀα − tr Σ⁻¹) + T/(2σ²), tr Σ⁻¹ = n/σ² − tr(B⁻¹S)/σ⁴
  let trBS = 0;
  for (let i = 0; i < m * m; i++) trBS += (Binv[i] as number) * (st.S[i] as number);
  const trSigmaInv = st.n / s2 - trBS / s4;
  gradient[nT] = 0.5 * s2 * (alphaAlpha - trSigmaInv) + (st.trK - st.trQ) / (2 * s2);
  if (withInducing) {
    // ∂F/∂z_{a,t} = gZ + Pα_a uZ − ½ Σ_b (H_ab + H_ba) ∂k(z_a, z_b)/∂z_{a,t},  H = PαPαᵀ + σ⁻⁴RSL⁻¹
    const Dmm = inputGradient(kernel, Z, Z);
    for (let a = 0; a < m; a++) {
      for (let t = 0; t < d; t++) {
        const Dt = Dmm[t] as Float64Array;
        let acc = 0;
        for (let b = 0; b < m; b++) {
          const h = 2 * (Pa[a] as number) * (Pa[b] as number) + ((RSL[a * m + b] as number) + (RSL[b * m + a] as number)) / s4;
          acc += h * (Dt[a * m + b] as number);
        }
        gradient[nT + 1 + a * d + t] = (gZ[a * d + t] as number) + (Pa[a] as number) * (uZ[a * d + t] as number) - 0.5 * acc;
      }
    }
  }
  return { value, gradient, stats: st, factor: f };
}
