/**
 * TuRBO-style trust region for Bayesian optimisation (Eriksson, Pearce, Gardner, Turner & Poloczek,
 * "Scalable Global Optimization via Local Bayesian Optimization", NeurIPS 2019, §2 "TuRBO-1").
 *
 * The acquisition is maximised only inside a hyper-rectangle centred at the incumbent (best point so far)
 * of the unit cube. Its side in dimension $i$ is $L_i = L\,\ell_i / (\prod_j \ell_j)^{1/d}$, where $\ell$ are
 * the GP's ARD length scales (so the box has volume $L^d$ and is longer where the model is smoother), clipped
 * to the cube. After each model-based evaluation the base side $L$ is updated: a success is an improvement
 * $y < f_\text{best} - 10^{-3}|f_\text{best}|$; after `successTolerance` consecutive successes $L \leftarrow
 * \min(2L, L_\max)$, after `failureTolerance` consecutive failures $L \leftarrow L/2$. When $L < L_\min$
 * the paper restarts with a fresh design; here $L$ is reset to $L_\text{init}$ and the data are kept (one
 * global GP), which is the cheaper choice for small budgets.
 */

/** Options of the trust region (defaults are the paper's for batch size 1). */
export interface TrustRegionOptions {
  /** Initial base side $L_\text{init}$ in the unit cube. @defaultValue 0.8 */
  initialLength?: number;
  /** Smallest side before a reset. @defaultValue 2^-7 */
  minLength?: number;
  /** Largest side. @defaultValue 1.6 */
  maxLength?: number;
  /** Consecutive successes that double $L$. @defaultValue 3 */
  successTolerance?: number;
  /** Consecutive failures that halve $L$. @defaultValue max(4, d) */
  failureTolerance?: number;
}

import { DomainError, defineOptions, describeValue, readVector } from '@notes/core-linalg';

const OPTIONS = defineOptions<TrustRegionOptions>()('TrustRegion', {
  initialLength: { type: 'number', greaterThan: 0, default: 0.8 },
  minLength: { type: 'number', greaterThan: 0, default: 2 ** -7 },
  maxLength: { type: 'number', greaterThan: 0, default: 1.6 },
  successTolerance: { type: 'integer', min: 1, default: 3 },
  failureTolerance: { type: 'integer', min: 1 },
});

/** Mutable trust-region state (owned by one optimiser). */
export class TrustRegion {
  length: number;
  #succ = 0;
  #fail = 0;
  readonly #o: Required<TrustRegionOptions>;

  /** @throws DomainError for a dimension that is not an integer ≥ 1 or bad options (min ≤ initial ≤ max required). */
  constructor(d: number, options: TrustRegionOptions = {}) {
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 1) throw new DomainError(`TrustRegion: argument 'd' must be an integer >= 1, got ${describeValue(d)}`);
    const o = OPTIONS.parse(options);
    this.#o = { ...o, failureTolerance: o.failureTolerance ?? Math.max(4, d) };
    if (!(o.minLength <= o.initialLength && o.initialLength <= o.maxLength)) {
      throw new DomainError(`TrustRegion: options must satisfy minLength <= initialLength <= maxLength, got ${o.minLength}, ${o.initialLength}, ${o.maxLength}`);
    }
    this.length = this.#o.initialLength;
  }

  /** Records a model-based evaluation `y` against the best value before it. */
  update(y: number, previousBest: number): void {
    if (typeof y !== 'number' || !Number.isFinite(y)) throw new DomainError(`TrustRegion.update: argument 'y' must be a finite number, got ${describeValue(y)}`);
    if (typeof previousBest !== 'number' || !Number.isFinite(previousBest)) {
      throw new DomainError(`TrustRegion.update: argument 'previousBest' must be a finite number, got ${describeValue(previousBest)}`);
    }
    if (y < previousBest - 1e-3 * Math.abs(previousBest)) {
      this.#succ += 1;
      this.#fail = 0;
    } else {
      this.#fail += 1;
      this.#succ = 0;
    }
    if (this.#succ >= this.#o.successTolerance) {
      this.length = Math.min(2 * this.length, this.#o.maxLength);
      this.#succ = 0;
    } else if (this.#fail >= this.#o.failureTolerance) {
      this.length /= 2;
      this.#fail = 0;
    }
    if (this.length < this.#o.minLength) this.length = this.#o.initialLength;
  }

  /** The box $[c - L_i/2, c + L_i/2] \cap [0,1]^d$ around `center` for ARD length scales `ell`. */
  box(centerIn: ArrayLike<number>, ellIn: ArrayLike<number>): { lower: Float64Array; upper: Float64Array } {
    const center = readVector('TrustRegion.box', 'center', centerIn);
    const d = center.length;
    const ell = readVector('TrustRegion.box', 'ell', ellIn, { length: d });
    for (let j = 0; j < d; j++) {
      if (!((ell[j] as number) > 0)) throw new DomainError(`TrustRegion.box: argument 'ell' must hold length scales > 0, got ${describeValue(ell[j])} at [${j}]`);
    }
    let logMean = 0;
    for (let j = 0; j < d; j++) logMean += Math.log(ell[j]) / d;
    const lower = new Float64Array(d);
    const upper = new Float64Array(d);
    for (let j = 0; j < d; j++) {
      const half = (0.5 * this.length * ell[j]) / Math.exp(logMean);
      lower[j] = Math.max(0, center[j] - half);
      upper[j] = Math.min(1, center[j] + half);
    }
    return { lower, upper };
  }
}
