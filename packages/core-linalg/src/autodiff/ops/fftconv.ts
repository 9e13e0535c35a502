/**
 * Causal long convolution through the FFT (Hyena's $y = h * u$, truncated to the input length), with its
 * adjoint for the backward pass. Inputs are validated once here; the transforms are the raw kernels of
 * `src/fft/real.ts` (cached plans, no per-row validation, copies or allocations).
 */
import { assertFinite, NonFiniteError, ShapeError } from '../../errors/index.js';
import { nextPowerOfTwo } from '../../fft/plan.js';
import { irfftInto, rfftInto } from '../../fft/real.js';
import { isRecording, makeOutput } from '../tape.js';
import { shapeStr, type Tensor, checkTensor } from '../tensor.js';

/** Spectra of `rows` rows of `a` (each `len` samples, zero-padded to n), `stride` = 2(n/2+1) doubles apart. */
function spectra(a: Float64Array, rows: number, len: number, n: number, stride: number): Float64Array {
  const S = new Float64Array(rows * stride);
  for (let r = 0; r < rows; r++) rfftInto(a.subarray(r * len, r * len + len), n, S.subarray(r * stride, r * stride + stride));
  return S;
}

/** P = A·B (or A·conj(B)), interleaved complex bins: A at `ia`, B at `ib`, `bins` bins; added to P if `add`. */
function product(P: Float64Array, A: Float64Array, ia: number, B: Float64Array, ib: number, bins: number, conj: boolean, add: boolean): void {
  const s = conj ? -1 : 1;
  for (let k = 0; k < bins; k++) {
    const ar = A[ia + 2 * k];
    const ai = A[ia + 2 * k + 1];
    const br = B[ib + 2 * k];
    const bi = s * B[ib + 2 * k + 1];
    const re = ar * br - ai * bi;
    const im = ai * br + ar * bi;
    if (add) {
      P[2 * k] += re;
      P[2 * k + 1] += im;
    } else {
      P[2 * k] = re;
      P[2 * k + 1] = im;
    }
  }
}

/** Index of the first NaN/±Infinity in `a`, or −1 (a tight loop; the typed error is built only on failure). */
function firstNonFinite(a: Float64Array): number {
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    if (v - v !== 0) return i;
  }
  return -1;
}

/** The validators' NonFiniteError for argument `name` if `a` holds NaN/±Infinity. */
function checkFinite(where: string, name: string, a: Float64Array): void {
  if (firstNonFinite(a) >= 0) assertFinite(where, name, a);
}

/** Throws NonFiniteError if finite operands overflowed into a non-finite result. */
function assertNoOverflow(what: string, a: Float64Array, shape: readonly number[]): void {
  const i = firstNonFinite(a);
  if (i >= 0) {
    throw new NonFiniteError(`fftConv1d: the ${what} ${shapeStr(shape)} overflowed to ${a[i]} at index ${i} from finite operands; scale them down`);
  }
}

/**
 * Causal convolution along the last axis: $y_t = \sum_{s=0}^{t} h_s\,u_{t-s}$ for $t < L$, computed
 * with zero-padded real FFTs of size $n = 2^{\lceil\log_2(L + K - 1)\rceil}$ in $O(L \log L)$ per row
 * (convolution theorem). `u` is [..., L]; `h` is [..., K] whose leading axes match the trailing leading
 * axes of `u` (e.g. `u` [B, D, L] with a per-channel filter `h` [D, K], or a shared `h` [K]).
 * VJPs (adjoint = correlation): $\bar u_s = \sum_{t \ge s} \bar y_t h_{t-s}$,
 * $\bar h_k = \sum_t \bar y_t u_{t-k}$, also by FFT: the filter's spectrum is computed once per forward
 * and reused by the backward pass, and $\bar h$ of a filter shared by several rows sums the rows'
 * spectra $\bar Y_r \overline{U_r}$ before one inverse transform (linearity).
 * @throws ShapeError naming both shapes when `h` does not match `u`; NonFiniteError for NaN/±Infinity in
 * `u`, `h` or the incoming gradient, or when finite operands overflow.
 */
export function fftConv1d(u: Tensor, h: Tensor): Tensor {
  checkTensor('fftConv1d', 'u', u);
  checkTensor('fftConv1d', 'h', h);
  const lead = u.shape.slice(0, -1);
  const hLead = h.shape.slice(0, -1);
  const ok =
    u.rank >= 1 && h.rank >= 1 && hLead.length <= lead.length && hLead.every((d, i) => d === lead[lead.length - hLead.length + i]);
  if (!ok || h.shape[h.rank - 1] < 1) {
    throw new ShapeError(`fftConv1d: filter ${shapeStr(h.shape)} does not match input ${shapeStr(u.shape)} (h must be [...trailing axes of u's leading axes, K])`);
  }
  checkFinite('fftConv1d', 'u', u.data);
  checkFinite('fftConv1d', 'h', h.data);
  const L = u.shape[u.rank - 1];
  const K = h.shape[h.rank - 1];
  const R = L > 0 ? u.size / L : 0;
  const Rh = h.size / K;
  const n = nextPowerOfTwo(L + K - 1);
  const bins = (n >> 1) + 1;
  const stride = 2 * bins;
  const out = new Float64Array(u.size);
  if (R === 0) return makeOutput('fftConv1d', out, u.shape, [u, h], (_g, needs) => [needs[0] ? new Float64Array(u.size) : null, needs[1] ? new Float64Array(h.size) : null]);
  const H = spectra(h.data, Rh, K, n, stride);
  const keep = isRecording([u, h]);
  const U = keep ? new Float64Array(R * stride) : new Float64Array(stride);
  const P = new Float64Array(stride);
  for (let r = 0; r < R; r++) {
    const at = keep ? r * stride : 0;
    rfftInto(u.data.subarray(r * L, r * L + L), n, U.subarray(at, at + stride));
    product(P, U, at, H, (r % Rh) * stride, bins, false, false);
    irfftInto(P, n, out.subarray(r * L, r * L + L), L);
  }
  assertNoOverflow('output', out, u.shape);
  return makeOutput('fftConv1d', out, u.shape, [u, h], (g, needs) => {
    checkFinite('fftConv1d (backward)', 'gradient', g);
    const gu = needs[0] ? new Float64Array(u.size) : null;
    const gh = needs[1] ? new Float64Array(h.size) : null;
    const G = new Float64Array(stride);
    const Gh = gh ? new Float64Array(Rh * stride) : null; // Σ_r Ḡ_r conj(U_r) per filter row
    for (let r = 0; r < R; r++) {
      const f = (r % Rh) * stride;
      rfftInto(g.subarray(r * L, r * L + L), n, G);
      if (gu) {
        product(P, G, 0, H, f, bins, true, false);
        irfftInto(P, n, gu.subarray(r * L, r * L + L), L);
      }
      if (Gh) product(Gh.subarray(f, f + stride), G, 0, U, r * stride, bins, true, r >= Rh);
    }
    if (gu) assertNoOverflow('input gradient', gu, u.shape);
    if (gh && Gh) {
      for (let r = 0; r < Rh; r++) irfftInto(Gh.subarray(r * stride, r * stride + stride), n, gh.subarray(r * K, r * K + K), K);
      assertNoOverflow('filter gradient', gh, h.shape);
    }
    return [gu, gh];
  });
}
