// Benchmarks of the fft concern, each ratio against a baseline measured in the same run:
// - convolve of two 65,536-long signals: FFT path vs the direct O(nm) sum (goal ≥ 50×) and vs SciPy's
//   signal.fftconvolve when Python with SciPy is present (goal: within 2.5×, i.e. speed-up ≥ 0.4);
// - FFT of a prime length (Bluestein) vs the next power of two (goal: within 4×);
// - the direct/FFT crossover of `convolve(..., { method: 'auto' })` (CONVOLVE_FFT_CROSSOVER): direct costs
//   ∝ nm, the FFT path ∝ its transform work (`fftStrategy(n, m).cost`); C is where the two times meet.
// Also prints the measured accuracy figures quoted in the README (the tests assert looser bounds).
// Run: npx pnpm@10.34.8 bench (from packages/core-linalg).
import { findPython, report, runPython, time } from '@notes/bench-kit';
import { fftStrategy } from '../src/fft/convolve.js';
import { CONVOLVE_FFT_CROSSOVER, convolve, dft, fft, nextPowerOfTwo, rfft } from '../src/fft/index.js';
import { createRng, sampleNormalArray } from '../src/random/index.js';

const rng = createRng(2024);
const signal = (n: number) => sampleNormalArray(rng, n);

// --- convolve 65,536 ⊛ 65,536 --------------------------------------------------------------------
{
  const n = 65_536;
  const x = signal(n);
  const h = signal(n);
  const tFft = time(() => convolve(x, h, { method: 'fft' }), { minMs: 1500 });
  const tDirect = time(() => convolve(x, h, { method: 'direct' }), { minMs: 0, minRuns: 1, warmup: 0 });
  const python = findPython(['numpy', 'scipy']);
  let tScipy: number | null = null;
  if (python) {
    const script = `
import json, sys, time
import numpy as np
from scipy.signal import fftconvolve
n = json.load(sys.stdin)["n"]
rng = np.random.default_rng(0)
x = rng.standard_normal(n); h = rng.standard_normal(n)
fftconvolve(x, h)
ts = []
start = time.perf_counter()
while len(ts) < 5 or time.perf_counter() - start < 1.5:
    t0 = time.perf_counter(); fftconvolve(x, h); ts.append(time.perf_counter() - t0)
ts.sort()
print(json.dumps({"seconds": ts[len(ts) // 2]}))
`;
    tScipy = runPython<{ seconds: number }>(python, script, { n }).seconds;
  }
  report('convolve, two 65,536-long signals (full, 131,071 outputs)', [
    { name: "convolve(x, h, { method: 'fft' })", seconds: tFft, baseline: tDirect, baselineName: 'direct O(nm)', note: 'goal ≥ 50×' },
    {
      name: "convolve(x, h, { method: 'fft' })",
      seconds: tFft,
      baseline: tScipy,
      baselineName: 'SciPy signal.fftconvolve',
      note: 'goal: within 2.5× (speed-up ≥ 0.40)',
    },
  ]);
}

// --- FFT of prime lengths vs the next power of two ----------------------------------------------
{
  const rows = [];
  for (const p of [4099, 65_521, 65_537]) {
    const P = nextPowerOfTwo(p);
    const x = signal(P);
    const xp = x.slice(0, p);
    const tPow2 = time(() => fft(x), { minMs: 1000 });
    const tPrime = time(() => fft(xp), { minMs: 1000 });
    rows.push({
      name: `fft, prime n = ${p} (Bluestein)`,
      seconds: tPrime,
      baseline: tPow2,
      baselineName: `fft n = ${P}`,
      note: `ratio ${(tPrime / tPow2).toFixed(2)}× (goal ≤ 4×)`,
    });
  }
  const x = signal(131_072);
  rows.push({
    name: 'rfft, n = 131,072',
    seconds: time(() => rfft(x), { minMs: 1000 }),
    baseline: time(() => fft(x), { minMs: 1000 }),
    baselineName: 'complex fft of the same real signal',
  });
  report('FFT of any length', rows);
}

// --- direct vs FFT crossover --------------------------------------------------------------------
{
  const rows = [];
  const points: { r: number; ratio: number }[] = [];
  for (const [n, m] of [
    [512, 16],
    [512, 32],
    [512, 64],
    [512, 512],
    [4096, 16],
    [4096, 32],
    [4096, 64],
    [4096, 128],
    [4096, 4096],
    [65_536, 16],
    [65_536, 32],
    [65_536, 64],
    [65_536, 128],
    [65_536, 1024],
    [128, 128],
    [256, 256],
  ] as const) {
    const x = signal(n);
    const h = signal(m);
    const tDirect = time(() => convolve(x, h, { method: 'direct' }), { minMs: 300 });
    const tFft = time(() => convolve(x, h, { method: 'fft' }), { minMs: 300 });
    const { cost, block } = fftStrategy(n, m);
    const r = (n * m) / cost;
    points.push({ r, ratio: tDirect / tFft });
    rows.push({
      name: `n = ${n}, m = ${m}: fft`,
      seconds: tFft,
      baseline: tDirect,
      baselineName: 'direct',
      note: `${block ? `overlap-add B = ${block}` : 'one transform'}; nm/cost = ${r.toFixed(2)}; auto picks ${r > CONVOLVE_FFT_CROSSOVER ? 'fft' : 'direct'}`,
    });
  }
  report(`convolve crossover (CONVOLVE_FFT_CROSSOVER = ${CONVOLVE_FFT_CROSSOVER})`, rows);
  // fit log(tDirect/tFft) = log(r) − log(C) on the points near the crossover (time ratio within 4×):
  // C is the work ratio r at which both methods take the same time
  const near = points.filter((p) => p.ratio > 0.25 && p.ratio < 4);
  const logC = near.reduce((s, p) => s + Math.log(p.r) - Math.log(p.ratio), 0) / Math.max(near.length, 1);
  console.log(`- fitted crossover C ≈ ${Math.exp(logC).toFixed(2)} from ${near.length} points near it (direct faster below, FFT above)`);
}

// --- accuracy figures (not timings) --------------------------------------------------------------
{
  const relErr = (n: number): number => {
    const re = signal(n);
    const im = signal(n);
    const a = fft(re, im);
    const b = dft(re, im);
    let num = 0;
    let den = 0;
    for (let k = 0; k < n; k++) {
      num = Math.max(num, Math.abs((a.re[k] as number) - (b.re[k] as number)), Math.abs((a.im[k] as number) - (b.im[k] as number)));
      den = Math.max(den, Math.abs(b.re[k] as number), Math.abs(b.im[k] as number));
    }
    return num / den;
  };
  const worst = (ns: number[]) => Math.max(...ns.map(relErr)).toExponential(1);
  console.log('\n## accuracy: fft vs the naive DFT (max |error| / max |X|)');
  console.log(`- n = 1…64: ${worst(Array.from({ length: 64 }, (_, i) => i + 1))}`);
  console.log(`- primes 97, 127, 251, 257, 1009, 4099: ${worst([97, 127, 251, 257, 1009, 4099])}`);
  console.log(`- powers of two 1024, 4096: ${worst([1024, 4096])}`);
  // the 65,536 ⊛ 65,536 case of src/fft/convolve.test.ts: error at 100 outputs over ‖x‖₂‖h‖₂
  const n = 65_536;
  const x = Float64Array.from({ length: n }, (_, i) => Math.sin(0.1 * i) + Math.cos(i * 0.77) ** 3);
  const h = Float64Array.from({ length: n }, (_, i) => Math.cos(0.013 * i * i) - 0.2);
  const y = convolve(x, h, { method: 'fft' });
  let xx = 0;
  let hh = 0;
  for (let i = 0; i < n; i++) {
    xx += (x[i] as number) ** 2;
    hh += (h[i] as number) ** 2;
  }
  let err = 0;
  for (let t = 0; t < 100; t++) {
    const k = Math.floor((t * (2 * n - 2)) / 99);
    let s = 0;
    for (let j = Math.max(0, k - n + 1); j <= Math.min(k, n - 1); j++) s += (x[j] as number) * (h[k - j] as number);
    err = Math.max(err, Math.abs((y[k] as number) - s));
  }
  console.log(`- convolve 65,536 ⊛ 65,536 (FFT) vs direct sums at 100 outputs: ${(err / Math.sqrt(xx * hh)).toExponential(1)} · ‖x‖₂‖h‖₂`);
}
