import type { ChainWorkspace } from './kernels.js';

/** Scratch for {@link scaledForwardBackward} (grown on demand by `ensure`, which does not keep contents). */
export class ScaledWorkspace {
  /** Y: number of labels. */
  readonly Y: number;
  /** Exponentiated unary rows $e^{u_t(y) - m_t}$ (T×Y). */
  eu: Float64Array;
  /** Normalised forward rows $\hat\alpha_t$ (T×Y). */
  a: Float64Array;
  /** Backward scratch: the rows $v_t = e^{u_t - m_t} \odot \hat\beta_t / c_t$ (T×Y). */
  b: Float64Array;
  /** Per-step scaling factors $c_t$ (length ≥ T). */
  c: Float64Array;
  /** Per-row shifts $m_t$ of `eu` = $e^{u_t - m_t}$ (length ≥ T). */
  shift: Float64Array;
  /** Y×Y accumulator of {@link scaledForwardBackward}. */
  readonly outer: Float64Array;
  constructor(Y: number, capacity = 64) {
    this.Y = Y;
    this.eu = new Float64Array(capacity * Y);
    this.a = new Float64Array(capacity * Y);
    this.b = new Float64Array(capacity * Y);
    this.c = new Float64Array(capacity);
    this.shift = new Float64Array(capacity);
    this.outer = new Float64Array(Y * Y);
  }
  /** Makes room for a chain of length T (new buffers when it grows). */
  ensure(T: number): void {
    if (this.c.length < T) {
      const n = Math.max(T, 2 * this.c.length);
      this.eu = new Float64Array(n * this.Y);
      this.a = new Float64Array(n * this.Y);
      this.b = new Float64Array(n * this.Y);
      this.c = new Float64Array(n);
      this.shift = new Float64Array(n);
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
 * Returns log Z, or NaN if a scaling factor underflowed or, for T > 1, the exp'd unary entries and transitions span more
 * than 300 nats (`MAX_RANGE`; then use the log-space kernels, which are exact there).
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
  const outer = ws.outer;
  outer.fill(0);
  const logZ = scaledExpectations(unary, T, chain, ws, marg, outer);
  if (pairOut && !Number.isNaN(logZ)) {
    const expA = chain.expTrans;
    for (let k = 0; k < Y * Y; k++) pairOut[k] += expA[k] * outer[k];
  }
  return logZ;
}

/**
 * The scaled forward–backward of {@link scaledForwardBackward} with the backward pass fused with the node and
 * pairwise expectations. With normalised forward rows $\hat\alpha_t$ and $v_t(j) = e^{u_t(j) - \max u_t}
 * \hat\beta_t(j) / c_t$, the pairwise marginal is $\xi_t(i, j) = \hat\alpha_{t-1}(i)\, e^{A_{ij} - \max A}\,
 * v_t(j)$; the factor $e^{A_{ij} - \max A}$ does not depend on t, so this adds only the outer products
 * $\sum_t \hat\alpha_{t-1}(i) v_t(j)$ into `outer` (Y×Y) — multiply them elementwise by `chain.expTrans`
 * (once, after any number of sequences) to get $\sum_t \xi_t(i, j)$. Node marginals
 * $\hat\alpha_t(y)\hat\beta_t(y)$ go into `marg` (T×Y). Returns log Z, or NaN (range over 300 nats or a
 * scaling factor underflowed, as in {@link scaledForwardBackward}); then neither `marg` nor `outer` has been touched.
 */
export function scaledExpectations(
  unary: Float64Array,
  T: number,
  chain: ChainWorkspace,
  ws: ScaledWorkspace,
  marg: Float64Array,
  outer: Float64Array,
): number {
  const Y = ws.Y;
  ws.ensure(T);
  const { eu, shift } = ws;
  for (let t = 0; t < T; t++) {
    const o = t * Y;
    let mu = unary[o];
    for (let y = 1; y < Y; y++) if (unary[o + y] > mu) mu = unary[o + y];
    for (let y = 0; y < Y; y++) eu[o + y] = Math.exp(unary[o + y] - mu);
    shift[t] = mu;
  }
  return scaledExpectationsExp(T, chain, ws, marg, outer);
}

/**
 * {@link scaledExpectations} from exponentiated unary rows: the caller has called `ws.ensure(T)` and written
 * $e^{u_t(y) - m_t}$ into `ws.eu` (T×Y) and $m_t$ into `ws.shift`, for any finite shifts $m_t \ge \max_y u_t(y)$
 * (so no entry overflows; log Z adds them back). Returns log Z, or NaN if the range check (`MAX_RANGE`) fails or a scaling factor underflowed (then
 * `marg` and `outer` are untouched).
 */
export function scaledExpectationsExp(T: number, chain: ChainWorkspace, ws: ScaledWorkspace, marg: Float64Array, outer: Float64Array): number {
  const Y = ws.Y;
  const { eu, a, c, shift } = ws;
  const vv = ws.b;
  const expT = chain.expTransT;
  const expA = chain.expTrans;
  const mA = chain.maxTrans;
  const Y4 = Y - (Y % 4);
  if (T > 1 && !withinRange(eu, T * Y, mA - chain.minTrans)) return Number.NaN;
  let logZ = 0;
  // forward: â_t = normalised e^{u_t − m_t} ⊙ (E^T â_{t−1}), four outputs per pass over â_{t−1}
  for (let t = 0; t < T; t++) {
    const o = t * Y;
    const mu = shift[t];
    let s = 0;
    if (t === 0) {
      for (let y = 0; y < Y; y++) {
        a[y] = eu[y];
        s += eu[y];
      }
    } else {
      const p = o - Y;
      let j = 0;
      for (; j < Y4; j += 4) {
        const r0 = j * Y;
        const r1 = r0 + Y;
        const r2 = r1 + Y;
        const r3 = r2 + Y;
        let c0 = 0;
        let c1 = 0;
        let c2 = 0;
        let c3 = 0;
        for (let i = 0; i < Y; i++) {
          const ai = a[p + i];
          c0 += ai * expT[r0 + i];
          c1 += ai * expT[r1 + i];
          c2 += ai * expT[r2 + i];
          c3 += ai * expT[r3 + i];
        }
        c0 *= eu[o + j];
        c1 *= eu[o + j + 1];
        c2 *= eu[o + j + 2];
        c3 *= eu[o + j + 3];
        a[o + j] = c0;
        a[o + j + 1] = c1;
        a[o + j + 2] = c2;
        a[o + j + 3] = c3;
        s += c0 + c1 + c2 + c3;
      }
      for (; j < Y; j++) {
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
  // backward: β̂_t = E v_{t+1} with v_t = e^{u_t − max u_t} ⊙ β̂_t / c_t (stored in vv), β̂_{T−1} = 1
  const last = (T - 1) * Y;
  const cl = 1 / c[T - 1];
  for (let y = 0; y < Y; y++) {
    marg[last + y] = a[last + y];
    vv[last + y] = eu[last + y] * cl;
  }
  for (let t = T - 2; t >= 0; t--) {
    const o = t * Y;
    const n = o + Y;
    const inv = t > 0 ? 1 / c[t] : 0;
    let i = 0;
    for (; i < Y4; i += 4) {
      const r0 = i * Y;
      const r1 = r0 + Y;
      const r2 = r1 + Y;
      const r3 = r2 + Y;
      let b0 = 0;
      let b1 = 0;
      let b2 = 0;
      let b3 = 0;
      for (let j = 0; j < Y; j++) {
        const x = vv[n + j];
        b0 += expA[r0 + j] * x;
        b1 += expA[r1 + j] * x;
        b2 += expA[r2 + j] * x;
        b3 += expA[r3 + j] * x;
      }
      marg[o + i] = a[o + i] * b0;
      marg[o + i + 1] = a[o + i + 1] * b1;
      marg[o + i + 2] = a[o + i + 2] * b2;
      marg[o + i + 3] = a[o + i + 3] * b3;
      vv[o + i] = eu[o + i] * b0 * inv;
      vv[o + i + 1] = eu[o + i + 1] * b1 * inv;
      vv[o + i + 2] = eu[o + i + 2] * b2 * inv;
      vv[o + i + 3] = eu[o + i + 3] * b3 * inv;
    }
    for (; i < Y; i++) {
      const r = i * Y;
      let acc = 0;
      for (let j = 0; j < Y; j++) acc += expA[r + j] * vv[n + j];
      marg[o + i] = a[o + i] * acc;
      vv[o + i] = eu[o + i] * acc * inv;
    }
  }
  // pairwise: outer(i, j) += Σ_t â_t(i) v_{t+1}(j), blocked 2 × 4 over (i, j) with the sum over t in registers
  if (T > 1) addOuterProducts(a, vv, T - 1, Y, outer);
  return logZ;
}

/**
 * Largest accepted range, in nats, of the exp'd factors: $-\log \min_{t,y} e^{u_t(y) - m_t} + (\max A - \min A)
 * \le 300$. Every positive quantity of the recursion (forward rows ≥ $e^{-300}/Y$ of their sum, backward rows within
 * $e^{\pm 300}$, $v_t \le e^{600}$, products ≥ $e^{-600}/Y$) then stays a normal double, so all sums of positive terms
 * keep full relative precision. A wider range can leave a forward entry subnormal (a few significant bits, or 0) that
 * a later factor makes dominant: log Z off by O(1) or NaN marginals, so such chains go to the log-space kernels.
 */
const MAX_RANGE = 300;

/** True when $\min_k e_k \cdot e^{-\text{transRange}} \ge e^{-300}$ over `eu[0 .. n)` (NaN fails). */
function withinRange(eu: Float64Array, n: number, transRange: number): boolean {
  if (!(transRange <= MAX_RANGE)) return false;
  const floor = Math.exp(transRange - MAX_RANGE);
  for (let k = 0; k < n; k++) if (!(eu[k] >= floor)) return false;
  return true;
}

/** `outer[i·Y + j] += Σ_{t<m} x[t·Y + i] · z[(t+1)·Y + j]` (Y×Y), register-blocked. */
function addOuterProducts(x: Float64Array, z: Float64Array, m: number, Y: number, outer: Float64Array): void {
  const Y4 = Y - (Y % 4);
  const end = m * Y;
  for (let i = 0; i < Y; i += 2) {
    const two = i + 1 < Y;
    let j = 0;
    for (; j < Y4; j += 4) {
      let p0 = 0;
      let p1 = 0;
      let p2 = 0;
      let p3 = 0;
      let q0 = 0;
      let q1 = 0;
      let q2 = 0;
      let q3 = 0;
      for (let o = 0; o < end; o += Y) {
        const xa = x[o + i];
        const xb = two ? x[o + i + 1] : 0;
        const zo = o + Y + j;
        const z0 = z[zo];
        const z1 = z[zo + 1];
        const z2 = z[zo + 2];
        const z3 = z[zo + 3];
        p0 += xa * z0;
        p1 += xa * z1;
        p2 += xa * z2;
        p3 += xa * z3;
        q0 += xb * z0;
        q1 += xb * z1;
        q2 += xb * z2;
        q3 += xb * z3;
      }
      const r = i * Y + j;
      outer[r] += p0;
      outer[r + 1] += p1;
      outer[r + 2] += p2;
      outer[r + 3] += p3;
      if (two) {
        outer[r + Y] += q0;
        outer[r + Y + 1] += q1;
        outer[r + Y + 2] += q2;
        outer[r + Y + 3] += q3;
      }
    }
    for (; j < Y; j++) {
      let p0 = 0;
      let q0 = 0;
      for (let o = 0; o < end; o += Y) {
        const zj = z[o + Y + j];
        p0 += x[o + i] * zj;
        if (two) q0 += x[o + i + 1] * zj;
      }
      outer[i * Y + j] += p0;
      if (two) outer[(i + 1) * Y + j] += q0;
    }
  }
}
