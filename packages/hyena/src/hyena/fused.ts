/**
 * The middle of the Hyena operator as one autodiff op with a hand-written vector–Jacobian product (core's
 * `customOp`): the short causal depthwise filter of Algorithm 1, the split into $v, x^1..x^N$ and the
 * order-N recurrence $z^{n+1} = x^n \odot (h^n * z^n)$ of Algorithm 3, for B sequences at once. The same
 * formulas as the composed core ops (`HyenaProjection` + `recurrence`), without their dozens of tape nodes,
 * broadcasts, slices and transposes; checked against them and against central differences in the tests.
 */
import { customOp, matmul, matmulTransA, matmulTransB, noGrad, ops, Tensor } from '@notes/core-linalg';
import { assertNoOverflow } from './finite.js';

/**
 * Sequences up to this length are convolved as products with the [L, L] Toeplitz matrix of each filter on
 * core's GEMM kernel (O(L²) per row, but at SIMD speed), longer ones through core's FFT convolution.
 */
export const GEMM_MAX_LENGTH = 128;

/** [P, Q, L] → [Q, P, L] (a new array). */
function swapLeading(a: Float64Array, P: number, Q: number, L: number): Float64Array {
  const out = new Float64Array(P * Q * L);
  for (let p = 0; p < P; p++) for (let q = 0; q < Q; q++) out.set(a.subarray((p * Q + q) * L, (p * Q + q + 1) * L), (q * P + p) * L);
  return out;
}

/** Rows of [R, L] reversed in time (a new array). */
function reverseRows(a: Float64Array, R: number, L: number): Float64Array {
  const out = new Float64Array(R * L);
  for (let r = 0; r < R; r++) {
    const o = r * L;
    for (let t = 0; t < L; t++) out[o + t] = a[o + L - 1 - t] as number;
  }
  return out;
}

/** $T^\top$ of filter row d of `h` [D, L] into `tt` [L, L]: $T^\top_{s,t} = h_{d,t-s}$ for t ≥ s, else 0. */
function toeplitzT(h: Float64Array, d: number, L: number, tt: Float64Array): void {
  tt.fill(0);
  const o = d * L;
  for (let s = 0; s < L; s++) tt.set(h.subarray(o, o + L - s), s * L + s);
}

/**
 * The causal convolutions of the fused op on streams in the [D, B, L] layout (channel d of sequence b at
 * row d·B + b), filter row d of `h` [D, L] for every row of channel d:
 * `forward` $y_{d,b,t} = \sum_{s \le t} h_{d,s}\, u_{d,b,t-s}$; `input` its adjoint in u,
 * $\bar u_{d,b,s} = \sum_{t \ge s} g_{d,b,t}\, h_{d,t-s}$; `filter` its adjoint in h,
 * $\bar h_{d,k} = \sum_b \sum_{t \ge k} g_{d,b,t}\, u_{d,b,t-k}$.
 * @internal
 */
export const causalConv = {
  forward(u: Float64Array, h: Float64Array, D: number, B: number, L: number, gemmMax = GEMM_MAX_LENGTH): Float64Array {
    if (L > gemmMax) {
      const y = noGrad(() => ops.fftConv1d(new Tensor(swapLeading(u, D, B, L), [B, D, L]), new Tensor(h, [D, L]))).data;
      return B === 1 ? y : swapLeading(y, B, D, L);
    }
    const y = new Float64Array(D * B * L);
    const tt = new Float64Array(L * L);
    for (let d = 0; d < D; d++) {
      toeplitzT(h, d, L, tt);
      matmul(u.subarray(d * B * L, (d + 1) * B * L), tt, B, L, L, y.subarray(d * B * L, (d + 1) * B * L));
    }
    return y;
  },
  input(g: Float64Array, h: Float64Array, D: number, B: number, L: number, gemmMax = GEMM_MAX_LENGTH): Float64Array {
    if (L > gemmMax) return reverseRows(causalConv.forward(reverseRows(g, D * B, L), h, D, B, L, gemmMax), D * B, L);
    const gu = new Float64Array(D * B * L);
    const tt = new Float64Array(L * L);
    for (let d = 0; d < D; d++) {
      toeplitzT(h, d, L, tt);
      matmulTransB(g.subarray(d * B * L, (d + 1) * B * L), tt, B, L, L, gu.subarray(d * B * L, (d + 1) * B * L));
    }
    return gu;
  },
  filter(g: Float64Array, u: Float64Array, D: number, B: number, L: number, gemmMax = GEMM_MAX_LENGTH): Float64Array {
    const gh = new Float64Array(D * L);
    if (L > gemmMax) {
      // per row: the convolution of u with the time-reversed g, reversed (each row its own filter)
      const R = D * B;
      const perRow = reverseRows(noGrad(() => ops.fftConv1d(new Tensor(u, [R, L]), new Tensor(reverseRows(g, R, L), [R, L]))).data, R, L);
      for (let r = 0; r < R; r++) {
        const o = Math.floor(r / B) * L;
        for (let k = 0; k < L; k++) gh[o + k] = (gh[o + k] as number) + (perRow[r * L + k] as number);
      }
      return gh;
    }
    const M = new Float64Array(L * L);
    for (let d = 0; d < D; d++) {
      // M[t, s] = Σ_b g[b, t] u[b, s]; the filter gradient sums its diagonals t − s = k
      matmulTransA(g.subarray(d * B * L, (d + 1) * B * L), u.subarray(d * B * L, (d + 1) * B * L), L, B, L, M);
      for (let k = 0; k < L; k++) {
        let acc = 0;
        for (let s = 0; s + k < L; s++) acc += M[(s + k) * L + s] as number;
        gh[d * L + k] = acc;
      }
    }
    return gh;
  },
};

/**
 * Short filter, split and recurrence of B sequences as one differentiable op.
 * @param zlin - the projection's linear map of the B stacked inputs, [B·L, (N+1)·D] (row b·L + t).
 * @param taps - the short depthwise filter [(N+1)·D, K]; tap 0 multiplies the current position.
 * @param h - the N long filters, each [D, L].
 * @returns $z^{N+1}$ as [B·L, D] (row b·L + t), ready for the output projection.
 * @throws DomainError naming `where`'s argument u if the streams overflow.
 * @internal
 */
export function fusedHyenaMix(zlin: Tensor, taps: Tensor, h: readonly Tensor[], batch: number, where: string, gemmMax = GEMM_MAX_LENGTH): Tensor {
  const N = h.length;
  const C = zlin.shape[1] as number;
  const D = C / (N + 1);
  const K = taps.shape[1] as number;
  const B = batch;
  const L = (zlin.shape[0] as number) / B;
  const R = B * D;
  // zT: zlin channel-major per sequence, [B, C, L]; s[n]: stream n (v for n = 0, x^n otherwise) as [D, B, L]
  const zT = new Float64Array(B * C * L);
  const zl = zlin.data;
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < L; t++) {
      const row = (b * L + t) * C;
      const o = b * C * L + t;
      for (let c = 0; c < C; c++) zT[o + c * L] = zl[row + c] as number;
    }
  }
  const w = taps.data;
  const s: Float64Array[] = [];
  for (let n = 0; n <= N; n++) s.push(new Float64Array(R * L));
  for (let b = 0; b < B; b++) {
    for (let c = 0; c < C; c++) {
      const out = s[Math.floor(c / D)] as Float64Array;
      const o = ((c % D) * B + b) * L;
      const zi = (b * C + c) * L;
      const wo = c * K;
      for (let t = 0; t < L; t++) {
        const reach = Math.min(t, K - 1);
        let acc = 0;
        for (let k = 0; k <= reach; k++) acc += (w[wo + k] as number) * (zT[zi + t - k] as number);
        out[o + t] = acc;
      }
    }
  }
  for (const a of s) assertNoOverflow(where, 'u', a);
  // z[n] = z^{n+1} input of step n (z[0] = v), conv[n] = h^{n+1} * z[n]
  const z: Float64Array[] = [s[0] as Float64Array];
  const conv: Float64Array[] = [];
  for (let n = 0; n < N; n++) {
    const cn = causalConv.forward(z[n] as Float64Array, (h[n] as Tensor).data, D, B, L, gemmMax);
    assertNoOverflow(where, 'u', cn);
    conv.push(cn);
    const x = s[n + 1] as Float64Array;
    const next = new Float64Array(R * L);
    for (let i = 0; i < next.length; i++) next[i] = (x[i] as number) * (cn[i] as number);
    assertNoOverflow(where, 'u', next);
    z.push(next);
  }
  const last = z[N] as Float64Array;
  const y = new Float64Array(B * L * D);
  for (let d = 0; d < D; d++) for (let b = 0; b < B; b++) for (let t = 0; t < L; t++) y[(b * L + t) * D + d] = last[(d * B + b) * L + t] as number;
  return customOp('hyenaMix', y, [B * L, D], [zlin, taps, ...h], (gy, needs) => {
    let g: Float64Array = new Float64Array(R * L);
    for (let b = 0; b < B; b++) {
      for (let t = 0; t < L; t++) {
        const row = (b * L + t) * D;
        const o = b * L + t;
        for (let d = 0; d < D; d++) g[o + d * B * L] = gy[row + d] as number;
      }
    }
    const gs: Float64Array[] = [];
    for (let n = 0; n <= N; n++) gs.push(g);
    const gh: (Float64Array | null)[] = [];
    for (let n = 0; n < N; n++) gh.push(null);
    for (let n = N - 1; n >= 0; n--) {
      const x = s[n + 1] as Float64Array;
      const cn = conv[n] as Float64Array;
      const gx = new Float64Array(R * L);
      const gc = new Float64Array(R * L);
      for (let i = 0; i < gc.length; i++) {
        gx[i] = (g[i] as number) * (cn[i] as number);
        gc[i] = (g[i] as number) * (x[i] as number);
      }
      gs[n + 1] = gx;
      if (needs[2 + n]) gh[n] = causalConv.filter(gc, z[n] as Float64Array, D, B, L, gemmMax);
      g = causalConv.input(gc, (h[n] as Tensor).data, D, B, L, gemmMax);
    }
    gs[0] = g;
    let gz: Float64Array | null = null;
    if (needs[0]) {
      gz = new Float64Array(B * L * C);
      const col = new Float64Array(L);
      for (let b = 0; b < B; b++) {
        for (let c = 0; c < C; c++) {
          const gn = gs[Math.floor(c / D)] as Float64Array;
          const o = ((c % D) * B + b) * L;
          const wo = c * K;
          for (let t = 0; t < L; t++) {
            const reach = Math.min(L - 1 - t, K - 1);
            let acc = 0;
            for (let k = 0; k <= reach; k++) acc += (w[wo + k] as number) * (gn[o + t + k] as number);
            col[t] = acc;
          }
          for (let t = 0; t < L; t++) gz[(b * L + t) * C + c] = col[t] as number;
        }
      }
    }
    let gw: Float64Array | null = null;
    if (needs[1]) {
      gw = new Float64Array(C * K);
      for (let b = 0; b < B; b++) {
        for (let c = 0; c < C; c++) {
          const gn = gs[Math.floor(c / D)] as Float64Array;
          const o = ((c % D) * B + b) * L;
          const zi = (b * C + c) * L;
          for (let k = 0; k < K; k++) {
            let acc = 0;
            for (let t = k; t < L; t++) acc += (gn[o + t] as number) * (zT[zi + t - k] as number);
            gw[c * K + k] = (gw[c * K + k] as number) + acc;
          }
        }
      }
    }
    return [gz, gw, ...gh];
  });
}

/**
 * The short causal depthwise filter of Algorithm 1 alone as one differentiable op, for long sequences where the
 * recurrence runs on core's FFT convolution (whose backward pass reuses the spectra of its forward pass):
 * `zlin` [B·L, C] (row b·L + t) and `taps` [C, K] → [B, C, L], $y_{b,c,t} = \sum_{k \le \min(K-1,t)} w_{c,k}\, z_{b·L+t-k,c}$.
 * @throws DomainError naming `where`'s argument u if the result overflows.
 * @internal
 */
export function fusedShortFilter(zlin: Tensor, taps: Tensor, batch: number, where: string): Tensor {
  const C = zlin.shape[1] as number;
  const K = taps.shape[1] as number;
  const B = batch;
  const L = (zlin.shape[0] as number) / B;
  const zl = zlin.data;
  const w = taps.data;
  const zT = new Float64Array(B * C * L); // [B, C, L]
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < L; t++) {
      const row = (b * L + t) * C;
      const o = b * C * L + t;
      for (let c = 0; c < C; c++) zT[o + c * L] = zl[row + c] as number;
    }
  }
  const y = new Float64Array(B * C * L);
  for (let r = 0; r < B * C; r++) {
    const wo = (r % C) * K;
    const o = r * L;
    for (let t = 0; t < L; t++) {
      const reach = Math.min(t, K - 1);
      let acc = 0;
      for (let k = 0; k <= reach; k++) acc += (w[wo + k] as number) * (zT[o + t - k] as number);
      y[o + t] = acc;
    }
  }
  assertNoOverflow(where, 'u', y);
  return customOp('hyenaShortFilter', y, [B, C, L], [zlin, taps], (g, needs) => {
    let gz: Float64Array | null = null;
    if (needs[0]) {
      gz = new Float64Array(B * L * C);
      for (let r = 0; r < B * C; r++) {
        const b = Math.floor(r / C);
        const c = r % C;
        const wo = c * K;
        const o = r * L;
        for (let t = 0; t < L; t++) {
          const reach = Math.min(L - 1 - t, K - 1);
          let acc = 0;
          for (let k = 0; k <= reach; k++) acc += (w[wo + k] as number) * (g[o + t + k] as number);
          gz[(b * L + t) * C + c] = acc;
        }
      }
    }
    let gw: Float64Array | null = null;
    if (needs[1]) {
      gw = new Float64Array(C * K);
      for (let r = 0; r < B * C; r++) {
        const c = r % C;
        const o = r * L;
        for (let k = 0; k < K; k++) {
          let acc = 0;
          for (let t = k; t < L; t++) acc += (g[o + t] as number) * (zT[o + t - k] as number);
          gw[c * K + k] = (gw[c * K + k] as number) + acc;
        }
      }
    }
    return [gz, gw];
  });
}
