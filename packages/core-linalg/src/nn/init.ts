/**
 * Seeded weight initialisation.
 */
import { assertPositive } from '../errors/index.js';
import { assertRng } from '../random/rng.js';
import { Tensor } from '../autodiff/index.js';
import { createRng, type Rng } from '../random/index.js';

/** Initialisation scheme of a weight matrix. */
export type InitKind = 'glorot' | 'he';

/** Options shared by layers that initialise weights. */
export interface InitOptions {
  /** Weight scheme: `'glorot'` (tanh/sigmoid/linear) or `'he'` (ReLU). @defaultValue 'glorot' */
  init?: InitKind;
  /** Random generator for the weights. @defaultValue createRng(seed) */
  rng?: Rng;
  /** Seed used when no `rng` is given. @defaultValue 0 */
  seed?: number;
}

/** @internal the generator a layer draws from. */
export function rngOf(o: InitOptions): Rng {
  return o.rng ?? createRng(o.seed ?? 0);
}

/**
 * Glorot/Xavier uniform: $W_{ij} \sim U(-a, a)$, $a = \sqrt{6/(n_{in} + n_{out})}$
 * (Glorot & Bengio, AISTATS 2010), keeping activation variance roughly constant for tanh layers.
 */
export function glorotUniform(rng: Rng, shape: readonly number[], fanIn: number, fanOut: number): Tensor {
  assertRng('glorotUniform', rng);
  assertPositive('glorotUniform', 'fanIn', fanIn);
  assertPositive('glorotUniform', 'fanOut', fanOut);
  const a = Math.sqrt(6 / (fanIn + fanOut));
  const t = Tensor.zeros(shape);
  for (let i = 0; i < t.size; i++) t.data[i] = a * (2 * rng.uniform() - 1);
  return t;
}

/**
 * He/Kaiming normal: $W_{ij} \sim \mathcal N(0, 2/n_{in})$ (He et al., ICCV 2015), for ReLU layers.
 */
export function heNormal(rng: Rng, shape: readonly number[], fanIn: number): Tensor {
  assertRng('heNormal', rng);
  assertPositive('heNormal', 'fanIn', fanIn);
  const sd = Math.sqrt(2 / fanIn);
  const t = Tensor.zeros(shape);
  for (let i = 0; i < t.size; i++) t.data[i] = sd * rng.normal();
  return t;
}

/** @internal a weight tensor by scheme. */
export function initWeight(kind: InitKind, rng: Rng, shape: readonly number[], fanIn: number, fanOut: number): Tensor {
  return kind === 'he' ? heNormal(rng, shape, fanIn) : glorotUniform(rng, shape, fanIn, fanOut);
}
