/**
 * Forward time of one Hyena operator (N = 2, width 64) against causal self-attention of the same width,
 * L = 256 … 16,384 (attention holds one [heads, 128, L] block of scores at a time, so it fits in memory
 * over the whole range); log-log slopes and the crossover length. The scaling table reports the median CPU time
 * of the process per forward (`process.cpuUsage`), which other jobs on a shared machine disturb far less than
 * wall time. Then causal FFT convolution vs the dense Toeplitz product at L = 4,096.
 */
import { report, time } from '@notes/bench-kit';
import { createRng, noGrad, sampleNormalArray, Tensor } from '@notes/core-linalg';
import { CausalSelfAttention, causalFftConv, causalToeplitz, HyenaOperator } from '../src/index.js';

const D = 64;
const lengths = [256, 512, 1024, 2048, 4096, 8192, 16384];
const attentionMax = 16384;
const hyena = new HyenaOperator({ width: D, order: 2, maxLength: 16384, seed: 1 });
const attention = new CausalSelfAttention({ width: D, heads: 4, seed: 1 });
const rng = createRng(1);

/** Median CPU seconds of `fn` (after one warm-up call) over at least `minRuns` calls and `minMs` of wall time. */
function cpuTime(fn: () => unknown, { minMs = 200, minRuns = 2 } = {}): number {
  fn();
  const samples: number[] = [];
  const start = performance.now();
  while (samples.length < minRuns || performance.now() - start < minMs) {
    const c0 = process.cpuUsage();
    fn();
    const c = process.cpuUsage(c0);
    samples.push((c.user + c.system) / 1e6);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)] as number;
}

const rows: { L: number; hyena: number; attention: number | null }[] = [];
for (const L of lengths) {
  const u = new Tensor(sampleNormalArray(rng, L * D), [L, D]);
  const th = cpuTime(() => noGrad(() => hyena.forward(u)));
  const ta = L <= attentionMax ? cpuTime(() => noGrad(() => attention.forward(u))) : null;
  rows.push({ L, hyena: th, attention: ta });
  (globalThis as { gc?: () => void }).gc?.();
}

function slope(points: [number, number][]): number {
  const xs = points.map(([x]) => Math.log(x));
  const ys = points.map(([, y]) => Math.log(y));
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  return xs.reduce((s, x, i) => s + (x - mx) * ((ys[i] as number) - my), 0) / xs.reduce((s, x) => s + (x - mx) ** 2, 0);
}

// Slopes over the upper half of the range, where the asymptotic term dominates.
const hyenaSlope = slope(rows.filter((r) => r.L >= 1024).map((r) => [r.L, r.hyena]));
const attRows = rows.filter((r) => r.attention !== null && r.L >= 1024);
const attentionSlope = slope(attRows.map((r) => [r.L, r.attention as number]));
const crossover = rows.find((r) => r.attention !== null && r.hyena < r.attention)?.L;

report(
  'Hyena (N=2, D=64) vs causal self-attention (4 heads, D=64), forward only, median CPU time',
  rows.map((r) => ({
    name: `L=${r.L}`,
    seconds: r.hyena,
    baseline: r.attention,
    baselineName: 'attention',
  })),
);
console.log(`- log-log slope (L ≥ 1024): Hyena ${hyenaSlope.toFixed(3)}, attention ${attentionSlope.toFixed(3)}`);
console.log(`- crossover: Hyena is faster from L = ${crossover ?? 'never in range'}`);

const L = 4096;
const u = sampleNormalArray(rng, L);
const h = sampleNormalArray(rng, L);
const S = causalToeplitz(h, L);
const uCol = Float64Array.from(u);
const dense = () => {
  const y = new Float64Array(L);
  for (let i = 0; i < L; i++) {
    let s = 0;
    for (let j = 0; j <= i; j++) s += S.get(i, j) * (uCol[j] as number);
    y[i] = s;
  }
  return y;
};
report('Causal convolution at L = 4,096', [
  { name: 'causalFftConv', seconds: time(() => causalFftConv(u, h)), baseline: time(dense, { minMs: 500 }), baselineName: 'dense Toeplitz product S_h u' },
]);
