/**
 * stdlib-js's gamma and beta samplers bound to an {@link Rng}. The only module of core's generator that imports
 * them (they are CommonJS packages without a `sideEffects` flag, so a bundler keeps them whenever a module
 * importing them is kept): code that draws only with `rng.uniform()` and `rng.normal()`, such as
 * `createRng` and `resolveRng`, does not load them. Also {@link prngOf}, the `{ prng }` handed to the other
 * stdlib samplers, because for a caller-supplied rng it has always created these two samplers.
 */
import betaSampler from '@stdlib/random-base-beta';
import gammaSampler from '@stdlib/random-base-gamma';
import { type DerivedStream, MtRng, type Rng } from './rng.js';

type BinaryFn = ((a: number, b: number) => number) & { state: Uint32Array };
type Factory = (options: { seed: Uint32Array; copy: boolean } | { state: Uint32Array; copy: boolean }) => BinaryFn;

type Binary = (a: number, b: number) => number;

/** A stdlib sampler on its own seeded stream; `copyStream()` restarts the sampler from a copy of its state. */
function seeded(factory: Factory, seed: Uint32Array): DerivedStream<Binary> {
  return fromState(factory, factory({ seed, copy: false }));
}

function fromState(factory: Factory, draw: BinaryFn): DerivedStream<Binary> {
  return Object.assign((a: number, b: number) => draw(a, b), {
    copyStream: () => fromState(factory, factory({ state: draw.state, copy: true })),
  });
}

const makeGamma = (seed: Uint32Array) => seeded(gammaSampler.factory as unknown as Factory, seed);
const makeBeta = (seed: Uint32Array) => seeded(betaSampler.factory as unknown as Factory, seed);

const foreign = new WeakMap<Rng, { prng: () => number; gamma: BinaryFn; beta: BinaryFn }>();

/**
 * For a caller-supplied {@link Rng}: a `[0, 1)` wrapper around `rng.uniform()` and both samplers on it,
 * created together on first use (gamma, then beta: each seeds its hidden normal from one draw of the rng,
 * so the first use advances a caller-supplied rng by two uniforms, as it always has).
 */
function foreignOf(rng: Rng): { prng: () => number; gamma: BinaryFn; beta: BinaryFn } {
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

/** @internal stdlib's gamma sampler `(shape, rate) => number` bound to `rng` (its gamma stream, index 2). */
export function gammaOf(rng: Rng): (shape: number, rate: number) => number {
  return rng instanceof MtRng ? rng.derivedStream(2, makeGamma) : foreignOf(rng).gamma;
}

/** @internal stdlib's beta sampler `(a, b) => number` bound to `rng` (its beta stream, index 3). */
export function betaOf(rng: Rng): (a: number, b: number) => number {
  return rng instanceof MtRng ? rng.derivedStream(3, makeBeta) : foreignOf(rng).beta;
}
