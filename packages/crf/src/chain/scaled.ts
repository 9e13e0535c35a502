import type { ChainWorkspace } from './kernels.js';

/** Scratch for {@link scaledForwardBackward} (grown on demand). */
export class ScaledWorkspace {
  readonly Y: number;
  eu: Float64Array;
  a: Float64Array;
  b: Float64Array;
  c: Float64Array;
  readonly v: Float64Array;
  constructor(Y: number, capacity = 64) {
    this.Y = Y;
    this.eu = new Float64Array(capacity * Y);
    this.a = new Float64Array(capacity * Y);
    this.b = new Float64Array(capacity * Y);
    this.c = new Float64Array(capacity);
    this.v = new Float64Array(Y);
  }
  ensure(T: number): void {
    if (this.c.length < T) {
      const n = Math.max(T, 2 * this.c.length);
      this.eu = new Float64Array(n * this.Y);
      this.a = new Float64Array(n * this.Y);
      this.b = new Float64Array(n * this.Y);
      this.c = new Float64Array(n);
    }
  }
}

/**
 * Forward–backward with per-step scaling (Rabiner 1989 §V-A) — the fast path of CRF training. Unary *log*
 * scores are exponentiated once per entry after subtracting each row's maximum, transitions use the cached
 * $e^{A - \max A}$ of `chain` (call `chain.setTransition` first), and every forward row is renormalised by its
 * sum $c_t$, so $\log Z = \sum_t (\log c_t + \max_y u_t(y) + [t>0]\max A)$. One exp per (t, y) instead of
 * several: about 5× fewer transcendental calls than the log-space kernels, with the same result.
 * Writes node marginals into `marg` (T×Y) and, if `pairOut` is given, adds $\sum_t \xi_t(i, j)$ into it.
 * Returns log Z, or NaN if a scaling factor underflowed (then use the log-space kernels, which are exact there).
 */
export function scaledForwardBackward(
  unary: Float64Array,
  T: number,
  chain: ChainWorkspace,
  ws: ScaledWorkspace,
  marg: Float64Array,
  pairOut: Float64Array | null,
): number {
  const Y = ws.Y;
  ws.ensure(T);
  const { eu, a, b, c, v } = ws;
  const expT = chain.expTransT;
  const expA = chain.expTrans;
  const mA = chain.maxTrans;
  let logZ = 0;
  for (let t = 0; t < T; t++) {
    const o = t * Y;
    let mu = unary[o];
    for (let y = 1; y < Y; y++) if (unary[o + y] > mu) mu = unary[o + y];
    for (let y = 0; y < Y; y++) eu[o + y] = Math.exp(unary[o + y] - mu);
    let s = 0;
    if (t === 0) {
      for (let y = 0; y < Y; y++) {
        a[y] = eu[y];
        s += eu[y];
      }
    } else {
      const p = o - Y;
      for (let j = 0; j < Y; j++) {
        let acc = 0;
        const r = j * Y;
        for (let i = 0; i < Y; i++) acc += a[p + i] * expT[r + i];
        const x = acc * eu[o + j];
        a[o + j] = x;
        s += x;
      }
      logZ += mA;
    }
    if (!(s > 1e-290) || !Number.isFinite(mu)) return Number.NaN;
    const inv = 1 / s;
    for (let y = 0; y < Y; y++) a[o + y] *= inv;
    c[t] = s;
    logZ += Math.log(s) + mu;
  }
  const last = (T - 1) * Y;
  for (let y = 0; y < Y; y++) b[last + y] = 1;
  for (let t = T - 2; t >= 0; t--) {
    const o = t * Y;
    const n = o + Y;
    const inv = 1 / c[t + 1];
    for (let j = 0; j < Y; j++) v[j] = eu[n + j] * b[n + j];
    for (let i = 0; i < Y; i++) {
      let acc = 0;
      const r = i * Y;
      for (let j = 0; j < Y; j++) acc += expA[r + j] * v[j];
      b[o + i] = acc * inv;
    }
  }
  for (let k = 0; k < T * Y; k++) marg[k] = a[k] * b[k];
  if (pairOut) {
    for (let t = 1; t < T; t++) {
      const o = t * Y;
      const p = o - Y;
      const inv = 1 / c[t];
      for (let j = 0; j < Y; j++) v[j] = eu[o + j] * b[o + j] * inv;
      for (let i = 0; i < Y; i++) {
        const ai = a[p + i];
        if (ai === 0) continue;
        const r = i * Y;
        for (let j = 0; j < Y; j++) pairOut[r + j] += ai * expA[r + j] * v[j];
      }
    }
  }
  return logZ;
}
