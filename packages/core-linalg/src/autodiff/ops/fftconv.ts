/**
 * Causal long convolution through the FFT (Hyena's $y = h * u$, truncated to the input length), with its
 * adjoint for the backward pass.
 */
import { ShapeError } from '../../errors/index.js';
import { irfft, nextPowerOfTwo, rfft } from '../../fft/index.js';
import { isRecording, makeOutput } from '../tape.js';
import { shapeStr, type Tensor } from '../tensor.js';

interface Spectrum {
  re: Float64Array;
  im: Float64Array;
}

/** Buffers reused across the rows of one call (the padded signal and the product spectrum). */
interface Work {
  pad: Float64Array;
  re: Float64Array;
  im: Float64Array;
}

function workspace(n: number): Work {
  const bins = (n >> 1) + 1;
  return { pad: new Float64Array(n), re: new Float64Array(bins), im: new Float64Array(bins) };
}

/** rfft of `a[from, from + len)` zero-padded to `w.pad.length`. */
function spectrum(a: Float64Array, from: number, len: number, w: Work): Spectrum {
  w.pad.set(a.subarray(from, from + len));
  w.pad.fill(0, len);
  return rfft(w.pad);
}

/** irfft(A · B) (or A · conj(B)) truncated to `len` samples, written at `out[at..]` (added if `add`). */
function productInverse(A: Spectrum, B: Spectrum, conj: boolean, w: Work, out: Float64Array, at: number, len: number, add: boolean): void {
  const bins = A.re.length;
  const { re, im } = w;
  const n = w.pad.length;
  const s = conj ? -1 : 1;
  for (let k = 0; k < bins; k++) {
    re[k] = A.re[k] * B.re[k] - s * A.im[k] * B.im[k];
    im[k] = A.im[k] * B.re[k] + s * A.re[k] * B.im[k];
  }
  const y = irfft(re, im, n);
  if (add) for (let t = 0; t < len; t++) out[at + t] += y[t];
  else out.set(y.subarray(0, len), at);
}

/**
 * Causal convolution along the last axis: $y_t = \sum_{s=0}^{t} h_s\,u_{t-s}$ for $t < L$, computed
 * with zero-padded real FFTs of size $\ge L + K - 1$ in $O(L \log L)$ per row (convolution theorem).
 * `u` is [..., L]; `h` is [..., K] whose leading axes match the trailing leading axes of `u`
 * (e.g. `u` [B, D, L] with a per-channel filter `h` [D, K], or a shared `h` [K]).
 * VJPs (adjoint = correlation): $\bar u_s = \sum_{t \ge s} \bar y_t h_{t-s}$,
 * $\bar h_k = \sum_t \bar y_t u_{t-k}$, also by FFT.
 * @throws ShapeError naming both shapes when `h` does not match `u`.
 */
export function fftConv1d(u: Tensor, h: Tensor): Tensor {
  const lead = u.shape.slice(0, -1);
  const hLead = h.shape.slice(0, -1);
  const ok =
    u.rank >= 1 && h.rank >= 1 && hLead.length <= lead.length && hLead.every((d, i) => d === lead[lead.length - hLead.length + i]);
  if (!ok || h.shape[h.rank - 1] < 1) {
    throw new ShapeError(`fftConv1d: filter ${shapeStr(h.shape)} does not match input ${shapeStr(u.shape)} (h must be [...trailing axes of u's leading axes, K])`);
  }
  const L = u.shape[u.rank - 1];
  const K = h.shape[h.rank - 1];
  const R = u.size / Math.max(L, 1);
  const Rh = h.size / K;
  const n = nextPowerOfTwo(L + K - 1);
  const w = workspace(n);
  const Hs: Spectrum[] = [];
  for (let r = 0; r < Rh; r++) Hs.push(spectrum(h.data, r * K, K, w));
  const keep = isRecording([u, h]);
  const Us: Spectrum[] = [];
  const out = new Float64Array(u.size);
  for (let r = 0; r < R && L > 0; r++) {
    const U = spectrum(u.data, r * L, L, w);
    if (keep) Us.push(U);
    productInverse(U, Hs[r % Rh], false, w, out, r * L, L, false);
  }
  return makeOutput('fftConv1d', out, u.shape, [u, h], (g, needs) => {
    const gu = needs[0] ? new Float64Array(u.size) : null;
    const gh = needs[1] ? new Float64Array(h.size) : null;
    const wb = workspace(n);
    for (let r = 0; r < R && L > 0; r++) {
      const G = spectrum(g, r * L, L, wb);
      if (gu) productInverse(G, Hs[r % Rh], true, wb, gu, r * L, L, false);
      if (gh) productInverse(G, Us[r], true, wb, gh, (r % Rh) * K, Math.min(K, n), true);
    }
    return [gu, gh];
  });
}
