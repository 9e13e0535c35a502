/**
 * Bayesian optimisation loop (notes: Bayesian optimization): GP prior on f, posterior from the data,
 * next point $x_{t+1} = \arg\max_x \alpha(x\mid S_t)$, repeat. Inputs are mapped to the unit cube; the GP
 * (default: constant × Matérn-5/2 with ARD + white noise, `normalizeY`) is refitted by log-ML L-BFGS
 * after every observation, warm-started from the previous hyperparameters.
 */
import {
  DomainError,
  NonFiniteError,
  type Rng,
  ShapeError,
  defineOptions,
  describeValue,
  readNumber,
  readVector,
  resolveRng,
} from '@notes/core-linalg';
import { type StepLoop, driveAsync, driveSync } from '../gp-regression/drive.js';
import { gpFitSteps } from '../gp-regression/fit.js';
import type { GPModel } from '../gp-regression/model.js';
import { Kernel, constant, matern, product, sum, white } from '../kernels/index.js';
import { type AcquisitionKind, acquisition } from './acquisitions.js';
import { type MaximizeOptions, maximizeInBox } from './maximize.js';
import { TrustRegion, type TrustRegionOptions } from './trustRegion.js';

/** Options of {@link BayesianOptimizer}. */
export interface BayesianOptimizerOptions {
  /** Acquisition to maximise. @defaultValue 'ei' */
  acquisition?: AcquisitionKind;
  /** κ of LCB. @defaultValue 2 */
  kappa?: number;
  /** ξ of EI / PI (in units of the normalised targets). @defaultValue 0.01 */
  xi?: number;
  /** Random points before the GP takes over. @defaultValue max(3, d + 1) */
  initialPoints?: number;
  /** Seed of the initial design, GP restarts and acquisition search (give `seed` or `rng`). @defaultValue 0 */
  seed?: number;
  /** A generator from core's `createRng` (kept and advanced by the optimiser). */
  rng?: Rng;
  /**
   * GP kernel on the unit cube (targets standardised). The length scales start at 1 and are bounded below by
   * 0.3: with a few dozen evaluations a GP cannot resolve finer structure, and letting ℓ shrink to 0.01 makes it
   * interpolate ripples (Ackley) and chase the corners of the box. This mirrors BoTorch's former default
   * Gamma(3, 6) length-scale prior (mode 1/3 on the unit cube; Balandat et al., NeurIPS 2020) and the case for
   * long length scales in Hvarfner, Hellsten & Nardi, "Vanilla Bayesian Optimization Performs Great in High
   * Dimensions", ICML 2024. The white-noise variance may grow to 1 (in standardised units) so structure below
   * that scale is treated as noise. Measured effect in `bench/bo-regret.bench.ts` (see README).
   * @defaultValue constant(1, [1e-3, 1e3]) × Matérn-5/2 ARD (ℓ = 1 in [0.3, 10]) + white(1e-4, [1e-8, 1])
   */
  kernel?: Kernel;
  /** Extra random restarts of each GP fit. @defaultValue 1 */
  restarts?: number;
  /** Acquisition search settings. @defaultValue { candidates: 512, starts: 5, maxIterations: 50 } */
  search?: MaximizeOptions;
  /**
   * Half of the acquisition candidates are Gaussian perturbations of the incumbent (see {@link maximizeInBox}).
   * @defaultValue true
   */
  searchAroundBest?: boolean;
  /**
   * TuRBO-style trust region around the incumbent (Eriksson et al. 2019; see {@link TrustRegion}): `true`
   * for the paper's defaults, an object to tune it, `false` for global acquisition maximisation.
   * @defaultValue false
   */
  trustRegion?: boolean | TrustRegionOptions;
}

const isObject = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The option rules of {@link BayesianOptimizer} (shared with `minimize`). @internal */
export const OPTIMIZER_RULES = {
  acquisition: { type: 'enum', values: ['ei', 'pi', 'lcb', 'lcb-notes'], default: 'ei', doc: 'acquisition to maximise' },
  kappa: { type: 'number', min: 0, default: 2, doc: 'κ of LCB' },
  xi: { type: 'number', min: 0, default: 0.01, doc: 'ξ of EI / PI' },
  initialPoints: { type: 'integer', min: 1, max: 1e6, doc: 'random points before the GP' },
  seed: { type: 'integer', min: 0, doc: 'seed' },
  rng: { type: 'rng', doc: 'generator from createRng' },
  kernel: { type: 'custom', expected: 'a Kernel', check: (k: unknown) => k instanceof Kernel },
  restarts: { type: 'integer', min: 0, max: 100, default: 1, doc: 'extra starts of each GP fit' },
  search: { type: 'custom', expected: 'an object of search settings', check: isObject },
  searchAroundBest: { type: 'boolean', default: true },
  trustRegion: { type: 'custom', expected: 'a boolean or an object of trust-region settings', check: (v: unknown) => typeof v === 'boolean' || isObject(v) },
} as const;

const OPTIONS = defineOptions<BayesianOptimizerOptions>()('BayesianOptimizer', OPTIMIZER_RULES);

/** Ask/tell Bayesian optimiser over a box (minimisation). Stateful by design: each `tell` adds an observation. */
export class BayesianOptimizer {
  readonly lower: Float64Array;
  readonly upper: Float64Array;
  readonly #o: {
    acquisition: AcquisitionKind;
    kappa: number;
    xi: number;
    initialPoints: number;
    restarts: number;
    search: MaximizeOptions;
    searchAroundBest: boolean;
  };
  readonly #tr: TrustRegion | null;
  #kernel: Kernel;
  readonly #rng: Rng;
  readonly #U: number[][] = [];
  readonly #Y: number[] = [];
  #model: GPModel | null = null;

  /**
   * @param bounds `[lower, upper]` per dimension.
   * @throws ShapeError for empty bounds, DomainError if lower ≥ upper or an option is invalid.
   */
  constructor(bounds: ArrayLike<readonly [number, number]>, options: BayesianOptimizerOptions = {}) {
    const where = 'BayesianOptimizer';
    const { lower, upper } = readBoxBounds(where, bounds);
    const d = lower.length;
    this.lower = lower;
    this.upper = upper;
    const o = OPTIONS.parse(options);
    this.#o = {
      acquisition: o.acquisition as AcquisitionKind,
      kappa: o.kappa,
      xi: o.xi,
      initialPoints: o.initialPoints ?? Math.max(3, d + 1),
      restarts: o.restarts,
      search: (o.search as MaximizeOptions | undefined) ?? {},
      searchAroundBest: o.searchAroundBest,
    };
    const tr = (o.trustRegion as boolean | TrustRegionOptions | undefined) ?? false;
    this.#tr = tr === false ? null : new TrustRegion(d, tr === true ? {} : tr);
    if (o.kernel) (o.kernel as Kernel).checkDim(where, { data: new Float64Array(d), n: 1, d });
    this.#kernel =
      (o.kernel as Kernel | undefined) ??
      sum(product(constant(1, [1e-3, 1e3]), matern({ nu: 2.5, lengthScale: new Array(d).fill(1), lengthScaleBounds: [0.3, 10] })), white(1e-4, [1e-8, 1]));
    this.#rng = resolveRng(where, o, 0);
    // validate the search settings now rather than at the first model-based ask
    validateSearch(where, this.#o.search);
  }

  /** Dimension of the search space. */
  get dim(): number {
    return this.lower.length;
  }

  /** Number of observations told so far. */
  get count(): number {
    return this.#Y.length;
  }

  /** Best observation so far (null before the first `tell`). */
  get best(): { x: Float64Array; y: number } | null {
    if (this.#Y.length === 0) return null;
    const b = this.#bestIndex();
    return { x: this.#fromUnit(this.#U[b]), y: this.#Y[b] };
  }

  /** Current base side of the trust region in the unit cube (null when the trust region is off). */
  get trustRegionLength(): number | null {
    return this.#tr ? this.#tr.length : null;
  }

  #bestIndex(): number {
    let b = 0;
    for (let i = 1; i < this.#Y.length; i++) if (this.#Y[i] < this.#Y[b]) b = i;
    return b;
  }

  /** ARD length scales of the fitted kernel (the first length-scale vector of length d), else all ones. */
  #lengthScales(kernel: Kernel): Float64Array {
    const d = this.dim;
    for (const h of kernel.hyperparameters) {
      if (h.name.endsWith('lengthScale')) return h.value.length === d ? h.value : new Float64Array(d).fill(h.value[0]);
    }
    return new Float64Array(d).fill(1);
  }

  /** The GP fitted at the last `ask` (null during the initial design). */
  get model(): GPModel | null {
    return this.#model;
  }

  #fromUnit(u: ArrayLike<number>): Float64Array {
    return Float64Array.from(this.lower, (lo, j) => lo + (this.upper[j] - lo) * u[j]);
  }

  /** Acquisition value at a point `x` (original coordinates) under the current model. */
  acquisitionAt(x: ArrayLike<number>): number {
    const where = 'BayesianOptimizer.acquisitionAt';
    const xv = readVector(where, 'x', x, { length: this.dim });
    if (!this.#model) throw new DomainError(`${where}: no model yet (still in the initial design)`);
    const u = Array.from(xv, (v, j) => (v - this.lower[j]) / (this.upper[j] - this.lower[j]));
    return this.#acq(this.#model, u);
  }

  #acq(model: GPModel, u: ArrayLike<number>): number {
    const { mean, variance } = model.predict([Array.from(u)]);
    const fBest = Math.min(...this.#Y);
    return acquisition(this.#o.acquisition, mean[0], Math.sqrt(variance[0]), { fBest, kappa: this.#o.kappa, xi: this.#o.xi });
  }

  /** Next point to evaluate (original coordinates). @throws as `fitGP` (the GP refit). */
  ask(): Float64Array {
    return driveSync('BayesianOptimizer.ask', this.askSteps());
  }

  /**
   * {@link BayesianOptimizer.ask} that yields to the event loop inside the GP refit (every 50 ms), so a
   * `signal` fired by a timer stops it within one L-BFGS iteration; rejects with `AbortError` (partial
   * `undefined`: the optimiser's state is unchanged until the next `tell`).
   */
  askAsync(options: { signal?: AbortSignal } = {}): Promise<Float64Array> {
    const signal = ASK_OPTIONS.parse(options).signal;
    return driveAsync('BayesianOptimizer.askAsync', this.askSteps(), signal);
  }

  /** @internal the ask as a loop of steps (the GP refit's L-BFGS runs), for `minimize`'s loop. */
  *askSteps(): StepLoop<Float64Array> {
    const d = this.dim;
    if (this.#Y.length < this.#o.initialPoints) {
      return this.#fromUnit(Array.from({ length: d }, () => this.#rng.uniform()));
    }
    const model: GPModel = yield* gpFitSteps(
      this.#U,
      this.#Y,
      {
        kernel: this.#kernel,
        normalizeY: true,
        noise: 1e-10,
        restarts: this.#o.restarts,
        seed: Math.floor(this.#rng.uniform() * 2 ** 31),
        maxIterations: 100,
      },
      'BayesianOptimizer.ask',
    );
    this.#model = model;
    this.#kernel = model.kernel;
    let lo: Float64Array = new Float64Array(d);
    let hi: Float64Array = new Float64Array(d).fill(1);
    const inc = this.#U[this.#bestIndex()];
    if (this.#tr) ({ lower: lo, upper: hi } = this.#tr.box(inc, this.#lengthScales(model.kernel)));
    const search = this.#o.searchAroundBest ? { around: inc, ...this.#o.search } : this.#o.search;
    const { x } = maximizeInBox((u) => this.#acq(model, u), lo, hi, this.#rng, search);
    return this.#fromUnit(x);
  }

  /**
   * Records an observation.
   * @throws ShapeError for a wrong-length x; NonFiniteError for a non-finite x or y; DomainError outside the box.
   */
  tell(x: ArrayLike<number>, y: number): void {
    const where = 'BayesianOptimizer.tell';
    const xv = readVector(where, 'x', x, { length: this.dim });
    if (typeof y !== 'number') throw new DomainError(`${where}: argument 'y' must be a number, got ${describeValue(y)}`);
    if (!Number.isFinite(y)) throw new NonFiniteError(`${where}: argument 'y' must be finite, got ${describeValue(y)}`);
    const u = Array.from(xv, (v, j) => (v - this.lower[j]) / (this.upper[j] - this.lower[j]));
    if (u.some((v) => v < -1e-12 || v > 1 + 1e-12)) throw new DomainError("BayesianOptimizer.tell: argument 'x' is outside the bounds");
    if (this.#tr && this.#Y.length >= this.#o.initialPoints) this.#tr.update(y, this.#Y[this.#bestIndex()]);
    this.#U.push(u);
    this.#Y.push(y);
  }
}

const ASK_OPTIONS = defineOptions<{ signal?: AbortSignal }>()('BayesianOptimizer.askAsync', { signal: { type: 'signal' } });

/**
 * Reads box bounds `[[lower, upper], ...]` (finite, lower < upper, widths representable).
 * @internal
 */
export function readBoxBounds(where: string, bounds: unknown): { lower: Float64Array; upper: Float64Array } {
  if (!Array.isArray(bounds)) throw new ShapeError(`${where}: argument 'bounds' must be an array of [lower, upper] pairs, got ${describeValue(bounds)}`);
  const d = bounds.length;
  if (d === 0) throw new ShapeError(`${where}: argument 'bounds' must not be empty`);
  const lower = new Float64Array(d);
  const upper = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    const pair = (j in bounds ? bounds[j] : undefined) as unknown;
    if (!Array.isArray(pair) || pair.length !== 2 || !(0 in pair) || !(1 in pair)) {
      throw new ShapeError(`${where}: bounds[${j}] must be a pair [lower, upper], got ${describeValue(pair)}`);
    }
    const lo = readNumber(where, `bounds[${j}][0]`, pair[0]);
    const hi = readNumber(where, `bounds[${j}][1]`, pair[1]);
    if (!(hi > lo) || !Number.isFinite(hi - lo)) throw new DomainError(`${where}: bounds[${j}] must satisfy lower < upper with a finite width, got [${lo}, ${hi}]`);
    lower[j] = lo;
    upper[j] = hi;
  }
  return { lower, upper };
}

const SEARCH_OPTIONS = defineOptions<MaximizeOptions>()('BayesianOptimizer (option search)', {
  candidates: { type: 'integer', min: 1, max: 1e7 },
  starts: { type: 'integer', min: 0, max: 1e4 },
  maxIterations: { type: 'integer', min: 1, max: 1e6 },
  around: { type: 'custom', expected: 'an array of numbers', check: (v) => Array.isArray(v) || ArrayBuffer.isView(v) },
  perturbationScale: { type: 'number', greaterThan: 0 },
});

function validateSearch(_where: string, search: MaximizeOptions): void {
  SEARCH_OPTIONS.parse(search);
}
