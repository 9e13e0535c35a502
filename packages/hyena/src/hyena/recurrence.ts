/**
 * The order-N Hyena recurrence (notes: Order-N hyena operator) and its matrix form.
 * $$z^1 = v,\qquad z^{n+1}_t = x^n_t\,(h^n * z^n)_t\ (n = 1..N),\qquad y = z^{N+1}$$
 * is, per channel, $y = D_x^N S_h^N \cdots D_x^1 S_h^1 v$ with $D_x^n = \operatorname{diag}(x^n)$ and $S_h^n$
 * the causal Toeplitz matrix of $h^n$.
 */
import { assertFinite, ops, ShapeError, shapeStr, type Tensor } from '@notes/core-linalg';
import { Matrix } from 'ml-matrix';
import { causalToeplitz } from '../toeplitz/index.js';
import { assertNoOverflow, fftConvNoOverflow } from './finite.js';

function checkStreams(where: string, v: Tensor, x: readonly Tensor[], h: readonly Tensor[]): void {
  if (x.length !== h.length || x.length === 0) {
    throw new ShapeError(`${where}: need as many gates x as filters h (≥ 1), got ${x.length} and ${h.length}`);
  }
  assertFinite(where, 'v', v.data);
  for (const [name, list] of [['x', x], ['h', h]] as const) {
    list.forEach((t, n) => {
      if (t.shape.join(',') !== v.shape.join(',')) {
        throw new ShapeError(`${where}: ${name}[${n}] must have the shape of v ${shapeStr(v.shape)}, got ${shapeStr(t.shape)}`);
      }
      assertFinite(where, `${name}[${n}]`, t.data);
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
 * (O(N L²) memory; for checking small L). Returns [D, L].
 * @throws ShapeError naming the shapes when the streams disagree; NonFiniteError on NaN/±Infinity.
 */
export function hyenaMatrixForm(v: Tensor, x: readonly Tensor[], h: readonly Tensor[]): Matrix {
  checkStreams('hyenaMatrixForm', v, x, h);
  const [D, L] = v.shape as [number, number];
  const out = Matrix.zeros(D, L);
  for (let d = 0; d < D; d++) {
    const row = (t: Tensor) => Array.from(t.data.subarray(d * L, (d + 1) * L));
    let H = Matrix.eye(L);
    x.forEach((xn, n) => {
      H = Matrix.diag(row(xn)).mmul(causalToeplitz(row(h[n] as Tensor), L)).mmul(H);
    });
    out.setRow(d, H.mmul(Matrix.columnVector(row(v))).getColumn(0));
  }
  return out;
}
