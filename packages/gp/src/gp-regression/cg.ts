/**
 * Matrix-free GP path (opt-in `method: 'cg'`): never factorises the n×n matrix $C = K + \sigma^2 I$.
 *
 * - Solves $C\alpha = y$ with core's preconditioned `conjugateGradient`. Preconditioner: a rank-k pivoted
 *   Cholesky $C \approx L_kL_k^\top$ (Harbrecht, Peters & Schneider 2012) plus the residual diagonal D,
 *   $P = L_kL_k^\top + D$, applied by Woodbury in O(nk) (Gardner et al. 2018, GPyTorch).
 * - $\log\det C = \log\det P + \log\det(P^{-1}C)$; the first term exactly (determinant lemma), the second
 *   by stochastic Lanczos quadrature (Ubaru, Chen & Saad 2017) run in the P-inner product with probes
 *   $q = P^{-1}b$, $b\sim\mathcal N(0,P)$, so $\mathbb E[q^\top P\log(P^{-1}C)q] = \mathrm{tr}\log(P^{-1}C)$.
 * - Gradient trace terms with the preconditioner as control variate:
 *   $\mathrm{tr}(C^{-1}\partial K) = \mathrm{tr}(P^{-1}\partial K) + \mathbb E[(C^{-1}b - P^{-1}b)^\top\partial K\,P^{-1}b]$, $b\sim\mathcal N(0,P)$,
 *   the first term exact by Woodbury (O(n²k)), the second a Hutchinson-type estimate that vanishes as P → C.
 * Probes come from a fixed seed, so the estimated objective is a deterministic function of θ (L-BFGS needs that).
 * Accuracy is documented in the README (test `cg.test.ts`, bench `fit.bench.ts`).
 */
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { type Rng, cholesky, conjugateGradient, createRng, sampleNormalArray } from '@notes/core-linalg';
import type { Kernel, Points } from '../kernels/index.js';
import type { CGSettings } from './model.js';

/** Defaults of the CG path. */
export const CG_DEFAULTS: Omit<CGSettings, 'seed'> = { tol: 1e-8, maxIterations: 1000, rank: 100, probes: 16, lanczosSteps: 40 };

/** Woodbury-applied preconditioner $P = L_kL_k^\top + D$. */
export interface Preconditioner {
  apply(r: Float64Array): Float64Array;
  logDet: number;
  /** $b \sim \mathcal N(0, P)$. */
  sample(rng: Rng): Float64Array;
  /** Exact $\mathrm{tr}(P^{-1}G)$ for a symmetric n×n G, by Woodbury in O(n²k). */
  traceInvTimes(G: Float64Array): number;
}

/** Dense symmetric matrix–vector product $y = (K + \sigma^2 I)v$. */
export function matvec(K: Float64Array, n: number, noise: number, v: Float64Array): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    const row = i * n;
    for (let j = 0; j < n; j++) s += K[row + j] * v[j];
    out[i] = s + noise * v[i];
  }
  return out;
}

/**
 * Pivoted-Cholesky preconditioner of $C = K + \mathrm{diag}(e) + \sigma^2 I$ with rank ≤ `rank`: the low-rank part
 * comes from K only (pass the kernel without its white-noise term), the diagonal $e + \sigma^2$ (white noise)
 * goes into D, so pivots are not spent on noise (as GPyTorch).
 */
export function pivotedCholeskyPreconditioner(
  K: Float64Array,
  n: number,
  noise: number,
  rank: number,
  extraDiag?: Float64Array,
): Preconditioner {
  const k = Math.min(rank, n);
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) d[i] = K[i * n + i];
  const trace0 = d.reduce((a, b) => a + b, 0) + n * noise;
  const L = new Float64Array(n * k); // n × k row-major
  let used = 0;
  const taken = new Uint8Array(n);
  for (let m = 0; m < k; m++) {
    let piv = -1;
    let best = 0;
    for (let i = 0; i < n; i++) if (!taken[i] && d[i] > best) { best = d[i]; piv = i; }
    if (piv < 0 || best <= 1e-12 * trace0) break;
    taken[piv] = 1;
    const sq = Math.sqrt(best);
    for (let j = 0; j < n; j++) {
      let v = K[piv * n + j];
      for (let t = 0; t < m; t++) v -= L[j * k + t] * L[piv * k + t];
      const l = taken[j] && j !== piv ? 0 : v / sq;
      L[j * k + m] = l;
      if (!taken[j] || j === piv) d[j] -= l * l;
    }
    d[piv] = 0;
    used = m + 1;
  }
  // Residual diagonal D, floored at the noise (and a tiny fraction of the mean diagonal) to stay SPD.
  const floor = 1e-10 * (trace0 / n);
  const D = new Float64Array(n);
  for (let i = 0; i < n; i++) D[i] = Math.max(d[i], 0) + noise + (extraDiag ? extraDiag[i] : 0) + floor;
  // Small system S = I_k + L^T D^{-1} L.
  const S = new Matrix(used, used);
  for (let a = 0; a < used; a++) {
    for (let b = a; b < used; b++) {
      let s = a === b ? 1 : 0;
      for (let i = 0; i < n; i++) s += (L[i * k + a] * L[i * k + b]) / D[i];
      S.set(a, b, s);
      S.set(b, a, s);
    }
  }
  const Sf = used > 0 ? cholesky(S) : null;
  let logDet = 0;
  for (let i = 0; i < n; i++) logDet += Math.log(D[i]);
  if (Sf) logDet += Sf.logDet();
  return {
    logDet,
    apply(r: Float64Array): Float64Array {
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = r[i] / D[i];
      if (!Sf) return out;
      const t = new Float64Array(used);
      for (let i = 0; i < n; i++) for (let a = 0; a < used; a++) t[a] += L[i * k + a] * out[i];
      const u = Sf.solve(t);
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let a = 0; a < used; a++) s += L[i * k + a] * u[a];
        out[i] -= s / D[i];
      }
      return out;
    },
    traceInvTimes(G: Float64Array): number {
      // tr(P^{-1}G) = Σ_i G_ii/D_i − tr(S^{-1} WᵀGW), W = D^{-1}L
      let t = 0;
      for (let i = 0; i < n; i++) t += G[i * n + i] / D[i];
      if (!Sf) return t;
      const W = new Float64Array(n * used);
      for (let i = 0; i < n; i++) for (let a = 0; a < used; a++) W[i * used + a] = L[i * k + a] / D[i];
      const GW = new Float64Array(n * used);
      for (let i = 0; i < n; i++) {
        const row = i * n;
        for (let j = 0; j < n; j++) {
          const g = G[row + j];
          if (g === 0) continue;
          for (let a = 0; a < used; a++) GW[i * used + a] += g * W[j * used + a];
        }
      }
      const Sinv = Sf.inverse();
      let t2 = 0;
      for (let a = 0; a < used; a++) {
        for (let b = 0; b < used; b++) {
          let m = 0;
          for (let i = 0; i < n; i++) m += W[i * used + b] * GW[i * used + a];
          t2 += Sinv.get(a, b) * m;
        }
      }
      return t - t2;
    },
    sample(rng: Rng): Float64Array {
      const g1 = sampleNormalArray(rng, used);
      const g2 = sampleNormalArray(rng, n);
      const b = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        let s = Math.sqrt(D[i]) * g2[i];
        for (let a = 0; a < used; a++) s += L[i * k + a] * g1[a];
        b[i] = s;
      }
      return b;
    },
  };
}

/** PCG solve of $Cx = b$; returns the solution and the iteration count. */
export function pcgSolve(
  K: Float64Array,
  n: number,
  noise: number,
  P: Preconditioner,
  b: Float64Array,
  s: CGSettings,
  signal?: AbortSignal,
): { x: Float64Array; iterations: number; converged: boolean } {
  const r = conjugateGradient((v) => matvec(K, n, noise, v), b, {
    tol: s.tol,
    maxIterations: s.maxIterations,
    preconditioner: (v) => P.apply(v),
    signal,
  });
  return { x: r.x, iterations: r.iterations, converged: r.converged };
}

/** SLQ estimate of $q^\top P\log(P^{-1}C)q$ for one probe (Lanczos in the P-inner product). */
function slqProbe(K: Float64Array, n: number, noise: number, P: Preconditioner, b: Float64Array, q: Float64Array, m: number): number {
  const qPq = dotv(q, b);
  const nrm = Math.sqrt(qPq);
  let v = q.map((x) => x / nrm);
  let Pv = b.map((x) => x / nrm);
  let vPrev = new Float64Array(n);
  let PvPrev = new Float64Array(n);
  const alphas: number[] = [];
  const betas: number[] = [];
  let beta = 0;
  for (let j = 0; j < m; j++) {
    const u = matvec(K, n, noise, v);
    const a = dotv(v, u);
    alphas.push(a);
    const w = P.apply(u);
    const Pw = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      w[i] -= a * v[i] + beta * vPrev[i];
      Pw[i] = u[i] - a * Pv[i] - beta * PvPrev[i];
    }
    const bn = Math.sqrt(Math.max(dotv(w, Pw), 0));
    if (j === m - 1 || bn < 1e-12 * Math.abs(a)) break;
    betas.push(bn);
    beta = bn;
    vPrev = v;
    PvPrev = Pv;
    v = w.map((x) => x / bn);
    Pv = Pw.map((x) => x / bn);
  }
  const t = alphas.length;
  const T = new Matrix(t, t);
  for (let i = 0; i < t; i++) {
    T.set(i, i, alphas[i]);
    if (i + 1 < t) {
      T.set(i, i + 1, betas[i]);
      T.set(i + 1, i, betas[i]);
    }
  }
  const e = new EigenvalueDecomposition(T, { assumeSymmetric: true });
  const lam = e.realEigenvalues;
  const Q = e.eigenvectorMatrix;
  let s = 0;
  for (let i = 0; i < t; i++) s += Q.get(0, i) ** 2 * Math.log(Math.max(lam[i], 1e-300));
  return qPq * s;
}

function dotv(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

const LOG2PI = Math.log(2 * Math.PI);

/** CG-path log ML (estimate) and gradient (estimate); α is solved to `tol`. */
export function lmlCG(
  kernel: Kernel,
  pts: Points,
  y: Float64Array,
  noise: number,
  s: CGSettings,
  withGradient: boolean,
  signal?: AbortSignal,
): {
  value: number;
  gradient: Float64Array;
  alpha: Float64Array;
  solve: (b: Float64Array) => Float64Array;
  iterations: number;
  /** Standard error of `value` from the spread of the SLQ probes (quadrature bias not included). */
  valueStdErr: number;
  /** Standard errors of the gradient entries from the spread of the trace probes. */
  gradientStdErr: Float64Array;
} {
  const n = pts.n;
  let K: Float64Array;
  let grads: Float64Array[] = [];
  if (withGradient) ({ K, grads } = kernel.computeGradient(pts));
  else K = kernel.computeMatrix(pts);
  // low-rank part from the kernel without white noise (K(X, X) as a cross-covariance drops it), noise on D
  const Klow = kernel.computeMatrix(pts, pts);
  const white = new Float64Array(n);
  for (let i = 0; i < n; i++) white[i] = Math.max(K[i * n + i] - Klow[i * n + i], 0);
  const P = pivotedCholeskyPreconditioner(Klow, n, noise, s.rank, white);
  const sol = pcgSolve(K, n, noise, P, y, s, signal);
  const alpha = sol.x;
  const rng = createRng(s.seed);
  const slq: number[] = [];
  const tr: number[][] = grads.map(() => []);
  for (let p = 0; p < s.probes; p++) {
    const b = P.sample(rng);
    const q = P.apply(b);
    slq.push(slqProbe(K, n, noise, P, b, q, s.lanczosSteps));
    if (grads.length > 0) {
      const cb = pcgSolve(K, n, noise, P, b, s, signal).x;
      for (let i = 0; i < n; i++) cb[i] -= q[i];
      for (let g = 0; g < grads.length; g++) tr[g].push(dotv(cb, matvec(grads[g], n, 0, q)));
    }
  }
  const meanSe = (v: number[]): [number, number] => {
    const m = v.reduce((a, b) => a + b, 0) / v.length;
    const sd = v.length > 1 ? Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1)) : 0;
    return [m, sd / Math.sqrt(v.length)];
  };
  const [logDetRest, logDetSe] = meanSe(slq);
  const trace = new Float64Array(grads.length);
  const gradientStdErr = new Float64Array(grads.length);
  for (let g = 0; g < grads.length; g++) {
    const [m, se] = meanSe(tr[g]);
    trace[g] = m + P.traceInvTimes(grads[g]);
    gradientStdErr[g] = 0.5 * se;
  }
  const value = -0.5 * dotv(y, alpha) - 0.5 * (P.logDet + logDetRest) - 0.5 * n * LOG2PI;
  const gradient = new Float64Array(grads.length);
  for (let g = 0; g < grads.length; g++) gradient[g] = 0.5 * dotv(alpha, matvec(grads[g], n, 0, alpha)) - 0.5 * trace[g];
  return {
    value,
    gradient,
    alpha,
    solve: (b) => pcgSolve(K, n, noise, P, b, s).x,
    iterations: sol.iterations,
    valueStdErr: 0.5 * logDetSe,
    gradientStdErr,
  };
}
