/**
 * Seeded pseudorandom generator shared by every stochastic function of @notes.
 *
 * Built on stdlib-js's 32-bit Mersenne Twister (`@stdlib/random-base-mt19937`; Matsumoto & Nishimura
 * 1998), so the same seed gives bit-identical streams on every platform and in the browser.
 *
 * Design note. stdlib's normal, gamma and beta samplers, when handed an external `prng`, seed a
 * *hidden* Mersenne Twister for their ziggurat normals whose state cannot be read back, so a generator
 * built that way could not be cloned exactly. An {@link Rng} therefore owns a small set of stdlib
 * streams, each with readable state: the uniform stream (also fed as `{ prng }` to the stateless stdlib
 * samplers: uniform, exponential, Gumbel, Poisson, binomial) and one stream each for stdlib's normal,
 * gamma and beta samplers, seeded deterministically from the user's seed. `clone()` copies every state.
 */
import betaSampler from '@stdlib/random-base-beta';
import gammaSampler from '@stdlib/random-base-gamma';
import mt19937 from '@stdlib/random-base-mt19937';
import normalSampler from '@stdlib/random-base-normal';
import { assertInteger, DomainError, describeValue } from '../errors/index.js';

/** A seeded source of randomness. Every sampler of @notes takes one explicitly. */
export interface Rng {
  /** The seed this generator (or the root it was cloned/split from) was created with. */
  readonly seed: number;
  /** A uniform double in [0, 1) with 53 random bits. */
  uniform(): number;
  /** A standard normal draw N(0, 1) (stdlib's improved ziggurat, Doornik 2005). */
  normal(): number;
  /** A copy with the same internal state: it produces the same streams as this generator from now on. */
  clone(): Rng;
  /**
   * An independent child generator, seeded from two 32-bit draws of this one (which advances this one).
   * Use it to hand sub-computations their own streams.
   */
  split(): Rng;
}

type Mt = ReturnType<typeof mt19937.factory>;
type Stateful<F> = F & { state: Uint32Array };
type NormalFn = Stateful<() => number>;
type BinaryFn = Stateful<(a: number, b: number) => number>;

const UINT32 = 4294967296;

/** Seed words of the root stream; derived streams append their own index. */
function seedWords(seed: number): Uint32Array {
  return new Uint32Array([seed % UINT32, Math.floor(seed / UINT32)]);
}

function derive(words: Uint32Array, stream: number): Uint32Array {
  const out = new Uint32Array(words.length + 2);
  out.set(words);
  out[words.length] = 0x6a09e667; // marks a derived stream (first word of SHA-256's IV)
  out[words.length + 1] = stream;
  return out;
}

interface Streams {
  normal?: NormalFn;
  gamma?: BinaryFn;
  beta?: BinaryFn;
}

class MtRng implements Rng {
  readonly seed: number;
  /** @internal the stdlib `[0, 1)` generator of the uniform stream. */
  readonly prng: () => number;
  private readonly mt: Mt;
  private readonly words: Uint32Array;
  private readonly streams: Streams;

  constructor(seed: number, words: Uint32Array, mt: Mt, streams: Streams = {}) {
    this.seed = seed;
    this.words = words;
    this.mt = mt;
    this.prng = (mt as Mt & { normalized: () => number }).normalized;
    this.streams = streams;
  }

  uniform(): number {
    return this.prng();
  }

  normal(): number {
    return this.normalStream()();
  }

  /** @internal stdlib's standard normal sampler on this rng's normal stream. */
  normalStream(): NormalFn {
    this.streams.normal ??= normalSampler.factory(0, 1, { seed: derive(this.words, 1), copy: false }) as NormalFn;
    return this.streams.normal;
  }

  /** @internal stdlib's `gamma(shape, rate)` sampler on this rng's gamma stream. */
  gammaStream(): BinaryFn {
    this.streams.gamma ??= gammaSampler.factory({ seed: derive(this.words, 2), copy: false }) as BinaryFn;
    return this.streams.gamma;
  }

  /** @internal stdlib's `beta(a, b)` sampler on this rng's beta stream. */
  betaStream(): BinaryFn {
    this.streams.beta ??= betaSampler.factory({ seed: derive(this.words, 3), copy: false }) as BinaryFn;
    return this.streams.beta;
  }

  clone(): Rng {
    const s = this.streams;
    const copy: Streams = {};
    if (s.normal) copy.normal = normalSampler.factory(0, 1, { state: s.normal.state, copy: true }) as NormalFn;
    if (s.gamma) copy.gamma = gammaSampler.factory({ state: s.gamma.state, copy: true }) as BinaryFn;
    if (s.beta) copy.beta = betaSampler.factory({ state: s.beta.state, copy: true }) as BinaryFn;
    return new MtRng(this.seed, this.words, mt19937.factory({ state: this.mt.state, copy: true }), copy);
  }

  split(): Rng {
    const words = new Uint32Array([this.mt() >>> 0, this.mt() >>> 0, 0xbb67ae85]);
    return new MtRng(this.seed, words, mt19937.factory({ seed: words }));
  }
}

/**
 * Throws {@link DomainError} unless `rng` is a generator (an object with `uniform` and `normal`
 * functions, as made by {@link createRng}). Every function that takes an `rng` argument calls it first.
 */
export function assertRng(where: string, rng: unknown, name = 'rng'): asserts rng is Rng {
  if (rng instanceof MtRng) return;
  if (
    typeof rng !== 'object' ||
    rng === null ||
    typeof (rng as Rng).uniform !== 'function' ||
    typeof (rng as Rng).normal !== 'function'
  ) {
    throw new DomainError(`${where}: argument '${name}' must be a generator from createRng (with 'uniform' and 'normal'), got ${describeValue(rng)}`);
  }
}

/**
 * Creates a seeded generator.
 *
 * Same seed → bit-identical output on every platform (MT19937 seeded with `init_by_array` on the
 * seed's two 32-bit words; period 2^19937 − 1; not cryptographically secure).
 *
 * @param seed - an integer in `[0, 2^53 − 1]`.
 * @throws DomainError if `seed` is not such an integer.
 * @example
 * const rng = createRng(42);
 * rng.uniform(); // in [0, 1)
 * const child = rng.split(); // independent streams
 */
export function createRng(seed: number): Rng {
  assertInteger('createRng', 'seed', seed, 0, Number.MAX_SAFE_INTEGER);
  const words = seedWords(seed);
  return new MtRng(seed, words, mt19937.factory({ seed: words }));
}

const foreign = new WeakMap<Rng, { prng: () => number; gamma: BinaryFn; beta: BinaryFn }>();

function foreignOf(rng: Rng) {
  let f = foreign.get(rng);
  if (!f) {
    const prng = () => rng.uniform();
    f = {
      prng,
      gamma: gammaSampler.factory({ prng }) as BinaryFn,
      beta: betaSampler.factory({ prng }) as BinaryFn,
    };
    foreign.set(rng, f);
  }
  return f;
}

/**
 * @internal The `[0,1)` function stdlib samplers take as `{ prng }`: the uniform stream of an rng made by
 * {@link createRng}, or a wrapper around `rng.uniform()` for a caller-supplied {@link Rng}.
 */
export function prngOf(rng: Rng): () => number {
  return rng instanceof MtRng ? rng.prng : foreignOf(rng).prng;
}

/** @internal stdlib's gamma sampler `(shape, rate) => number` bound to `rng`. */
export function gammaOf(rng: Rng): (shape: number, rate: number) => number {
  return rng instanceof MtRng ? rng.gammaStream() : foreignOf(rng).gamma;
}

/** @internal stdlib's beta sampler `(a, b) => number` bound to `rng`. */
export function betaOf(rng: Rng): (a: number, b: number) => number {
  return rng instanceof MtRng ? rng.betaStream() : foreignOf(rng).beta;
}
