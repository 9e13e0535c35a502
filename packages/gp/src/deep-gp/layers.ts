/**
 * The doubly stochastic variational bound of a deep GP (Salimbeni & Deisenroth 2017, "Doubly Stochastic
 * Variational Inference for Deep Gaussian Processes"), its gradient and the sampled predictive.
 *
 * Layer l maps $f^{(l-1)}$ (with $f^{(0)} = x$) to $f^{(l)}$ of width $D_l$ ($D_L = 1$). Each output dimension t of a
 * layer has inducing outputs $u_t$ at the layer's inducing inputs $Z_l$ (m × $D_{l-1}$), shared ARD-RBF kernel
 * $k(a, b) = \sigma_f^2\exp(-\tfrac12\sum_j (a_j - b_j)^2/\ell_j^2)$, and a fixed linear mean function $W_l$
 * ($D_{l-1}\times D_l$) for the inner layers, zero for the last. q(u) is whitened (as in GPflow/GPflux): $u_t = L_Kv_t$
 * with $L_K = \mathrm{chol}(K_{mm})$, $q(v_t) = \mathcal N(m_t, L_tL_t^\top)$, prior $\mathcal N(0, I)$, i.e.
 * $q(u_t) = \mathcal N(L_Km_t, L_KL_tL_t^\top L_K^\top)$ (the first version followed the paper's code and parameterised q(u)
 * directly; Adam then crawled along the $K_{mm}^{-1}$-conditioned KL and the noise absorbed the signal, so it is whitened
 * here). Given one input row $a$ of the layer, the marginal of $q(f(a)) = \int p(f(a)\mid u)q(u)du$ is Gaussian with
 * $$\mu_t(a) = a^\top W_{:,t} + \beta(a)^\top m_t,\qquad \sigma_t^2(a) = k(a,a) - \|\beta(a)\|^2 + \|L_t^\top\beta(a)\|^2,\qquad \beta(a) = L_K^{-1}k_a,$$
 * and only these marginals are needed (the paper's §3: each point's sample of layer l depends only on its own
 * sample of layer l−1). Samples are reparameterised, $f = \mu + \sqrt{\sigma^2}\,\varepsilon$. The bound is
 * $$\mathcal L = \tfrac{n}{|B|}\sum_{i\in B}\tfrac1S\sum_{s=1}^S \mathbb E_{\mathcal N(f\mid\mu^{(L)}_{is},\sigma^{2(L)}_{is})}\log\mathcal N(y_i\mid f, \sigma^2) - \sum_l\sum_t \mathrm{KL}\big(q(u_{l,t})\,\|\,\mathcal N(0, K^{(l)}_{mm})\big),$$
 * the last layer's expectation in closed form: $\log\mathcal N(y\mid\mu,\sigma^2) - \sigma^2_f/(2\sigma^2)$ with $\sigma_f^2$ the
 * marginal variance; whitened, $\mathrm{KL}(q(v_t)\|\mathcal N(0, I)) = \tfrac12[\|L_t\|_F^2 + \|m_t\|^2 - m - \log|L_tL_t^\top|]$.
 * With one layer nothing is sampled and $\mathcal L$ is SVGP's bound for the same q(u) (test).
 *
 * Gradients: everything except the Cholesky factor is recorded on core's autodiff tape, with $Q = L_K^{-1}$ entered as
 * a leaf; its cotangent $\bar Q$ goes to $\bar L = -\mathrm{tril}(Q^\top\bar QQ^\top)$, then through the Cholesky
 * factorisation by Murray (2016, "Differentiation of the Cholesky decomposition", eq. 10):
 * $\bar K = L^{-\top}\Phi(L^\top\bar L)L^{-1}$ (Φ: lower triangle with the diagonal halved), and on to $\sigma_f^2$, ℓ
 * and Z by a second tape over $\sum \bar K\odot K_{mm}(\theta, Z)$ (checked against central differences in the tests).
 */
import { DomainError, NonFiniteError, type Rng, Tensor, cholesky, fromRowMajor, matmul, ops, variableGrads } from '@notes/core-linalg';

/** Floor added to a sampled variance before its square root (as in the paper's code, which adds jitter). */
export const SAMPLE_VARIANCE_FLOOR = 1e-8;

/** One layer's parameters (plain arrays; the model and the fit loop share this form). */
export interface LayerParams {
  readonly dIn: number;
  readonly dOut: number;
  /** Number of inducing points. */
  readonly m: number;
  /** Kernel variance σ_f². */
  readonly variance: number;
  /** ARD length-scales (dIn). */
  readonly lengthScale: Float64Array;
  /** Inducing inputs, m × dIn row-major. */
  readonly Z: Float64Array;
  /** Means of the whitened q(v), m × dOut row-major (column t is $m_t$; $u_t = L_Km_t$ on average). */
  readonly qMu: Float64Array;
  /** Lower Cholesky factors of the whitened covariances of q(v): dOut blocks of m × m, row-major, upper triangles 0. */
  readonly qSqrt: Float64Array;
  /** Fixed linear mean function, dIn × dOut row-major; null for the zero mean (the last layer). */
  readonly W: Float64Array | null;
}

/** Tensors of one layer for a forward pass. */
interface LayerTensors {
  logVar: Tensor;
  logLs: Tensor;
  Z: Tensor;
  qMu: Tensor;
  qSqrt: Tensor;
  W: Tensor | null;
  /** $Q = L_K^{-1}$, a leaf. */
  Q: Tensor;
  /** $L_K$ (plain). */
  L: Float64Array;
  lower: Tensor;
  eye: Tensor;
  p: LayerParams;
}

const maskCache = new Map<number, { lower: Tensor; eye: Tensor }>();
function masks(m: number): { lower: Tensor; eye: Tensor } {
  let c = maskCache.get(m);
  if (!c) {
    const lower = new Float64Array(m * m);
    const eye = new Float64Array(m * m);
    for (let i = 0; i < m; i++) {
      eye[i * m + i] = 1;
      for (let j = 0; j <= i; j++) lower[i * m + j] = 1;
    }
    c = { lower: new Tensor(lower, [m, m]), eye: new Tensor(eye, [m, m]) };
    if (maskCache.size > 16) maskCache.clear();
    maskCache.set(m, c);
  }
  return c;
}

/** $K(Z, F)$ (m × N) of the ARD-RBF kernel with log variance and log length-scales, on the tape. */
export function kernelT(Z: Tensor, F: Tensor, logVar: Tensor, logLs: Tensor): Tensor {
  const ls = ops.exp(logLs);
  const Zs = ops.div(Z, ls);
  const Fs = ops.div(F, ls);
  const N = F.shape[0] as number;
  const z2 = ops.sum(ops.square(Zs), 1, true);
  const f2 = ops.reshape(ops.sum(ops.square(Fs), 1), [1, N]);
  const cross = ops.matmul(Zs, ops.transpose(Fs));
  const d2 = ops.relu(ops.sub(ops.add(z2, f2), ops.mul(cross, 2)));
  return ops.exp(ops.add(ops.mul(d2, -0.5), logVar));
}

/** $K_{mm}$ + relative jitter (jitter × σ_f² on the diagonal), on the tape. */
function kmmT(Z: Tensor, logVar: Tensor, logLs: Tensor, eye: Tensor, jitter: number): Tensor {
  const K = kernelT(Z, Z, logVar, logLs);
  return ops.add(K, ops.mul(eye, ops.mul(ops.exp(logVar), jitter)));
}

/** The plain $K_{mm}$ with jitter, symmetrised (m × m row-major). */
export function inducingCovariance(p: LayerParams, jitter: number): Float64Array {
  const { eye } = masks(p.m);
  const Z = new Tensor(p.Z, [p.m, p.dIn]);
  const K = kmmT(Z, Tensor.scalar(Math.log(p.variance)), new Tensor(Float64Array.from(p.lengthScale, Math.log), [p.dIn]), eye, jitter).data;
  const m = p.m;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < i; j++) {
      const v = 0.5 * ((K[i * m + j] as number) + (K[j * m + i] as number));
      K[i * m + j] = v;
      K[j * m + i] = v;
    }
  }
  return K;
}

/** $L_K = \mathrm{chol}(K_{mm})$ (with jitter) and $Q = L_K^{-1}$, both lower triangular. */
export function inducingFactor(p: LayerParams, jitter: number): { L: Float64Array; Q: Float64Array } {
  const m = p.m;
  const L = cholesky(fromRowMajor(inducingCovariance(p, jitter), m, m)).lowerData.slice();
  const Q = new Float64Array(m * m);
  for (let j = 0; j < m; j++) {
    // column j of L⁻¹ by forward substitution
    Q[j * m + j] = 1 / (L[j * m + j] as number);
    for (let i = j + 1; i < m; i++) {
      let s = 0;
      for (let k = j; k < i; k++) s += (L[i * m + k] as number) * (Q[k * m + j] as number);
      Q[i * m + j] = -s / (L[i * m + i] as number);
    }
  }
  return { L, Q };
}

function layerTensors(p: LayerParams, jitter: number, learnZ: boolean, grad: boolean): LayerTensors {
  const { L, Q } = inducingFactor(p, jitter);
  const { lower, eye } = masks(p.m);
  const rg = { requiresGrad: grad };
  return {
    logVar: new Tensor(Float64Array.of(Math.log(p.variance)), [], rg),
    logLs: new Tensor(Float64Array.from(p.lengthScale, Math.log), [p.dIn], rg),
    Z: new Tensor(p.Z.slice(), [p.m, p.dIn], { requiresGrad: grad && learnZ }),
    qMu: new Tensor(p.qMu.slice(), [p.m, p.dOut], rg),
    qSqrt: new Tensor(p.qSqrt.slice(), [p.dOut, p.m, p.m], rg),
    W: p.W ? new Tensor(p.W, [p.dIn, p.dOut]) : null,
    Q: new Tensor(Q, [p.m, p.m], rg),
    L,
    lower,
    eye,
    p,
  };
}

/** Marginal means and variances (N × dOut) of a layer at its N input rows F. */
function marginals(t: LayerTensors, F: Tensor): { mean: Tensor; variance: Tensor } {
  const K = kernelT(t.Z, F, t.logVar, t.logLs);
  const N = F.shape[0] as number;
  const A = ops.matmul(t.Q, K);
  let mean = ops.matmul(ops.transpose(A), t.qMu);
  if (t.W) mean = ops.add(mean, ops.matmul(F, t.W));
  const qd = ops.reshape(ops.sum(ops.square(A), 0), [N, 1]);
  const Lm = ops.mul(t.qSqrt, t.lower);
  const B = ops.matmul(ops.transpose(Lm, 1, 2), A);
  const sd = ops.transpose(ops.sum(ops.square(B), 1));
  const variance = ops.add(ops.sub(ops.exp(t.logVar), qd), sd);
  return { mean, variance };
}

/** $\sum_t \mathrm{KL}(q(v_t)\,\|\,\mathcal N(0, I))$ (= KL of q(u_t) from its prior). */
function klT(t: LayerTensors): Tensor {
  const { m, dOut } = t.p;
  const Lm = ops.mul(t.qSqrt, t.lower);
  const tr = ops.sum(ops.square(Lm));
  const quad = ops.sum(ops.square(t.qMu));
  const diag = ops.sum(ops.mul(Lm, t.eye), 2);
  const logDetS = ops.sum(ops.log(ops.square(diag)));
  return ops.mul(ops.add(ops.sub(ops.add(tr, quad), logDetS), -dOut * m), 0.5);
}

/** Draws of ε for a forward pass: one N × dOut block per inner layer. */
export function drawEps(layers: readonly LayerParams[], N: number, rng: Rng): Float64Array[] {
  return layers.slice(0, -1).map((p) => {
    const e = new Float64Array(N * p.dOut);
    for (let i = 0; i < e.length; i++) e[i] = rng.normal();
    return e;
  });
}

/** Propagates input rows F0 (N × d) through the layers with the given ε; returns every layer's marginals. */
function propagate(ts: readonly LayerTensors[], F0: Tensor, eps: readonly Float64Array[]): { mean: Tensor; variance: Tensor; input: Tensor }[] {
  const out: { mean: Tensor; variance: Tensor; input: Tensor }[] = [];
  let F = F0;
  const N = F0.shape[0] as number;
  for (let l = 0; l < ts.length; l++) {
    const t = ts[l] as LayerTensors;
    const r = marginals(t, F);
    out.push({ ...r, input: F });
    if (l < ts.length - 1) {
      const e = new Tensor(eps[l] as Float64Array, [N, t.p.dOut]);
      F = ops.add(r.mean, ops.mul(ops.sqrt(ops.add(ops.relu(r.variance), SAMPLE_VARIANCE_FLOOR)), e));
    }
  }
  return out;
}

/** The data of one bound evaluation: rows `idx` of X (n × d) and y, each repeated S times, and the ε draws. */
export interface BatchData {
  X: Float64Array;
  d: number;
  y: Float64Array;
  /** Total number of data points n (the bound scales the batch by n / |B|). */
  n: number;
  idx: ArrayLike<number>;
  samples: number;
  eps: readonly Float64Array[];
}

function batchTensors(b: BatchData): { F0: Tensor; Y: Tensor; N: number } {
  const B = b.idx.length;
  const N = B * b.samples;
  const F = new Float64Array(N * b.d);
  const Y = new Float64Array(N);
  for (let s = 0; s < b.samples; s++) {
    for (let j = 0; j < B; j++) {
      const i = b.idx[j] as number;
      F.set(b.X.subarray(i * b.d, (i + 1) * b.d), (s * B + j) * b.d);
      Y[s * B + j] = b.y[i] as number;
    }
  }
  return { F0: new Tensor(F, [N, b.d]), Y: new Tensor(Y, [N, 1]), N };
}

function boundT(ts: readonly LayerTensors[], logNoise: Tensor, b: BatchData): Tensor {
  const { F0, Y, N } = batchTensors(b);
  const out = propagate(ts, F0, b.eps);
  const last = out[out.length - 1] as { mean: Tensor; variance: Tensor };
  const r2 = ops.add(ops.square(ops.sub(Y, last.mean)), last.variance);
  const ell = ops.sub(ops.mul(ops.add(logNoise, Math.log(2 * Math.PI)), -0.5 * N), ops.mul(ops.sum(r2), ops.mul(ops.exp(ops.neg(logNoise)), 0.5)));
  let value = ops.mul(ell, b.n / N);
  for (const t of ts) value = ops.sub(value, klT(t));
  return value;
}

/** Layout of the flat parameter vector that Adam updates. */
export interface ParamLayout {
  learnZ: boolean;
  size: number;
  /** Entries holding log σ_f² and log ℓ (kept in [−20, 20] by the fit). */
  logKernel: number[];
}

/** Number of entries of the flat vector for these layers: per layer [log σ_f², log ℓ, (Z), qMu, qSqrt], then log σ². */
export function layoutOf(layers: readonly LayerParams[], learnZ: boolean): ParamLayout {
  let size = 1;
  const logKernel: number[] = [];
  for (const p of layers) {
    for (let j = 0; j <= p.dIn; j++) logKernel.push(size - 1 + j);
    size += 1 + p.dIn + (learnZ ? p.m * p.dIn : 0) + p.m * p.dOut + p.dOut * p.m * p.m;
  }
  return { learnZ, size, logKernel };
}

/** Packs layers and the noise into the flat vector (logs of the positive parameters). */
export function pack(layers: readonly LayerParams[], noise: number, layout: ParamLayout): Float64Array {
  const x = new Float64Array(layout.size);
  let o = 0;
  for (const p of layers) {
    x[o++] = Math.log(p.variance);
    for (const v of p.lengthScale) x[o++] = Math.log(v);
    if (layout.learnZ) {
      x.set(p.Z, o);
      o += p.Z.length;
    }
    x.set(p.qMu, o);
    o += p.qMu.length;
    x.set(p.qSqrt, o);
    o += p.qSqrt.length;
  }
  x[o] = Math.log(noise);
  return x;
}

/** Inverse of {@link pack} (Z taken from `layers` when it is not learned). */
export function unpack(x: Float64Array, like: readonly LayerParams[], layout: ParamLayout): { layers: LayerParams[]; noise: number } {
  let o = 0;
  const layers = like.map((p) => {
    const variance = Math.exp(x[o++] as number);
    const lengthScale = Float64Array.from(x.subarray(o, o + p.dIn), Math.exp);
    o += p.dIn;
    let Z = p.Z;
    if (layout.learnZ) {
      Z = x.slice(o, o + p.m * p.dIn);
      o += p.m * p.dIn;
    }
    const qMu = x.slice(o, o + p.m * p.dOut);
    o += p.m * p.dOut;
    const qSqrt = x.slice(o, o + p.dOut * p.m * p.m);
    o += p.dOut * p.m * p.m;
    return { ...p, variance, lengthScale, Z, qMu, qSqrt };
  });
  return { layers, noise: Math.exp(x[o] as number) };
}

/**
 * The bound on a batch and its gradient with respect to the flat vector (see the module comment).
 * @throws NonFiniteError when the bound is not finite.
 */
export function boundAndGradient(layers: readonly LayerParams[], noise: number, layout: ParamLayout, jitter: number, b: BatchData): { value: number; gradient: Float64Array } {
  const ts = layers.map((p) => layerTensors(p, jitter, layout.learnZ, true));
  const logNoise = new Tensor(Float64Array.of(Math.log(noise)), [], { requiresGrad: true });
  const params: Tensor[] = [];
  for (const t of ts) params.push(t.logVar, t.logLs, t.Z, t.qMu, t.qSqrt, t.Q);
  params.push(logNoise);
  const { value, grads } = variableGrads(() => boundT(ts, logNoise, b), params);
  if (!Number.isFinite(value)) throw new NonFiniteError(`fitDeepGP: the bound is not finite (${value}); rescale the data or lower learningRate`);
  const g = new Float64Array(layout.size);
  let o = 0;
  ts.forEach((t, l) => {
    const base = 6 * l;
    const gVar = grads[base] as Tensor;
    const gLs = grads[base + 1] as Tensor;
    const gZ = grads[base + 2] as Tensor;
    const { m, dIn, dOut } = t.p;
    const Kbar = choleskyBackward(t.L, t.Q.data, (grads[base + 5] as Tensor).data, m);
    const lv = new Tensor(t.logVar.data.slice(), [], { requiresGrad: true });
    const ll = new Tensor(t.logLs.data.slice(), [dIn], { requiresGrad: true });
    const zz = new Tensor(t.Z.data.slice(), [m, dIn], { requiresGrad: true });
    const Kb = new Tensor(Kbar, [m, m]);
    const second = variableGrads(() => ops.sum(ops.mul(kmmT(zz, lv, ll, t.eye, jitter), Kb)), [lv, ll, zz]);
    g[o++] = (gVar.data[0] as number) + ((second.grads[0] as Tensor).data[0] as number);
    for (let j = 0; j < dIn; j++) g[o++] = (gLs.data[j] as number) + ((second.grads[1] as Tensor).data[j] as number);
    if (layout.learnZ) {
      const z2 = (second.grads[2] as Tensor).data;
      for (let j = 0; j < m * dIn; j++) g[o++] = (gZ.data[j] as number) + (z2[j] as number);
    }
    g.set((grads[base + 3] as Tensor).data, o);
    o += m * dOut;
    const gq = (grads[base + 4] as Tensor).data;
    const { lower } = masks(m);
    for (let k = 0; k < dOut; k++) for (let j = 0; j < m * m; j++) g[o + k * m * m + j] = (gq[k * m * m + j] as number) * (lower.data[j] as number);
    o += dOut * m * m;
  });
  g[o] = (grads[grads.length - 1] as Tensor).data[0] as number;
  for (let i = 0; i < g.length; i++) if (!Number.isFinite(g[i])) throw new NonFiniteError(`fitDeepGP: the gradient of the bound is not finite at entry ${i}; rescale the data or lower learningRate`);
  return { value, gradient: g };
}

/** $\bar K$ from $\bar Q$ ($Q = L^{-1}$, $L = \mathrm{chol}(K)$): see the module comment. */
function choleskyBackward(L: Float64Array, Q: Float64Array, Qbar: Float64Array, m: number): Float64Array {
  const QT = transposeOf(Q, m);
  const Lbar = matmul(matmul(QT, Qbar, m, m, m), QT, m, m, m);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) Lbar[i * m + j] = j <= i ? -(Lbar[i * m + j] as number) : 0;
  const C = matmul(transposeOf(L, m), Lbar, m, m, m);
  for (let i = 0; i < m; i++) {
    C[i * m + i] = 0.5 * (C[i * m + i] as number);
    for (let j = i + 1; j < m; j++) C[i * m + j] = 0;
  }
  const G = matmul(matmul(QT, C, m, m, m), Q, m, m, m);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < i; j++) {
      const v = 0.5 * ((G[i * m + j] as number) + (G[j * m + i] as number));
      G[i * m + j] = v;
      G[j * m + i] = v;
    }
  }
  return G;
}

function transposeOf(A: Float64Array, m: number): Float64Array {
  const T = new Float64Array(m * m);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) T[j * m + i] = A[i * m + j] as number;
  return T;
}

/** The bound on a batch without gradients (for the model's `elbo` and the tests). */
export function boundValue(layers: readonly LayerParams[], noise: number, jitter: number, b: BatchData): number {
  const ts = layers.map((p) => layerTensors(p, jitter, false, false));
  return boundT(ts, Tensor.scalar(Math.log(noise)), b).data[0] as number;
}

/** KL terms only (Σ over layers and outputs). */
export function klValue(layers: readonly LayerParams[], jitter: number): number {
  let kl = 0;
  for (const p of layers) kl += klT(layerTensors(p, jitter, false, false)).data[0] as number;
  return kl;
}

/** Expected log-likelihood part of the bound for rows `idx` (unscaled sum over rows, averaged over samples). */
export function expectedLogLik(layers: readonly LayerParams[], noise: number, jitter: number, b: BatchData): number {
  const ts = layers.map((p) => layerTensors(p, jitter, false, false));
  const { F0, Y, N } = batchTensors(b);
  const out = propagate(ts, F0, b.eps);
  const last = out[out.length - 1] as { mean: Tensor; variance: Tensor };
  let s = 0;
  for (let i = 0; i < N; i++) {
    const r = (Y.data[i] as number) - (last.mean.data[i] as number);
    s += -0.5 * Math.log(2 * Math.PI * noise) - (r * r + (last.variance.data[i] as number)) / (2 * noise);
  }
  return s / b.samples;
}

/** Prepared tensors of a model for repeated sampling passes (no tape). */
export interface Sampler {
  /** Every layer's marginal means and variances (each N × D_l row-major) for input rows X (N × d) and draws ε. */
  run(X: Float64Array, N: number, eps: readonly Float64Array[]): { mean: Float64Array; variance: Float64Array }[];
}

/** Builds a {@link Sampler} (factorises every K_mm once). */
export function makeSampler(layers: readonly LayerParams[], jitter: number): Sampler {
  const ts = layers.map((p) => layerTensors(p, jitter, false, false));
  const d = (layers[0] as LayerParams).dIn;
  return {
    run(X, N, eps) {
      const out = propagate(ts, new Tensor(X, [N, d]), eps);
      return out.map((o) => ({ mean: o.mean.data, variance: o.variance.data }));
    },
  };
}

/** Checks one layer's arrays (used by fromJSON and the fit). @throws DomainError */
export function checkLayer(where: string, field: string, p: LayerParams): void {
  if (!(p.variance > 0) || !Number.isFinite(p.variance)) throw new DomainError(`${where}: field '${field}.variance' must be a finite number > 0, got ${p.variance}`);
  for (let j = 0; j < p.dIn; j++) {
    const v = p.lengthScale[j] as number;
    if (!(v > 0) || !Number.isFinite(v)) throw new DomainError(`${where}: field '${field}.lengthScale' must hold finite numbers > 0, got ${v} at [${j}]`);
  }
  const m = p.m;
  for (let t = 0; t < p.dOut; t++) {
    for (let i = 0; i < m; i++) {
      if ((p.qSqrt[t * m * m + i * m + i] as number) === 0) throw new DomainError(`${where}: field '${field}.qSqrt' must have a non-zero diagonal, got 0 at [${t}][${i}][${i}]`);
      for (let j = i + 1; j < m; j++) {
        if ((p.qSqrt[t * m * m + i * m + j] as number) !== 0) throw new DomainError(`${where}: field '${field}.qSqrt' must be lower triangular, got ${p.qSqrt[t * m * m + i * m + j]} at [${t}][${i}][${j}]`);
      }
    }
  }
}
