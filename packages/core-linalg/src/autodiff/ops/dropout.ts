/**
 * Inverted dropout with an explicit random generator (Srivastava et al., JMLR 15, 2014).
 */
import { assertRng } from '../../random/rng.js';
import { checkTensor } from '../tensor.js';
import { assertFinite, DomainError } from '../../errors/index.js';
import type { Rng } from '../../random/index.js';
import { makeOutput } from '../tape.js';
import type { Tensor } from '../tensor.js';

/**
 * Zeros each element with probability `p` and scales the survivors by $1/(1-p)$, so
 * $\mathbb E[y] = x$: $y_i = x_i\, m_i/(1-p)$, $m_i \sim \text{Bernoulli}(1-p)$ drawn from `rng`.
 * With `training = false` (or p = 0) it is the identity. VJP: $\bar x_i = \bar y_i\, m_i/(1-p)$.
 * @throws DomainError unless 0 ≤ p < 1.
 */
export function dropout(x: Tensor, p: number, rng: Rng, training = true): Tensor {
  checkTensor('dropout', 'x', x);
  assertRng('dropout', rng);
  assertFinite('dropout', 'p', p);
  if (!(p >= 0 && p < 1)) throw new DomainError(`dropout: argument 'p' must be in [0, 1), got ${p}`);
  const n = x.size;
  const scale = new Float64Array(n);
  const keep = 1 / (1 - p);
  for (let i = 0; i < n; i++) scale[i] = !training || p === 0 || rng.uniform() >= p ? (training ? keep : 1) : 0;
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) y[i] = x.data[i] * scale[i];
  return makeOutput('dropout', y, x.shape, [x], (g) => {
    const gx = new Float64Array(n);
    for (let i = 0; i < n; i++) gx[i] = g[i] * scale[i];
    return [gx];
  });
}
