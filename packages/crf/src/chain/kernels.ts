/**
 * Flat, allocation-free linear-chain kernels shared by the HMM and the CRF.
 *
 * Scores are row-major `Float64Array`s: `unary[t * Y + y]` (T×Y) and `trans[i * Y + j]` (Y×Y, score of
 * moving from label i at t−1 to label j at t). Forward/backward messages are stored in log space; each
 * step computes $\log\sum_i e^{\alpha_{t-1}(i) + A_{ij}}$ as $m + \bar A + \log\sum_i e^{\alpha_{t-1}(i)-m}
 * e^{A_{ij}-\bar A}$ with $m = \max_i \alpha_{t-1}(i)$, $\bar A = \max A$, so a step costs Y exps and Y²
 * multiply-adds instead of Y² exps. When a sum underflows (below 1e-290) the exact max-shifted
 * log-sum-exp is used for that entry, so the result equals the plain log-space recursion.
 * Rows are stored normalised (log-space scaling, Rabiner 1989 §V-A): $\hatlpha_t = lpha_t - \sum_{s\le t}\ell_s$
 * with $\ell_t = \log\sum_y e^{\hatlpha_{t-1}\ldots}$ the step's log normaliser, and $\hateta_t = eta_t -
 * \sum_{s>t}\ell_s$, so $\log Z = \sum_t \ell_t$ and $p(y_t) = e^{\hatlpha_t + \hateta_t}$ — the stored values
 * stay O(1) and rounding does not grow with T (a 100,000-step chain sums to 1 within 1e-12).
 * Reference: Sutton & McCallum (2012), *An Introduction to Conditional Random Fields*, §4.1.
 * @packageDocumentation
 */

/** Reusable scratch buffers for the kernels (grown on demand, never shrunk). */
export class ChainWorkspace {
  /** Y: number of labels. */
  readonly Y: number;
  /** exp(A − max A), transposed: `expT[j * Y + i]`. */
  readonly expTransT: Float64Array;
  /** exp(A − max A): `expA[i * Y + j]`. */
  readonly expTrans: Float64Array;
  /** A itself (copy made by `setTransition`). */
  readonly trans: Float64Array;
  /** max A (finite) or −∞ when every transition is −∞. */
  maxTrans = 0;
  /** min A (−∞ when some transition is −∞); `maxTrans − minTrans` is the range the scaled kernels check. */
  minTrans = 0;
  /** Scratch of length Y. */
  readonly e1: Float64Array;
  /** Scratch of length Y. */
  readonly e2: Float64Array;
  /** Forward messages, T×Y (log space). */
  alpha: Float64Array;
  /** Backward messages, T×Y (log space, normalised). */
  beta: Float64Array;
  /** Per-step log normalisers ℓ_t (length T). */
  logC: Float64Array;

  constructor(Y: number, capacity = 64) {
    this.Y = Y;
    this.expTransT = new Float64Array(Y * Y);
    this.expTrans = new Float64Array(Y * Y);
    this.trans = new Float64Array(Y * Y);
    this.e1 = new Float64Array(Y);
    this.e2 = new Float64Array(Y);
    this.alpha = new Float64Array(capacity * Y);
    this.beta = new Float64Array(capacity * Y);
    this.logC = new Float64Array(capacity);
  }

  /** Makes room for a chain of length T. */
  ensure(T: number): void {
    if (this.alpha.length < T * this.Y) {
      const n = Math.max(T, 2 * (this.alpha.length / this.Y)) * this.Y;
      this.alpha = new Float64Array(n);
      this.beta = new Float64Array(n);
      this.logC = new Float64Array(n / this.Y);
    }
  }

  /** Loads a transition matrix (caches its exponentials). */
  setTransition(trans: Float64Array): void {
    const Y = this.Y;
    let mx = Number.NEGATIVE_INFINITY;
    let mn = Number.POSITIVE_INFINITY;
    for (let k = 0; k < Y * Y; k++) {
      if (trans[k] > mx) mx = trans[k];
      if (trans[k] < mn) mn = trans[k];
    }
    this.trans.set(trans.subarray(0, Y * Y));
    this.maxTrans = mx;
    this.minTrans = mn;
    for (let i = 0; i < Y; i++) {
      for (let j = 0; j < Y; j++) {
        const v = mx === Number.NEGATIVE_INFINITY ? 0 : Math.exp(trans[i * Y + j] - mx);
        this.expTrans[i * Y + j] = v;
        this.expTransT[j * Y + i] = v;
      }
    }
  }
}

const NEG_INF = Number.NEGATIVE_INFINITY;
const TINY = 1e-290;

/** Exact $\log\sum_i e^{a_{o+i s} + b_{p+i q}}$ over i < Y (used when the fast path underflows). */
function lseStrided(a: Float64Array, o: number, s: number, b: Float64Array, p: number, q: number, Y: number): number {
  let m = NEG_INF;
  for (let i = 0; i < Y; i++) {
    const v = a[o + i * s] + b[p + i * q];
    if (v > m) m = v;
  }
  if (m === NEG_INF) return NEG_INF;
  let s2 = 0;
  for (let i = 0; i < Y; i++) s2 += Math.exp(a[o + i * s] + b[p + i * q] - m);
  return m + Math.log(s2);
}

/**
 * Forward recursion $\alpha_0(y) = u_0(y)$, $\alpha_t(j) = u_t(j) + \log\sum_i e^{\alpha_{t-1}(i) + A_{ij}}$
 * into `ws.alpha`; returns $\log Z = \log\sum_y e^{\alpha_{T-1}(y)}$. Call `ws.setTransition` first.
 */
export function forwardLog(unary: Float64Array, trans: Float64Array, T: number, ws: ChainWorkspace): number {
  const Y = ws.Y;
  ws.ensure(T);
  const alpha = ws.alpha;
  const e = ws.e1;
  const expT = ws.expTransT;
  const mA = ws.maxTrans;
  const logC = ws.logC;
  for (let y = 0; y < Y; y++) alpha[y] = unary[y];
  let logZ = normaliseRow(alpha, 0, Y);
  logC[0] = logZ;
  if (logZ === NEG_INF) return NEG_INF;
  for (let t = 1; t < T; t++) {
    const prev = (t - 1) * Y;
    const cur = t * Y;
    let m = NEG_INF;
    for (let i = 0; i < Y; i++) if (alpha[prev + i] > m) m = alpha[prev + i];
    if (mA === NEG_INF) return NEG_INF;
    for (let i = 0; i < Y; i++) e[i] = Math.exp(alpha[prev + i] - m);
    const shift = m + mA;
    for (let j = 0; j < Y; j++) {
      let s = 0;
      const r = j * Y;
      for (let i = 0; i < Y; i++) s += e[i] * expT[r + i];
      alpha[cur + j] =
        unary[cur + j] + (s > TINY ? shift + Math.log(s) : lseStrided(alpha, prev, 1, trans, j, Y, Y));
    }
    const l = normaliseRow(alpha, cur, Y);
    if (l === NEG_INF) return NEG_INF;
    logC[t] = l;
    logZ += l;
  }
  return logZ;
}

/** Subtracts the row's log-sum-exp from it and returns that log-sum-exp. */
function normaliseRow(x: Float64Array, o: number, Y: number): number {
  const l = lseRow(x, o, Y);
  if (l === NEG_INF) return l;
  for (let y = 0; y < Y; y++) x[o + y] -= l;
  return l;
}

/**
 * Backward recursion $\beta_{T-1}(y) = 0$, $\beta_t(i) = \log\sum_j e^{A_{ij} + u_{t+1}(j) + \beta_{t+1}(j)}$
 * into `ws.beta` (normalised by the forward pass's ℓ_{t+1}). Call {@link forwardLog} first (finite log Z).
 */
export function backwardLog(unary: Float64Array, trans: Float64Array, T: number, ws: ChainWorkspace): void {
  const Y = ws.Y;
  ws.ensure(T);
  const beta = ws.beta;
  const e = ws.e1;
  const v = ws.e2;
  const expA = ws.expTrans;
  const mA = ws.maxTrans;
  const logC = ws.logC;
  for (let y = 0; y < Y; y++) beta[(T - 1) * Y + y] = 0;
  for (let t = T - 2; t >= 0; t--) {
    const nxt = (t + 1) * Y;
    const cur = t * Y;
    let m = NEG_INF;
    for (let j = 0; j < Y; j++) {
      v[j] = unary[nxt + j] + beta[nxt + j];
      if (v[j] > m) m = v[j];
    }
    if (m === NEG_INF || mA === NEG_INF) {
      for (let i = 0; i < Y; i++) beta[cur + i] = NEG_INF;
      continue;
    }
    for (let j = 0; j < Y; j++) e[j] = Math.exp(v[j] - m);
    const shift = m + mA - logC[t + 1];
    for (let i = 0; i < Y; i++) {
      let s = 0;
      const r = i * Y;
      for (let j = 0; j < Y; j++) s += expA[r + j] * e[j];
      beta[cur + i] = s > TINY ? shift + Math.log(s) : lseStrided(v, 0, 1, trans, i * Y, 1, Y) - logC[t + 1];
    }
  }
}

/** $\log\sum_{y<Y} e^{x_{o+y}}$, max-shifted. */
export function lseRow(x: Float64Array, o: number, Y: number): number {
  let m = NEG_INF;
  for (let y = 0; y < Y; y++) if (x[o + y] > m) m = x[o + y];
  if (m === NEG_INF || m === Number.POSITIVE_INFINITY) return m;
  let s = 0;
  for (let y = 0; y < Y; y++) s += Math.exp(x[o + y] - m);
  return m + Math.log(s);
}

/**
 * Node marginals $p(y_t = y\mid x) = e^{\alpha_t(y) + \beta_t(y) - \log Z} = e^{\hat\alpha_t(y) + \hat\beta_t(y)}$
 * into `out` (T×Y), after {@link forwardLog} and {@link backwardLog}.
 */
export function nodeMarginals(T: number, ws: ChainWorkspace, out: Float64Array): void {
  const n = T * ws.Y;
  const a = ws.alpha;
  const b = ws.beta;
  for (let k = 0; k < n; k++) out[k] = Math.exp(a[k] + b[k]);
}

/**
 * Adds the pairwise marginals $\xi_t(i,j) = e^{\alpha_{t-1}(i) + A_{ij} + u_t(j) + \beta_t(j) - \log Z}$ for
 * t = 1..T−1 into `out`: summed into one Y×Y block when `sum` is true, else at `out[(t-1)·Y² + i·Y + j]`.
 * With the normalised messages the exponent is $\hat\alpha_{t-1}(i) + A_{ij} + u_t(j) + \hat\beta_t(j) - \ell_t$;
 * it is split into three max-shifted factors, and where their product's bound overflows (the three maxima at
 * different (i, j), e.g. a dominant label whose transitions are all very negative) the step takes one exp per entry.
 */
export function pairwiseMarginals(
  unary: Float64Array,
  T: number,
  ws: ChainWorkspace,
  out: Float64Array,
  sum: boolean,
): void {
  const Y = ws.Y;
  const a = ws.alpha;
  const b = ws.beta;
  const ea = ws.e1;
  const eb = ws.e2;
  const expA = ws.expTrans;
  const mA = ws.maxTrans;
  if (mA === NEG_INF) return;
  for (let t = 1; t < T; t++) {
    const prev = (t - 1) * Y;
    const cur = t * Y;
    let ma = NEG_INF;
    let mb = NEG_INF;
    for (let y = 0; y < Y; y++) {
      if (a[prev + y] > ma) ma = a[prev + y];
      const w = unary[cur + y] + b[cur + y];
      eb[y] = w;
      if (w > mb) mb = w;
    }
    if (ma === NEG_INF || mb === NEG_INF) continue;
    for (let y = 0; y < Y; y++) {
      ea[y] = Math.exp(a[prev + y] - ma);
      eb[y] = Math.exp(eb[y] - mb);
    }
    const c = Math.exp(ma + mb + mA - ws.logC[t]);
    const base = sum ? 0 : (t - 1) * Y * Y;
    if (c === Number.POSITIVE_INFINITY) {
      const tr = ws.trans;
      const l = ws.logC[t];
      for (let i = 0; i < Y; i++) {
        for (let j = 0; j < Y; j++) out[base + i * Y + j] += Math.exp(a[prev + i] + tr[i * Y + j] + unary[cur + j] + b[cur + j] - l);
      }
      continue;
    }
    for (let i = 0; i < Y; i++) {
      const ci = ea[i] * c;
      if (ci === 0) continue;
      const r = i * Y;
      for (let j = 0; j < Y; j++) out[base + r + j] += ci * expA[r + j] * eb[j];
    }
  }
}

/**
 * Max-product (Viterbi) recursion $\delta_t(j) = u_t(j) + \max_i(\delta_{t-1}(i) + A_{ij})$ with back-pointers;
 * writes the best path into `path` and returns its score. `delta` is T×Y scratch, `back` T×Y.
 */
export function viterbiKernel(
  unary: Float64Array,
  trans: Float64Array,
  T: number,
  Y: number,
  delta: Float64Array,
  back: Int32Array,
  path: Int32Array,
): number {
  for (let y = 0; y < Y; y++) delta[y] = unary[y];
  for (let t = 1; t < T; t++) {
    const prev = (t - 1) * Y;
    const cur = t * Y;
    for (let j = 0; j < Y; j++) {
      let best = NEG_INF;
      let arg = 0;
      for (let i = 0; i < Y; i++) {
        const v = delta[prev + i] + trans[i * Y + j];
        if (v > best) {
          best = v;
          arg = i;
        }
      }
      delta[cur + j] = best + unary[cur + j];
      back[cur + j] = arg;
    }
  }
  let best = NEG_INF;
  let arg = 0;
  const last = (T - 1) * Y;
  for (let y = 0; y < Y; y++) {
    if (delta[last + y] > best) {
      best = delta[last + y];
      arg = y;
    }
  }
  path[T - 1] = arg;
  for (let t = T - 1; t > 0; t--) path[t - 1] = back[t * Y + path[t]];
  return best;
}
