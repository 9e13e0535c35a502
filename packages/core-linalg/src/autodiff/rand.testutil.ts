/** Test helpers: seeded random tensors. */
import { createRng, type Rng } from '../random/index.js';
import { Tensor } from './tensor.js';

/** A seeded generator for tests. */
export function testRng(seed = 1): Rng {
  return createRng(seed);
}

/** Tensor of N(0,1) draws (shifted away from 0 by `away` when given, keeping the sign). */
export function randn(rng: Rng, shape: readonly number[], away = 0): Tensor {
  let n = 1;
  for (const d of shape) n *= d;
  const a = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const z = rng.normal();
    a[i] = z + Math.sign(z) * away;
  }
  return new Tensor(a, shape);
}

/** Tensor of uniform draws in [lo, hi). */
export function randu(rng: Rng, shape: readonly number[], lo: number, hi: number): Tensor {
  let n = 1;
  for (const d of shape) n *= d;
  const a = new Float64Array(n);
  for (let i = 0; i < n; i++) a[i] = lo + (hi - lo) * rng.uniform();
  return new Tensor(a, shape);
}
