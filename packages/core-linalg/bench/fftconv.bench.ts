// fftConv1d (Hyena's causal long convolution) forward and forward + backward, timed by CPU time
// (process.cpuUsage, user + system: robust on a shared machine) and wall time.
// Baselines measured in the same process:
// - "public rfft/irfft": the same algorithm written with the validated public `rfft`/`irfft` per row
//   (what `ops.fftConv1d` did before it used the raw kernels of src/fft/real.ts);
// - the direct causal convolution as a depthwise `ops.conv1d` (flipped filter, K − 1 zeros of padding, first
//   L outputs), O(L·K) per channel, differentiated by the same engine (small sizes only).
// Run with `pnpm bench` (node --expose-gc --import tsx), or `node --import tsx bench/fftconv.bench.ts`.
import { cpuTime, report, time } from '@notes/bench-kit';
import { noGrad, ops, Tensor, variableGrads } from '../src/autodiff/index.js';
import { irfft, nextPowerOfTwo, rfft } from '../src/fft/index.js';
import { createRng } from '../src/random/index.js';

const rng = createRng(1);
const randArray = (n: number, scale = 1) => Float64Array.from({ length: n }, () => scale * rng.normal());

/** irfft(A·B or A·conj(B)) with the public functions, first `len` samples added or written at out[at..]. */
function publicProduct(A: { re: Float64Array; im: Float64Array }, B: { re: Float64Array; im: Float64Array }, conj: boolean, n: number, out: Float64Array, at: number, len: number, add: boolean): void {
  const bins = A.re.length;
  const re = new Float64Array(bins);
  const im = new Float64Array(bins);
  const s = conj ? -1 : 1;
  for (let k = 0; k < bins; k++) {
    re[k] = A.re[k] * B.re[k] - s * A.im[k] * B.im[k];
    im[k] = A.im[k] * B.re[k] + s * A.re[k] * B.im[k];
  }
  const y = irfft(re, im, n);
  if (add) for (let t = 0; t < len; t++) out[at + t] += y[t];
  else out.set(y.subarray(0, len), at);
}

/** The causal FFT convolution (and, with `g`, its two VJPs) through the validated public rfft/irfft. */
function publicFftConv(u: Float64Array, h: Float64Array, R: number, Rh: number, L: number, K: number, g: Float64Array | null) {
  const n = nextPowerOfTwo(L + K - 1);
  const pad = new Float64Array(n);
  const spec = (a: Float64Array, from: number, len: number) => {
    pad.set(a.subarray(from, from + len));
    pad.fill(0, len);
    return rfft(pad);
  };
  const Hs = Array.from({ length: Rh }, (_, r) => spec(h, r * K, K));
  const Us = [];
  const y = new Float64Array(R * L);
  for (let r = 0; r < R; r++) {
    const U = spec(u, r * L, L);
    Us.push(U);
    publicProduct(U, Hs[r % Rh], false, n, y, r * L, L, false);
  }
  if (g === null) return y;
  const gu = new Float64Array(R * L);
  const gh = new Float64Array(Rh * K);
  for (let r = 0; r < R; r++) {
    const G = spec(g, r * L, L);
    publicProduct(G, Hs[r % Rh], true, n, gu, r * L, L, false);
    publicProduct(G, Us[r], true, n, gh, (r % Rh) * K, Math.min(K, n), true);
  }
  return gu;
}

const cases: { B: number; D: number; L: number; direct: boolean }[] = [
  { B: 4, D: 16, L: 256, direct: true },
  { B: 4, D: 16, L: 1024, direct: true },
  { B: 1, D: 64, L: 4096, direct: false }, // one Hyena operator's long convolution (D = 64, L = 4096)
];
for (const { B, D, L, direct } of cases) {
  const u = new Tensor(randArray(B * D * L), [B, D, L]);
  const h = new Tensor(randArray(D * L, 0.1), [D, L]);
  const ones = new Float64Array(B * D * L).fill(1);
  const R = B * D;
  const yF = ops.fftConv1d(u, h).data;
  const yP = publicFftConv(u.data, h.data, R, D, L, L, null);
  let diff = 0;
  for (let i = 0; i < yF.length; i++) diff = Math.max(diff, Math.abs(yF[i] - yP[i]));
  const fwd = () => noGrad(() => ops.fftConv1d(u, h));
  const both = () => variableGrads(() => ops.sum(ops.fftConv1d(u, h)), [u, h]).value;
  const pubFwd = () => publicFftConv(u.data, h.data, R, D, L, L, null);
  const pubBoth = () => publicFftConv(u.data, h.data, R, D, L, L, ones);
  const runs = L >= 4096 ? 7 : 11;
  const rows = [
    { name: 'forward, CPU time', seconds: cpuTime(fwd, runs), baseline: cpuTime(pubFwd, runs), baselineName: 'public rfft/irfft, CPU time' },
    { name: 'forward, wall', seconds: time(fwd), baseline: time(pubFwd), baselineName: 'public rfft/irfft, wall' },
    { name: 'forward + backward, CPU time', seconds: cpuTime(both, runs), baseline: cpuTime(pubBoth, runs), baselineName: 'public rfft/irfft, CPU time' },
    { name: 'forward + backward, wall', seconds: time(both), baseline: time(pubBoth), baselineName: 'public rfft/irfft, wall' },
  ];
  if (direct) {
    const flipped = new Float64Array(D * L);
    for (let d = 0; d < D; d++) for (let k = 0; k < L; k++) flipped[d * L + k] = h.data[d * L + L - 1 - k];
    const w = new Tensor(flipped, [D, 1, L]);
    const conv = (x: Tensor, f: Tensor) => ops.slice(ops.conv1d(x, f, { padding: L - 1, groups: D }), 2, 0, L);
    const dBoth = () => variableGrads(() => ops.sum(conv(u, w)), [u, w]).value;
    rows.push(
      { name: 'forward + backward, CPU time', seconds: rows[2].seconds, baseline: cpuTime(dBoth, 3), baselineName: 'direct causal conv (ops.conv1d, depthwise), CPU time' },
      { name: 'forward + backward, wall', seconds: rows[3].seconds, baseline: time(dBoth, { minRuns: 3 }), baselineName: 'direct causal conv, wall' },
    );
  }
  report(`ops.fftConv1d, u ${B}×${D}×${L}, per-channel filter K = ${L} (max |ops − public path| = ${diff.toExponential(1)})`, rows);
  (globalThis as { gc?: () => void }).gc?.();
}
