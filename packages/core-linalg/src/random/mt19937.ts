/**
 * 32-bit Mersenne Twister MT19937 (Matsumoto & Nishimura 1998) and a standard normal sampler on it, written
 * for core so that {@link createRng} needs no CommonJS dependency: stdlib-js's `@stdlib/random-base-mt19937`
 * and `@stdlib/random-base-normal` (which the generator used before) pull about 150 KiB of minified
 * helpers into any browser bundle that touches an rng.
 *
 * The streams are the same numbers, bit for bit, as stdlib's for the same seed array:
 * - seeding follows the reference `init_by_array` (or `init_genrand` for a one-word seed), as stdlib does;
 * - {@link Mt19937.uniform} is stdlib's `normalized()`: $(\lfloor a/2^5\rfloor 2^{26} + \lfloor b/2^6\rfloor)/2^{53}$
 *   from two consecutive words, 53 random bits in $[0, 1)$;
 * - {@link zigguratNormal} is Doornik's (2005) improved ziggurat with 128 blocks and right-tail start
 *   3.442619855899, drawing the block index from the low 7 bits of one word and the abscissa from
 *   `2·uniform() − 1`, with the same rejection steps as stdlib's `random-base-improved-ziggurat`.
 *
 * `src/random/mt19937.test.ts` checks both against stdlib for several seeds (tens of thousands of draws).
 * The ziggurat uses `Math.exp`/`Math.log` where stdlib uses its own fdlibm ports of exp/ln; V8 (Node,
 * Chromium) implements both with the same fdlibm algorithms, and the test finds every draw identical. An
 * engine whose `Math.log` differed in the last place could change the last bit of a right-tail draw
 * (about 1 draw in 1,700).
 * @internal
 */

const N = 624;
const M = 397;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;
const MATRIX_A = 0x9908b0df;
const TWO_26 = 67108864;
const TWO_NEG_53 = 1 / 9007199254740992;

/** A Mersenne Twister generator: its 624-word state and the index of the next word. @internal */
export interface Mt19937 {
  /** Next 32-bit word as an unsigned integer. */
  uint32(): number;
  /** Next double in [0, 1) from two words (53 random bits). */
  uniform(): number;
  /** An independent copy with the same state. */
  clone(): Mt19937;
}

/** `init_genrand(s)`: fills the state from one 32-bit word. */
function initGenrand(mt: Uint32Array, s: number): void {
  mt[0] = s >>> 0;
  for (let i = 1; i < N; i++) {
    const prev = mt[i - 1] as number;
    mt[i] = (Math.imul(prev ^ (prev >>> 30), 1812433253) + i) >>> 0;
  }
}

/** `init_by_array(key)`: the reference seeding from an array of 32-bit words. */
function initByArray(mt: Uint32Array, key: ArrayLike<number>): void {
  initGenrand(mt, 19650218);
  const len = key.length;
  let i = 1;
  let j = 0;
  for (let k = Math.max(N, len); k > 0; k--) {
    const prev = mt[i - 1] as number;
    mt[i] = ((((mt[i] as number) ^ Math.imul(prev ^ (prev >>> 30), 1664525)) >>> 0) + (key[j] as number) + j) >>> 0;
    i++;
    j++;
    if (i >= N) {
      mt[0] = mt[N - 1] as number;
      i = 1;
    }
    if (j >= len) j = 0;
  }
  for (let k = N - 1; k > 0; k--) {
    const prev = mt[i - 1] as number;
    mt[i] = ((((mt[i] as number) ^ Math.imul(prev ^ (prev >>> 30), 1566083941)) >>> 0) - i) >>> 0;
    i++;
    if (i >= N) {
      mt[0] = mt[N - 1] as number;
      i = 1;
    }
  }
  mt[0] = 0x80000000;
}

/** Regenerates all 624 words. */
function twist(mt: Uint32Array): void {
  let i = 0;
  for (; i < N - 1; i++) {
    const y = ((mt[i] as number) & UPPER_MASK) | ((mt[i + 1] as number) & LOWER_MASK);
    mt[i] = (mt[(i + M) % N] as number) ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
  }
  const y = ((mt[N - 1] as number) & UPPER_MASK) | ((mt[0] as number) & LOWER_MASK);
  mt[N - 1] = (mt[M - 1] as number) ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
}

function generator(mt: Uint32Array, start: number): Mt19937 {
  let index = start;
  const uint32 = (): number => {
    if (index >= N) {
      twist(mt);
      index = 0;
    }
    let y = mt[index++] as number;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  };
  return {
    uint32,
    uniform: () => {
      const a = uint32() >>> 5;
      const b = uint32() >>> 6;
      return (a * TWO_26 + b) * TWO_NEG_53;
    },
    clone: () => generator(mt.slice(), index),
  };
}

/**
 * A Mersenne Twister seeded with an array of 32-bit words (`init_by_array`; a one-word array uses
 * `init_genrand`, as stdlib does). @internal
 */
export function mt19937(seed: ArrayLike<number>): Mt19937 {
  const mt = new Uint32Array(N);
  if (seed.length === 1) initGenrand(mt, seed[0] as number);
  else initByArray(mt, Uint32Array.from(seed as ArrayLike<number>));
  return generator(mt, N);
}

const BLOCKS = 128;
const R_TAIL = 3.442619855899;
/** Area of each ziggurat block. */
const V = 9.91256303526217e-3;
let X: Float64Array | undefined;
let RATIO: Float64Array | undefined;

/** Block edges $x_0 = V/f(r), x_1 = r, x_i = \sqrt{-2\log(V/x_{i-1} + f(x_{i-1}))}$, $x_{128} = 0$ (built on first use). */
function tables(): [Float64Array, Float64Array] {
  if (!X || !RATIO) {
    const x = new Float64Array(BLOCKS + 1);
    let f = Math.exp(-0.5 * R_TAIL * R_TAIL);
    x[0] = V / f;
    x[1] = R_TAIL;
    for (let i = 2; i < BLOCKS; i++) {
      x[i] = Math.sqrt(-2 * Math.log(V / (x[i - 1] as number) + f));
      f = Math.exp(-0.5 * (x[i] as number) * (x[i] as number));
    }
    x[BLOCKS] = 0;
    const r = new Float64Array(BLOCKS);
    for (let i = 0; i < BLOCKS; i++) r[i] = (x[i + 1] as number) / (x[i] as number);
    X = x;
    RATIO = r;
  }
  return [X, RATIO];
}

/**
 * Standard normal draws by the improved ziggurat (Doornik 2005) on `gen`: one `uniform()` and one
 * `uint32()` per try, Marsaglia's tail method beyond $r = 3.442619855899$. @internal
 */
export function zigguratNormal(gen: Mt19937): () => number {
  const [x, ratio] = tables();
  const { uniform, uint32 } = gen;
  return () => {
    for (;;) {
      const u = 2 * uniform() - 1;
      const i = uint32() & 127;
      if (Math.abs(u) < (ratio[i] as number)) return u * (x[i] as number);
      if (i === 0) {
        let a: number;
        let b: number;
        do {
          a = Math.log(uniform()) / R_TAIL;
          b = Math.log(uniform());
        } while (-2 * b < a * a);
        return u < 0 ? a - R_TAIL : R_TAIL - a;
      }
      const xi = x[i] as number;
      const xj = x[i + 1] as number;
      const z = u * xi;
      const z2 = z * z;
      const f0 = Math.exp(-0.5 * (xi * xi - z2));
      const f1 = Math.exp(-0.5 * (xj * xj - z2));
      if (f1 + uniform() * (f0 - f1) < 1) return z;
    }
  }
}
