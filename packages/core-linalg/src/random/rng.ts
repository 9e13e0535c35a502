/**
 * Seeded pseudorandom generator shared by every stochastic function of @notes.
 *
 * A 32-bit Mersenne Twister (Matsumoto & Nishimura 1998; core's own `mt19937.ts`, bit-identical to stdlib-js's
 * `@stdlib/random-base-mt19937` which it replaced to keep ~150 KiB of CommonJS helpers out of browser bundles),
 * so the same seed gives bit-identical streams on every platform and in the browser.
 *
 * Design note. stdlib's gamma and beta samplers, when handed an external `prng`, seed a *hidden* Mersenne
 * Twister for their ziggurat normals whose state cannot be read back, so a generator built that way could
 * not be cloned exactly. An {@link Rng} therefore owns several streams, each with readable state: the
 * uniform stream (also fed as `{ prng }` to the stateless stdlib samplers: uniform, exponential, Gumbel,
 * Poisson, binomial), the normal stream (the improved ziggurat of `mt19937.ts` on its own twister, the same
 * draws as stdlib's `random-base-normal` seeded alike) and one stream each for stdlib's gamma and beta
 * samplers, seeded deterministically from the user's seed. The gamma and beta streams are created by
 * `stdlib-streams.ts` (the only module that imports those samplers) through {@link MtRng.derivedStream}, so
 * code that only draws uniforms and normals does not load them. `clone()` copies every state.
 */
import { assertInteger, DomainError, describeValue } from '../errors/index.js';
import { type Mt19937, mt19937, zigguratNormal } from './mt19937.js';

/** A seeded source of randomness. Every sampler of @notes takes one explicitly. */
export interface Rng {
  /** The seed this generator (or the root it was cloned/split from) was created with. */
  readonly seed: number;
  /** A uniform double in [0, 1) with 53 random bits. */
  uniform(): number;
  /** A standard normal draw N(0, 1) (improved ziggurat, Doornik 2005). */
  normal(): number;
  /** A copy with the same internal state: it produces the same streams as this generator from now on. */
  clone(): Rng;
  /**
   * An independent child generator, seeded from two 32-bit draws of this one (which advances this one).
   * Use it to hand sub-computations their own streams.
   */
  split(): Rng;
}

/**
 * @internal A derived stream of an rng made by {@link createRng}: the sampler bound to the stream's own state,
 * carrying `copyStream()`, a copy with the same state (for `clone()`). A function, so that the rng's own
 * fields stay functions and seeds only (what `@notes/check-kit` snapshots to detect mutated arguments).
 */
export type DerivedStream<F> = F & { copyStream(): DerivedStream<F> };

const UINT32 = 4294967296;

/** Seed words of the root stream; derived streams append their own index. */
function seedWords(seed: number): Uint32Array {
  return new Uint32Array([seed % UINT32, Math.floor(seed / UINT32)]);
}

/** @internal Seed words of derived stream `stream` (1 normal, 2 gamma, 3 beta). */
export function derive(words: Uint32Array, stream: number): Uint32Array {
  const out = new Uint32Array(words.length + 2);
  out.set(words);
  out[words.length] = 0x6a09e667; // marks a derived stream (first word of SHA-256's IV)
  out[words.length + 1] = stream;
  return out;
}

/** The normal stream: its own twister and the ziggurat on it. */
function normalStream(gen: Mt19937): DerivedStream<() => number> {
  const z = zigguratNormal(gen);
  // stdlib's normal(0, 1) returned 0 + 1·z; kept so that a −0 would come out as +0 exactly as before
  return Object.assign(() => 0 + 1 * z(), { copyStream: () => normalStream(gen.clone()) });
}

function makeNormalStream(seed: Uint32Array): DerivedStream<() => number> {
  return normalStream(mt19937(seed));
}

/** @internal The generator made by {@link createRng}. */
export class MtRng implements Rng {
  readonly seed: number;
  /** @internal the `[0, 1)` function of the uniform stream. */
  readonly prng: () => number;
  private readonly mt: Mt19937;
  private readonly words: Uint32Array;
  private readonly streams: Record<number, DerivedStream<unknown>>;
  private normalDraw: (() => number) | undefined;

  constructor(seed: number, words: Uint32Array, mt: Mt19937, streams: Record<number, DerivedStream<unknown>> = {}) {
    this.seed = seed;
    this.words = words;
    this.mt = mt;
    this.prng = mt.uniform;
    this.streams = streams;
  }

  uniform(): number {
    return this.prng();
  }

  normal(): number {
    this.normalDraw ??= this.derivedStream(1, makeNormalStream);
    return this.normalDraw();
  }

  /**
   * @internal The sampler of derived stream `index` (seeded with {@link derive}`(words, index)`), made by
   * `make` on first use and kept (and copied by `clone()`) from then on.
   */
  derivedStream<F>(index: number, make: (seed: Uint32Array) => DerivedStream<F>): F {
    let s = this.streams[index] as DerivedStream<F> | undefined;
    if (!s) {
      s = make(derive(this.words, index));
      this.streams[index] = s;
    }
    return s;
  }

  clone(): Rng {
    const copy: Record<number, DerivedStream<unknown>> = {};
    for (const [k, s] of Object.entries(this.streams)) copy[Number(k)] = s.copyStream();
    return new MtRng(this.seed, this.words, this.mt.clone(), copy);
  }

  split(): Rng {
    const words = new Uint32Array([this.mt.uint32(), this.mt.uint32(), 0xbb67ae85]);
    return new MtRng(this.seed, words, mt19937(words));
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
  return new MtRng(seed, words, mt19937(words));
}
