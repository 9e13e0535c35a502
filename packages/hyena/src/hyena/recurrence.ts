/**
 * The order-N Hyena recurrence (notes: Order-N hyena operator) and its matrix form.
 * $$z^1 = v,\qquad z^{n+1}_t = x^n_t\,(h^n * z^n)_t\ (n = 1..N),\qquad y = z^{N+1}$$
 * is, per channel, $y = D_x^N S_h^N \cdots D_x^1 S_h^1 v$ with $D_x^n = \operatorname{diag}(x^n)$ and $S_h^n$
 * the causal Toeplitz matrix of $h^n$.
 */
import { checkMemory, defineOptions, ops, ShapeError, shapeStr, type Tensor } from '@notes/core-linalg';
import { MEMORY_RULE, readTensor } from '../validate.js';

const MATRIX_FORM = defineOptions<{ maxMemoryBytes?: number }>()('hyenaMatrixForm', { maxMemoryBytes: MEMORY_RULE });
import { Matrix } from 'ml-matrix';
import { causalToeplitz } from '../toeplitz/index.js';
import { assertNoOverflow, fftConvNoOverflow } from './finite.js';

function checkStreams(where: string, v: Tensor, x: readonly Tensor[], h: readonly Tensor[]): void {
  readTensor(where, 'v', v, 2);
  if (!Array.isArray(x) || !Array.isArray(h)) throw new ShapeError(`${where}: arguments 'x' and 'h' must be arrays of Tensors`);
  if (x.length !== h.length || x.length === 0) {
    throw new ShapeError(`${where}: need as many gates x as filters h (≥ 1), got ${x.length} and ${h.length}`);
  }
  for (const [name, list] of [['x', x], ['h', h]] as const) {
    list.forEach((t, n) => {
      readTensor(where, `${name}[${n}]`, t);
      if (t.shape.join(',') !== v.shape.join(',')) {
        throw new ShapeError(`${where}: ${name}[${n}] must have the shape of v ${shapeStr(v.shape)}, got ${shapeStr(t.shape)}`);
      }
    });
  }
}

/**
 * Algorithm 3's loop: $v \leftarrow x^n \odot \mathrm{FFTConv}(h^n, v)$ for n = 1..N, on [D, L] streams,
 * differentiable (core's `ops.fftConv1d`, O(N D L log L)).
 * @throws ShapeError naming the shapes when the streams disagree; NonFiniteError on NaN/±Infinity in a
 *   stream; DomainError if huge streams overflow.
 */
export function hyenaRecurrence(v: Tensor, x: readonly Tensor[], h: readonly Tensor[]): Tensor {
  checkStreams('hyenaRecurrence', v, x, h);
  return recurrence(v, x, h, 'hyenaRecurrence', 'v');
}

/**
 * The loop of {@link hyenaRecurrence} on checked streams; an overflow is reported as argument `name` of
 * `where` (the operator names its input u).
 * @internal
 */
export function recurrence(v: Tensor, x: readonly Tensor[], h: readonly Tensor[], where: string, name: string): Tensor {
  let z = v;
  x.forEach((xn, n) => {
    z = ops.mul(xn, fftConvNoOverflow(where, name, z, h[n] as Tensor));
    assertNoOverflow(where, name, z.data);
  });
  return z;
}

/**
 * The same output built densely: for each channel d, $y_d = D_x^N S_h^N \cdots D_x^1 S_h^1 v_d$
 * (O(L²) memory per channel; for checking small L). Returns [D, L].
 * @throws ShapeError naming the shapes when the streams disagree; NonFiniteError on NaN/±Infinity;
 *   DomainError if the product overflows; ResourceError when the L×L matrices exceed `maxMemoryBytes`.
 */
export function hyenaMatrixForm(v: Tensor, x: readonly Tensor[], h: readonly Tensor[], options: { maxMemoryBytes?: number } = {}): Matrix {
  const o = MATRIX_FORM.parse(options);
  checkStreams('hyenaMatrixForm', v, x, h);
  const [D, L] = v.shape as [number, number];
  checkMemory('hyenaMatrixForm', `the ${L}×${L} matrices`, 8 * (4 * L * L + D * L), {
    ...(o.maxMemoryBytes !== undefined ? { maxMemoryBytes: o.maxMemoryBytes } : {}),
    alternative: 'hyenaRecurrence (FFT, O(L log L))',
  });
  const out = Matrix.zeros(D, L);
  for (let d = 0; d < D; d++) {
    const row = (t: Tensor) => Array.from(t.data.subarray(d * L, (d + 1) * L));
    let H = Matrix.eye(L);
    x.forEach((xn, n) => {
      H = Matrix.diag(row(xn)).mmul(causalToeplitz(row(h[n] as Tensor), L, { maxMemoryBytes: Number.MAX_VALUE })).mmul(H);
    });
    out.setRow(d, H.mmul(Matrix.columnVector(row(v))).getColumn(0));
  }
  assertNoOverflow('hyenaMatrixForm', 'v', out.to1DArray() as unknown as Float64Array);
  return out;
}
