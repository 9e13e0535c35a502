/**
 * Discriminator-driven sampling: correcting a generator's samples with a density ratio.
 *
 * The notes' optimal discriminator D*(x) = p_data(x)/(p_data(x) + p_g(x)) gives the density ratio
 * r(x) = p_data(x)/p_g(x) = D/(1 − D) at D = D*, = e^{t(x)} for the logit t; an f-GAN's optimal critic
 * T* = f'(r) gives it through (f')⁻¹ ({@link logDensityRatio}). With the generator as a proposal and r
 * known up to a bound M ≥ sup r, two classical samplers turn generator samples into samples of p_data:
 *
 * - **rejection** (Discriminator Rejection Sampling, Azadi et al., ICLR 2019): accept a proposal x ~ p_g
 *   with probability min(1, r(x)/M). The accepted samples follow p_g·min(1, r/M)/Z, which is p_data
 *   exactly when M ≥ sup r; the acceptance rate is then 1/M in expectation. M is unknown for a trained
 *   critic: as in DRS it is estimated as the largest ratio among `burnIn` proposals and raised whenever a
 *   larger ratio is met (a running maximum), which is exact only in the limit. DRS's γ-shift (accept with
 *   σ(logit(r/M) − γ)) is offered as `gamma`; γ ≠ 0 no longer targets p_data (γ < 0 accepts more).
 * - **metropolis** (Metropolis–Hastings GAN, Turner et al., ICML 2019): an independence sampler per output
 *   sample, started at a proposal, with `chainLength` steps; a proposal x' replaces the state x with
 *   probability min(1, r(x')/r(x)). Its stationary law is p_data for any bounded r, and after K steps the
 *   total-variation distance to it is at most (1 − 1/M)^K with M = sup r (Tierney 1994 / Mengersen & Tweedie
 *   1996 for independence samplers); no M needs to be known.
 *
 * Both need a *density ratio*: a WGAN critic (any 1-Lipschitz function maximising E_P t − E_Q t) is not
 * one, and the total-variation f-GAN critic f'(r) = ½·sign(r − 1) only says which side of 1 r lies on;
 * both are rejected with a DomainError rather than faked. The ratio is only as good as the critic: a
 * critic trained to the end of a GAN run sits near D = ½ everywhere (the generator has just fooled it), so
 * `trainGAN`'s `calibrationSteps` trains it further against the frozen generator, as DRS does.
 */
import {
  ConvergenceError,
  defineOptions,
  type FitLoop,
  DomainError,
  describeValue,
  fromRowMajor,
  type RandomnessOptions,
  type Rng,
  resolveRng,
  runFit,
  runFitAsync,
} from '@notes/core-linalg';
import type { Matrix } from 'ml-matrix';

/** Options of {@link refineSamples} and `GANModel.sampleRefined`. */
export interface RefineOptions extends RandomnessOptions {
  /** 'rejection' (DRS) or 'metropolis' (MH-GAN independence sampler). @defaultValue 'rejection' */
  method?: 'rejection' | 'metropolis';
  /**
   * Most proposals drawn in all (burn-in included). Rejection stops with a ConvergenceError (with the
   * acceptance rate) when the n samples are not accepted within it; metropolis needs n·(chainLength + 1)
   * ≤ maxProposals up front. @defaultValue 2,000,000
   */
  maxProposals?: number;
  /**
   * Rejection: a fixed log M (log of the bound on r); samples with log r > log M are accepted with
   * probability 1 (the output is then not exactly p_data). Omitted: estimated from the burn-in and raised
   * as a running maximum. @defaultValue undefined
   */
  logM?: number;
  /** Rejection: proposals used only to estimate M (ignored with `logM`). @defaultValue 10,000 */
  burnIn?: number;
  /** Rejection: DRS's γ; acceptance σ(logit(r/M) − γ); 0 is the exact min(1, r/M). @defaultValue 0 */
  gamma?: number;
  /** Metropolis: independence-sampler steps per output sample. @defaultValue 100 */
  chainLength?: number;
  /** Proposals drawn and evaluated per call of the source (memory vs overhead). @defaultValue 4096 */
  blockSize?: number;
  /**
   * Stops the sampler between two blocks with an AbortError whose `partial` is `{ proposals, accepted }` so far
   * (the async twins see a signal fired by a timer; the sync ones only one fired from a callback).
   */
  signal?: AbortSignal;
}

const OPTIONS = defineOptions<RefineOptions>()('refineSamples', {
  method: { type: 'enum', values: ['rejection', 'metropolis'], default: 'rejection', doc: 'sampler' },
  maxProposals: { type: 'integer', min: 1, max: 1e9, default: 2_000_000, doc: 'cap on proposals' },
  logM: { type: 'number', doc: 'fixed log bound of the density ratio' },
  burnIn: { type: 'integer', min: 1, max: 1e8, default: 10_000, doc: 'proposals to estimate M' },
  gamma: { type: 'number', default: 0, doc: 'DRS acceptance shift' },
  chainLength: { type: 'integer', min: 1, max: 1e6, default: 100, doc: 'independence-sampler steps per sample' },
  blockSize: { type: 'integer', min: 1, max: 1e6, default: 4096, doc: 'proposals per source call' },
  signal: { type: 'signal' },
  seed: { type: 'integer', min: 0, max: Number.MAX_SAFE_INTEGER },
  rng: { type: 'rng' },
});

/** A proposal distribution with a log density ratio, for {@link refineSamples}. */
export interface RatioSource {
  /** Dimension of a sample. */
  readonly dim: number;
  /** `count` proposals x ~ p_g, row-major [count, dim], drawn from `rng`. */
  propose(count: number, rng: Rng): Float64Array;
  /** log r(x) = log p_data(x)/p_g(x) for each row of `x` [count, dim] (−∞ allowed: never accepted). */
  logRatio(x: Float64Array, count: number): Float64Array;
}

/** What {@link refineSamples} returns (frozen). */
export interface RefinedSample {
  /** n×dim refined samples. */
  readonly samples: Matrix;
  readonly method: 'rejection' | 'metropolis';
  /** Proposals drawn in all (rejection: burn-in included; metropolis: n·(chainLength + 1)). */
  readonly proposals: number;
  /** Rejection: samples accepted (= n); metropolis: accepted moves. */
  readonly accepted: number;
  /** accepted / proposals after the burn-in (rejection) or accepted moves / (n·chainLength) (metropolis). */
  readonly acceptanceRate: number;
  /** Rejection: the final log M (fixed, or the running maximum); metropolis: the largest log r seen. */
  readonly logM: number;
  /** Metropolis: chains that never moved from their first proposal (0 for rejection). */
  readonly stuckChains: number;
}

function readN(where: string, n: unknown): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 1e7) {
    throw new DomainError(`${where}: argument 'n' must be an integer in [1, 1e7], got ${describeValue(n)}`);
  }
  return n;
}

/** Parses the refinement options (shared with `GANModel.sampleRefined`). @internal */
export function parseRefineOptions(where: string, n: unknown, options: RefineOptions | undefined) {
  const count = readN(where, n);
  const o = OPTIONS.parse(options);
  const rng = resolveRng(where, o as RandomnessOptions, 0);
  if (o.method === 'metropolis' && count * (o.chainLength + 1) > o.maxProposals) {
    throw new DomainError(
      `${where}: metropolis needs n·(chainLength + 1) = ${count * (o.chainLength + 1)} proposals, more than option 'maxProposals' (${o.maxProposals})`,
    );
  }
  if (o.logM !== undefined && !Number.isFinite(o.logM)) throw new DomainError(`${where}: option 'logM' must be finite, got ${describeValue(o.logM)}`);
  if (!Number.isFinite(o.gamma)) throw new DomainError(`${where}: option 'gamma' must be finite, got ${describeValue(o.gamma)}`);
  return { n: count, o, rng };
}

function checkRatios(where: string, lr: Float64Array, count: number): void {
  if (lr.length !== count) throw new DomainError(`${where}: logRatio returned ${lr.length} values for ${count} proposals`);
  for (let i = 0; i < count; i++) {
    const v = lr[i]!;
    if (Number.isNaN(v) || v === Number.POSITIVE_INFINITY) {
      throw new DomainError(`${where}: the log density ratio of a proposal is ${v}; the critic gives no usable ratio there`);
    }
  }
}

/** Acceptance probability of rejection sampling for log(r/M) = a with DRS's γ (γ = 0: min(1, r/M)). */
function acceptProbability(a: number, gamma: number): number {
  if (a >= 0) return 1;
  if (gamma === 0) return Math.exp(a);
  // σ(logit(e^a) − γ), logit(e^a) = a − log(1 − e^a)
  const logit = a - Math.log(-Math.expm1(a)) - gamma;
  return logit >= 0 ? 1 / (1 + Math.exp(-logit)) : Math.exp(logit) / (1 + Math.exp(logit));
}

/** Runs {@link refinementLoop} on the synchronous driver. @internal */
export function runRefinement(where: string, source: RatioSource, n: number, o: ReturnType<typeof OPTIONS.parse>, rng: Rng): RefinedSample {
  return runFit(where, refinementLoop(where, source, n, o, rng), { signal: o.signal });
}

/** Runs {@link refinementLoop} on the asynchronous driver (yields to the event loop every 50 ms). @internal */
export function runRefinementAsync(where: string, source: RatioSource, n: number, o: ReturnType<typeof OPTIONS.parse>, rng: Rng): Promise<RefinedSample> {
  return runFitAsync(where, refinementLoop(where, source, n, o, rng), { signal: o.signal });
}

/** The refinement loop on a parsed source, one checkpoint per block of proposals. @internal */
function* refinementLoop(where: string, source: RatioSource, n: number, o: ReturnType<typeof OPTIONS.parse>, rng: Rng): FitLoop<RefinedSample> {
  const d = source.dim;
  const out = new Float64Array(n * d);
  const draw = (count: number) => {
    const x = source.propose(count, rng);
    const lr = source.logRatio(x, count);
    checkRatios(where, lr, count);
    return { x, lr };
  };
  if (o.method === 'rejection') {
    let logM = o.logM ?? Number.NEGATIVE_INFINITY;
    let proposals = 0;
    if (o.logM === undefined) {
      for (let done = 0; done < o.burnIn; ) {
        const c = Math.min(o.blockSize, o.burnIn - done);
        const { lr } = draw(c);
        for (let i = 0; i < c; i++) logM = Math.max(logM, lr[i]!);
        done += c;
        const seen = done;
        yield () => ({ proposals: seen, accepted: 0 });
      }
      proposals = o.burnIn;
      if (logM === Number.NEGATIVE_INFINITY) {
        throw new ConvergenceError(`${where}: every one of the ${o.burnIn} burn-in proposals has density ratio 0; nothing can be accepted`, o.burnIn);
      }
    }
    const afterBurnIn = proposals;
    let accepted = 0;
    while (accepted < n) {
      const left = o.maxProposals - proposals;
      if (left <= 0) {
        const rate = accepted / Math.max(1, proposals - afterBurnIn);
        throw new ConvergenceError(
          `${where}: rejection accepted ${accepted} of the ${n} samples asked within option 'maxProposals' = ${o.maxProposals} proposals (acceptance rate ${rate.toPrecision(3)}, log M ${logM.toPrecision(4)}); raise maxProposals, calibrate the critic, or use method 'metropolis'`,
          proposals,
        );
      }
      const c = Math.min(o.blockSize, left);
      const { x, lr } = draw(c);
      // proposals counts the ones examined: the rest of the last block is discarded unseen
      let i = 0;
      for (; i < c && accepted < n; i++) {
        const v = lr[i]!;
        // running maximum of M (DRS), only when M is estimated
        if (o.logM === undefined && v > logM) logM = v;
        if (v !== Number.NEGATIVE_INFINITY && rng.uniform() < acceptProbability(v - logM, o.gamma)) {
          out.set(x.subarray(i * d, i * d + d), accepted * d);
          accepted++;
        }
      }
      proposals += i;
      const snapshot = { proposals, accepted };
      yield () => snapshot;
    }
    return Object.freeze({
      samples: fromRowMajor(out, n, d),
      method: 'rejection' as const,
      proposals,
      accepted,
      acceptanceRate: accepted / (proposals - afterBurnIn),
      logM,
      stuckChains: 0,
    });
  }
  // metropolis: n independent chains advanced together, one block of proposals per step
  const K = o.chainLength;
  const first = drawMany(draw, n, o.blockSize, d);
  const state = first.x;
  const stateLr = first.lr;
  const moved = new Uint8Array(n);
  let maxLr = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) maxLr = Math.max(maxLr, stateLr[i]!);
  let moves = 0;
  for (let k = 0; k < K; k++) {
    const p = drawMany(draw, n, o.blockSize, d);
    for (let i = 0; i < n; i++) {
      const v = p.lr[i]!;
      if (v > maxLr) maxLr = v;
      if (v === Number.NEGATIVE_INFINITY) {
        rng.uniform(); // keep one uniform per proposal, so the stream does not depend on ratios of 0
        continue;
      }
      const cur = stateLr[i]!;
      // min(1, r'/r); a state with r = 0 is always left
      const a = cur === Number.NEGATIVE_INFINITY ? 0 : v - cur;
      if (rng.uniform() < Math.exp(Math.min(0, a))) {
        state.set(p.x.subarray(i * d, i * d + d), i * d);
        stateLr[i] = v;
        moved[i] = 1;
        moves++;
      }
    }
    const snapshot = { proposals: n * (k + 2), accepted: moves };
    yield () => snapshot;
  }
  let stuck = 0;
  for (let i = 0; i < n; i++) if (!moved[i]) stuck++;
  return Object.freeze({
    samples: fromRowMajor(state, n, d),
    method: 'metropolis' as const,
    proposals: n * (K + 1),
    accepted: moves,
    acceptanceRate: moves / (n * K),
    logM: maxLr,
    stuckChains: stuck,
  });
}

function drawMany(draw: (c: number) => { x: Float64Array; lr: Float64Array }, n: number, block: number, d: number) {
  const x = new Float64Array(n * d);
  const lr = new Float64Array(n);
  for (let done = 0; done < n; ) {
    const c = Math.min(block, n - done);
    const b = draw(c);
    x.set(b.x, done * d);
    lr.set(b.lr, done);
    done += c;
  }
  return { x, lr };
}

/**
 * n samples of p_data from proposals of p_g and the log density ratio log p_data/p_g (see the module
 * doc: rejection = DRS, metropolis = MH-GAN's independence sampler). Seeded and deterministic: the same
 * source, seed and options give the same samples. `GANModel.sampleRefined` calls it with the generator as
 * the proposal and the critic's ratio.
 * @returns a frozen {@link RefinedSample}.
 * @throws DomainError for bad n or options, a source returning NaN/+∞ log ratios or the wrong count;
 *   ConvergenceError when rejection does not accept n samples within `maxProposals` (the message gives
 *   the acceptance rate) or every burn-in ratio is 0.
 * @example refineSamples({ dim: 1, propose, logRatio }, 1000, { seed: 1 }).samples
 */
export function refineSamples(source: RatioSource, n: number, options?: RefineOptions): RefinedSample {
  const c = checkedSource('refineSamples', source, n, options);
  return runRefinement('refineSamples', c.source, c.n, c.o, c.rng);
}

/**
 * {@link refineSamples} on core's asynchronous driver: yields to the event loop every 50 ms, so an AbortSignal
 * fired by a timer stops it between two blocks of proposals (AbortError, `partial` = `{ proposals, accepted }`).
 */
export async function refineSamplesAsync(source: RatioSource, n: number, options?: RefineOptions): Promise<RefinedSample> {
  const c = checkedSource('refineSamplesAsync', source, n, options);
  return runRefinementAsync('refineSamplesAsync', c.source, c.n, c.o, c.rng);
}

function checkedSource(where: string, source: RatioSource, n: number, options: RefineOptions | undefined) {
  if (
    typeof source !== 'object' ||
    source === null ||
    typeof source.propose !== 'function' ||
    typeof source.logRatio !== 'function' ||
    !Number.isSafeInteger(source.dim) ||
    source.dim < 1
  ) {
    throw new DomainError(`${where}: argument 'source' must be { dim, propose(count, rng), logRatio(x, count) }, got ${describeValue(source)}`);
  }
  const p = parseRefineOptions(where, n, options);
  const checked: RatioSource = {
    dim: source.dim,
    propose(count, rng) {
      const x = source.propose(count, rng);
      if (!(x instanceof Float64Array) || x.length !== count * source.dim) {
        throw new DomainError(`${where}: propose(${count}) must return a Float64Array of ${count * source.dim} numbers, got ${describeValue(x)}`);
      }
      for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i]!)) throw new DomainError(`${where}: propose returned a non-finite value ${x[i]}`);
      return x;
    },
    logRatio(x, count) {
      const lr = source.logRatio(x, count);
      if (!(lr instanceof Float64Array)) throw new DomainError(`${where}: logRatio must return a Float64Array, got ${describeValue(lr)}`);
      return lr;
    },
  };
  return { source: checked, n: p.n, o: p.o, rng: p.rng };
}
