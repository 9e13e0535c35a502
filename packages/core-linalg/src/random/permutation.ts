import { assertInteger } from '../errors/index.js';
import { type Rng, assertRng } from './rng.js';
import { prngOf } from './stdlib-streams.js';

/**
 * A uniformly random permutation of `0 … n−1` by the Fisher–Yates (Durstenfeld) shuffle: for
 * $i = n-1, \dots, 1$ swap entry $i$ with entry $j = \lfloor u(i+1) \rfloor$, $u \sim U[0,1)$
 * (Knuth, TAOCP vol. 2, Alg. 3.4.2P). Each of the $n!$ orders has probability $1/n!$.
 * @throws DomainError unless `n` is an integer in `[0, 2^31 − 1]`.
 * @example permutation(createRng(1), 5) // e.g. Int32Array [3, 0, 4, 1, 2]
 */
export function permutation(rng: Rng, n: number): Int32Array {
  assertRng('permutation', rng);
  assertInteger('permutation', 'n', n, 0, 2147483647);
  const prng = prngOf(rng);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(prng() * (i + 1));
    const t = out[i] as number;
    out[i] = out[j] as number;
    out[j] = t;
  }
  return out;
}
