/**
 * Noise-contrastive estimation (notes: Noise-contrastive estimation; Gutmann & Hyvärinen 2010, 2012).
 */
import {
  AbortError,
  checkMemory,
  DomainError,
  defineOptions,
  type FitReport,
  type LBFGSProgress,
  type LBFGSResult,
  logSigmoid,
  minimizeLBFGS,
  minimizeLBFGSAsync,
  type Rng,
  readFitReport,
  readMatrix,
  readVector,
  resolveRng,
  sigmoid,
  stopwatch,
} from '@notes/core-linalg';
import { jsonHeader, jsonNumber, jsonNumbers } from '../internal/fit.js';
import type { MatrixInput } from '../internal/input.js';

/** An unnormalised log density $\log p_m^0(u;\alpha)$ and its gradient in α. */
export type UnnormalizedLogDensity = (u: Float64Array, alpha: Float64Array) => { value: number; gradient: ArrayLike<number> };

/** The noise distribution $p_n$: log density and sampler (a vector per draw). */
export interface NoiseDistribution {
  logPdf(u: Float64Array): number;
  sample(rng: Rng): Float64Array;
}

/** Options of {@link fitNCE}. */
export interface NCEOptions {
  /** Unnormalised model log p⁰_m(u; α) (required). */
  model: UnnormalizedLogDensity;
  /** Starting α (required). */
  alpha0: ArrayLike<number>;
  /** Starting c (the log normaliser parameter, log p_m = log p⁰_m + c). @defaultValue 0 */
  c0?: number;
  /** Noise distribution p_n (required); it should cover the data. */
  noise: NoiseDistribution;
  /** ν = T_noise / T_data (integer). The notes use ν = 1. @defaultValue 1 */
  noiseRatio?: number;
  /** Seed of the noise draws (or give `rng`). @defaultValue 0 */
  seed?: number;
  /** Generator of the noise draws (instead of `seed`). */
  rng?: Rng;
  /** L-BFGS iteration cap. @defaultValue 500 */
  maxIterations?: number;
  /** Converged (criterion `'gradTol'`) when the inf-norm of the gradient of −J is ≤ gradTol. @defaultValue 1e-9 */
  gradTol?: number;
  /** Called after each L-BFGS iteration with `{ iteration, objective: −J(θ), gradNorm, evaluations, elapsedMs }`. */
  onProgress?: (info: LBFGSProgress) => void;
  /** Stops the fit at the next iteration with an `AbortError` (partial: the estimate at the current iterate, reason `'aborted'`). */
  signal?: AbortSignal;
}

const isArrayLike = (v: unknown): boolean => (Array.isArray(v) || ArrayBuffer.isView(v)) && !(v instanceof DataView);

const OPTIONS = defineOptions<NCEOptions>()('fitNCE', {
  model: { type: 'function', doc: 'unnormalised log density (required)' },
  alpha0: { type: 'custom', expected: 'an array of numbers', check: isArrayLike, doc: 'starting α (required)' },
  c0: { type: 'number', default: 0, doc: 'starting c' },
  noise: {
    type: 'custom',
    expected: 'a noise distribution { logPdf(u), sample(rng) }',
    check: (v) =>
      typeof v === 'object' && v !== null && typeof (v as NoiseDistribution).logPdf === 'function' && typeof (v as NoiseDistribution).sample === 'function',
    doc: 'noise distribution (required)',
  },
  noiseRatio: { type: 'integer', min: 1, default: 1, doc: 'ν = T_noise / T_data' },
  seed: { type: 'integer', min: 0, doc: 'seed of the noise draws (default 0)' },
  rng: { type: 'rng', doc: 'generator instead of seed' },
  maxIterations: { type: 'integer', min: 0, default: 500, doc: 'L-BFGS iteration cap' },
  gradTol: { type: 'number', greaterThan: 0, default: 1e-9, doc: 'gradient tolerance' },
  onProgress: { type: 'function', doc: 'progress callback' },
  signal: { type: 'signal', doc: 'AbortSignal' },
});

/** JSON form of an {@link NCEModel}. */
export interface NCEJSON {
  kind: 'nce';
  version: 1;
  alpha: number[];
  c: number;
  objective: number;
  report: FitReport;
}

/**
 * The NCE estimate θ = (α, c) fitted by {@link fitNCE}; immutable. The model function itself is not part of it
 * (a function cannot be serialised): evaluate `log p_m(u) = model(u, alpha).value + c` with your model.
 */
export class NCEModel {
  /** Estimated α. */
  private readonly a: Float64Array;
  /** Estimated c = −log Z(α). */
  readonly c: number;
  /** Final objective J(θ) (per data point; maximised). */
  readonly objective: number;
  /** The L-BFGS report: reason `'converged'` (criterion `'gradTol'` or `'fTol'`), `'max-iterations'`, `'line-search-failed'`, `'unbounded'` or `'aborted'`; `trace` = −J per iteration. */
  readonly report: FitReport;

  /** @internal use {@link fitNCE} or {@link NCEModel.fromJSON} */
  constructor(alpha: ArrayLike<number>, c: number, objective: number, report: FitReport) {
    this.a = Float64Array.from(alpha);
    this.c = c;
    this.objective = objective;
    this.report = report;
    Object.freeze(this);
  }

  /** Estimated α (a copy). */
  get alpha(): Float64Array {
    return Float64Array.from(this.a);
  }

  /** Estimated log normaliser log Z = −c. */
  get logZ(): number {
    return -this.c;
  }

  /** Plain JSON data. */
  toJSON(): NCEJSON {
    return { kind: 'nce', version: 1, alpha: Array.from(this.a), c: this.c, objective: this.objective, report: JSON.parse(JSON.stringify(this.report)) };
  }

  /**
   * Inverse of {@link NCEModel.toJSON}: validates every field (finite α, c, objective ≤ 0, the report).
   * @throws DomainError / ShapeError naming the first bad field
   */
  static fromJSON(json: unknown): NCEModel {
    const W = 'NCEModel.fromJSON';
    const j = jsonHeader(W, json, 'nce', 1);
    const alpha = jsonNumbers(W, 'alpha', j.alpha, undefined);
    if (alpha.length === 0) throw new DomainError(`${W}: field 'alpha' must not be empty`);
    // J is a sum of log-probabilities: never positive
    const objective = jsonNumber(W, 'objective', j.objective, 'a finite number <= 0', (x) => x <= 0);
    return new NCEModel(alpha, jsonNumber(W, 'c', j.c), objective, readFitReport(W, j.report));
  }
}

interface Prepared {
  f: (theta: Float64Array) => { value: number; gradient: Float64Array };
  theta0: Float64Array;
  k: number;
  lbfgs: { maxIterations: number; gradTol: number; onProgress?: (info: LBFGSProgress) => void; signal?: AbortSignal };
}

/** Reads and validates the data and options, draws the noise and builds −J and its gradient. */
function prepare(W: string, data: MatrixInput | ArrayLike<number>, options: NCEOptions): Prepared {
  const o = OPTIONS.parse(options);
  const rd = readMatrix(W, 'data', data, { vector: 'column' });
  const x = { n: rd.rows, d: rd.columns, data: rd.data };
  for (const key of ['model', 'alpha0', 'noise'] as const) {
    if (o[key] === undefined) throw new DomainError(`${W}: option '${key}' is required`);
  }
  const alpha0 = readVector(W, 'alpha0', o.alpha0);
  const model = o.model;
  const noise = o.noise;
  const rng = resolveRng(W, o, 0);
  const { n, d } = x;
  const T = n;
  const m = o.noiseRatio * T;
  checkMemory(W, `${m} noise samples`, m * (8 * d + 96), { alternative: "a smaller 'noiseRatio'" });
  const pts: Float64Array[] = [];
  for (let i = 0; i < n; i++) pts.push(x.data.slice(i * d, i * d + d));
  const noisePts: Float64Array[] = [];
  for (let i = 0; i < m; i++) {
    const y = noise.sample(rng);
    if (y.length !== d) throw new DomainError(`${W}: argument 'noise' must sample vectors of length ${d}, got ${y.length}`);
    noisePts.push(y);
  }
  const logNu = Math.log(o.noiseRatio);
  const lnData = pts.map((u) => noise.logPdf(u));
  const lnNoise = noisePts.map((u) => noise.logPdf(u));
  const k = alpha0.length;
  const f = (theta: Float64Array) => {
    const alpha = theta.subarray(0, k);
    const c = theta[k] as number;
    const g = new Float64Array(k + 1);
    let value = 0;
    const term = (u: Float64Array, lnPn: number, isData: boolean) => {
      const r = model(u, alpha);
      const G = r.value + c - logNu - lnPn;
      // d/dG log σ(G) = 1 − σ(G);  d/dG log(1 − σ(G)) = −σ(G)
      value += isData ? logSigmoid(G) : logSigmoid(-G);
      const w = isData ? 1 - sigmoid(G) : -sigmoid(G);
      for (let j = 0; j < k; j++) g[j] = (g[j] as number) + w * (r.gradient[j] as number);
      g[k] = (g[k] as number) + w;
    };
    for (let i = 0; i < pts.length; i++) term(pts[i] as Float64Array, lnData[i] as number, true);
    for (let i = 0; i < noisePts.length; i++) term(noisePts[i] as Float64Array, lnNoise[i] as number, false);
    for (let j = 0; j <= k; j++) g[j] = -(g[j] as number) / T;
    return { value: -value / T, gradient: g };
  };
  const theta0 = Float64Array.from([...Array.from(alpha0), o.c0]);
  const start = f(theta0);
  if (!Number.isFinite(start.value) || !start.gradient.every(Number.isFinite)) {
    throw new DomainError(`${W}: the objective at 'alpha0' is not finite (check the model and the noise density)`);
  }
  // −J = 0 means data and noise are told apart with certainty at the start: every logistic term is saturated,
  // the gradient vanishes and L-BFGS would stop at alpha0 reporting convergence
  if (start.value < 1e-12) {
    throw new DomainError(
      `${W}: argument 'noise' does not overlap the data at 'alpha0' (the NCE objective is saturated); choose noise covering the data`,
    );
  }
  return {
    f,
    theta0,
    k,
    lbfgs: {
      maxIterations: o.maxIterations,
      gradTol: o.gradTol,
      ...(o.onProgress ? { onProgress: o.onProgress } : {}),
      ...(o.signal ? { signal: o.signal } : {}),
    },
  };
}

function toModel(p: Prepared, r: LBFGSResult): NCEModel {
  return new NCEModel(r.x.subarray(0, p.k), r.x[p.k] as number, -r.value, r.report);
}

/** An L-BFGS abort carries the current iterate; NCE hands out the estimate there instead. */
function rethrow(where: string, p: Prepared, e: unknown, elapsedMs: number): never {
  if (e instanceof AbortError && e.partial && typeof e.partial === 'object') {
    const it = e.partial as { x: Float64Array; value: number; iterations: number; evaluations: number };
    const report = { converged: false, reason: 'aborted', iterations: it.iterations, evaluations: it.evaluations, elapsedMs };
    const partial = new NCEModel(it.x.subarray(0, p.k), it.x[p.k] as number, -it.value, readFitReport(where, report));
    throw new AbortError(e.message.replace(/^minimizeLBFGS(Async)?/, where), partial);
  }
  throw e;
}

/**
 * Fits $\log p_m(u;\theta) = \log p_m^0(u;\alpha) + c$, θ = (α, c), by logistic discrimination of the data
 * $x_{1..T}$ from $\nu T$ noise samples $y$:
 * $$J(\theta) = \frac1T\Big[\sum_t\log h(x_t;\theta) + \sum_{t=1}^{\nu T}\log(1-h(y_t;\theta))\Big],\quad
 *   h(u;\theta) = \sigma\big(\log p_m(u;\theta) - \log\nu - \log p_n(u)\big).$$
 * For ν = 1 this is the notes' objective (there normalised by 2T). Because c is free, maximising J
 * estimates the normaliser instead of letting c → ∞ as maximum likelihood would. Maximised with L-BFGS.
 * Returns the {@link NCEModel} (α, c, log Z = −c, J, `report`).
 * @throws DomainError naming the option for a bad noise ratio, start or non-finite model values at the start, noise
 *   that does not overlap the data (objective saturated at the start), an unknown option; AbortError when `signal`
 *   fires (partial: the {@link NCEModel} at the current iterate, reason `'aborted'`)
 */
export function fitNCE(data: MatrixInput | ArrayLike<number>, options: NCEOptions): NCEModel {
  const p = prepare('fitNCE', data, options);
  const clock = stopwatch();
  try {
    return toModel(p, minimizeLBFGS(p.f, p.theta0, p.lbfgs));
  } catch (e) {
    rethrow('fitNCE', p, e, clock());
  }
}

/**
 * {@link fitNCE} on `minimizeLBFGSAsync`: yields to the event loop at least every 50 ms so an `AbortSignal` fired
 * from a timer stops it within one L-BFGS iteration. Same options, same model.
 */
export async function fitNCEAsync(data: MatrixInput | ArrayLike<number>, options: NCEOptions): Promise<NCEModel> {
  const p = prepare('fitNCEAsync', data, options);
  const clock = stopwatch();
  try {
    return toModel(p, await minimizeLBFGSAsync(p.f, p.theta0, p.lbfgs));
  } catch (e) {
    rethrow('fitNCEAsync', p, e, clock());
  }
}
