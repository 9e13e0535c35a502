/**
 * The long run of the GAN demos (issue 19, digits): a small convolutional GAN on the `mnist` package's
 * digits, downsampled to 14×14 by 2×2 averaging, trained within a CPU-time budget (default 600 s), and
 * judged by a CNN classifier trained here with core's Conv2d on real 14×14 digits: the 10-class
 * histogram of 1,000 generated samples, classes covered, KL to uniform and the mean max-probability,
 * next to the same figures for 1,000 held-out real digits. Writes fixtures/gan/gan-digits.json (figures
 * and 64 samples), which the gan/gan-ring demo shows.
 *
 * Generator: z ∈ ℝ³² → Linear → 16×7×7 → ReLU → nearest ×2 upsampling (14×14) → Conv 3×3 16→8 → ReLU →
 * Conv 3×3 8→1 → sigmoid. Critic: Conv 3×3 stride 2 1→16 → leaky ReLU(0.2) → Conv 3×3 stride 2 16→32 →
 * leaky ReLU → Linear 512→1. Non-saturating loss (@notes/gan's adversarialLosses), Adam 2e-4, β1 = 0.5,
 * batch 64 (DCGAN's settings). Core has no transposed convolution: upsampling + convolution replaces it.
 *
 * Run (from the repository root): nice -n 10 node --import tsx apps/demos/src/demos/gan/_digits-gan-full.ts
 * (GAN_DIGITS_CPU_SECONDS=600 by default, the 10 minutes; GAN_DIGITS_OUT=path writes the JSON elsewhere; the file name starts with '_' so `pnpm demo` does not load it.)
 */
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Conv2d, createAdamOptimizer, createRng, crossEntropyWithLogitsLoss, Linear, ops, permutation, type Tensor as T, Tensor, noGrad, variableGrads } from '@notes/core-linalg';
import { adversarialLosses } from '@notes/gan';

const here = dirname(fileURLToPath(import.meta.url));
const SEED = 20261206;
const CPU_BUDGET = Number(process.env.GAN_DIGITS_CPU_SECONDS ?? 600);
const S = 14;
const PIX = S * S;

interface Digit {
  length: number;
  range(start: number, end: number): number[][];
}

/** Every digit of the package, 2×2-averaged to 14×14, in a seeded order. */
function loadDigits(seed: number): { x: Float64Array; y: Int32Array; n: number } {
  const mnist = createRequire(import.meta.url)('mnist') as Record<number, Digit>;
  const imgs: number[][] = [];
  const labels: number[] = [];
  for (let d = 0; d < 10; d++) {
    for (const img of mnist[d]!.range(0, mnist[d]!.length)) {
      imgs.push(img);
      labels.push(d);
    }
  }
  const order = permutation(createRng(seed), imgs.length);
  const n = imgs.length;
  const x = new Float64Array(n * PIX);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const img = imgs[order[i]!]!;
    y[i] = labels[order[i]!]!;
    for (let r = 0; r < S; r++) {
      for (let c = 0; c < S; c++) {
        const a = img[2 * r * 28 + 2 * c]! + img[2 * r * 28 + 2 * c + 1]! + img[(2 * r + 1) * 28 + 2 * c]! + img[(2 * r + 1) * 28 + 2 * c + 1]!;
        x[i * PIX + r * S + c] = a / 4;
      }
    }
  }
  return { x, y, n };
}

const leaky = (h: T) => ops.sub(ops.relu(h), ops.mul(ops.relu(ops.neg(h)), 0.2));
const up2 = Int32Array.from({ length: 14 }, (_, i) => i >> 1);
const cpu = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1e6;
};

/** The classifier (core's Conv2d): conv 3×3 1→16, ReLU, max-pool → conv 3×3 16→32, ReLU, max-pool → Linear 288→10. */
function classifier(seed: number) {
  const rng = createRng(seed);
  const c1 = new Conv2d(1, 16, 3, { padding: 1, rng });
  const c2 = new Conv2d(16, 32, 3, { padding: 1, rng });
  const head = new Linear(32 * 3 * 3, 10, { rng });
  const forward = (x: T) => {
    let h = ops.maxPool2d(ops.relu(c1.forward(x)), 2);
    h = ops.maxPool2d(ops.relu(c2.forward(h)), 2);
    return head.forward(ops.reshape(h, [x.shape[0]!, -1]));
  };
  return { forward, params: [...c1.parameters(), ...c2.parameters(), ...head.parameters()] };
}

/** Class histogram, classes covered, KL(histogram ‖ uniform), mean max-probability of images [n, 196]. */
function judge(net: ReturnType<typeof classifier>, x: Float64Array, n: number) {
  const counts = new Array(10).fill(0);
  let maxProb = 0;
  for (let s = 0; s < n; s += 250) {
    const m = Math.min(250, n - s);
    const p = noGrad(() => ops.softmax(net.forward(new Tensor(x.slice(s * PIX, (s + m) * PIX), [m, 1, S, S])), -1));
    for (let i = 0; i < m; i++) {
      let best = 0;
      for (let k = 1; k < 10; k++) if (p.data[i * 10 + k]! > p.data[i * 10 + best]!) best = k;
      counts[best] += 1;
      maxProb += p.data[i * 10 + best]!;
    }
  }
  const kl = counts.reduce((t, c) => (c > 0 ? t + (c / n) * Math.log((c / n) * 10) : t), 0);
  return { counts, covered: counts.filter((c) => c > 0).length, coveredAtHalfShare: counts.filter((c) => c >= n / 20).length, klToUniform: kl, meanMaxProb: maxProb / n };
}

const data = loadDigits(SEED);
const nTest = 1000;
const nTrain = data.n - nTest;
console.log(`${data.n} digits (${nTrain} for training, ${nTest} held out), 14×14`);

// 1. the judge: a CNN classifier on the real training digits
const c0 = cpu();
const net = classifier(SEED);
{
  const opt = createAdamOptimizer(net.params, { lr: 3e-3 });
  const rng = createRng(SEED + 1);
  const B = 64;
  for (let epoch = 0; epoch < 3; epoch++) {
    const order = permutation(rng, nTrain);
    if (epoch === 2) opt.lr = 1e-3;
    for (let s = 0; s + B <= nTrain; s += B) {
      const xb = new Float64Array(B * PIX);
      const yb = new Int32Array(B);
      for (let i = 0; i < B; i++) {
        xb.set(data.x.subarray(order[s + i]! * PIX, (order[s + i]! + 1) * PIX), i * PIX);
        yb[i] = data.y[order[s + i]!]!;
      }
      const r = variableGrads(() => crossEntropyWithLogitsLoss(net.forward(new Tensor(xb, [B, 1, S, S])), yb), net.params);
      opt.step(r.grads);
    }
  }
}
const testX = data.x.slice(nTrain * PIX);
const testY = data.y.slice(nTrain);
let correct = 0;
{
  const logits = noGrad(() => net.forward(new Tensor(testX, [nTest, 1, S, S])));
  for (let i = 0; i < nTest; i++) {
    let best = 0;
    for (let k = 1; k < 10; k++) if (logits.data[i * 10 + k]! > logits.data[i * 10 + best]!) best = k;
    if (best === testY[i]) correct++;
  }
}
const classifierAccuracy = correct / nTest;
const realJudge = judge(net, testX, nTest);
console.log(`classifier: held-out accuracy ${(100 * classifierAccuracy).toFixed(2)} %, CPU ${(cpu() - c0).toFixed(0)} s; real digits: ${JSON.stringify(realJudge)}`);

// 2. the GAN
const rng = createRng(SEED + 2);
const LATENT = 32;
const gLin = new Linear(LATENT, 16 * 7 * 7, { rng });
const gC1 = new Conv2d(16, 8, 3, { padding: 1, rng });
const gC2 = new Conv2d(8, 1, 3, { padding: 1, rng, init: 'glorot' });
const dC1 = new Conv2d(1, 16, 3, { stride: 2, padding: 1, rng });
const dC2 = new Conv2d(16, 32, 3, { stride: 2, padding: 1, rng });
const dLin = new Linear(32 * 4 * 4, 1, { rng, init: 'glorot' });
const gParams = [...gLin.parameters(), ...gC1.parameters(), ...gC2.parameters()];
const dParams = [...dC1.parameters(), ...dC2.parameters(), ...dLin.parameters()];
const generate = (z: T): T => {
  let h = ops.reshape(ops.relu(gLin.forward(z)), [z.shape[0]!, 16, 7, 7]);
  h = ops.indexSelect(ops.indexSelect(h, 2, up2), 3, up2);
  h = ops.relu(gC1.forward(h));
  return ops.sigmoid(gC2.forward(h));
};
const critic = (x: T): T => {
  let h = leaky(dC1.forward(x));
  h = leaky(dC2.forward(h));
  return dLin.forward(ops.reshape(h, [x.shape[0]!, -1]));
};
const latent = (n: number, r = rng) => new Tensor(Float64Array.from({ length: n * LATENT }, () => r.normal()), [n, LATENT]);
const optG = createAdamOptimizer(gParams, { lr: 2e-4, beta1: 0.5 });
const optD = createAdamOptimizer(dParams, { lr: 2e-4, beta1: 0.5 });
const B = 64;
const g0 = cpu();
const t0 = performance.now();
let steps = 0;
const trace: { step: number; critic: number; generator: number; cpuSeconds: number }[] = [];
const progress: { step: number; cpuSeconds: number; covered: number; klToUniform: number; meanMaxProb: number }[] = [];
const snapshot = () => {
  const x = noGrad(() => generate(latent(1000, createRng(SEED + 3)))).data;
  const j = judge(net, x, 1000);
  progress.push({ step: steps, cpuSeconds: cpu() - g0, covered: j.covered, klToUniform: j.klToUniform, meanMaxProb: j.meanMaxProb });
  console.log(`step ${steps}, CPU ${(cpu() - g0).toFixed(0)} s: ${JSON.stringify(j)}`);
};
while (cpu() - g0 < CPU_BUDGET) {
  const xb = new Float64Array(B * PIX);
  for (let i = 0; i < B; i++) {
    const k = Math.min(nTrain - 1, Math.floor(rng.uniform() * nTrain));
    xb.set(data.x.subarray(k * PIX, (k + 1) * PIX), i * PIX);
  }
  const real = new Tensor(xb, [B, 1, S, S]);
  const fake = noGrad(() => generate(latent(B)));
  const d = variableGrads(() => adversarialLosses(critic(real), critic(fake), { objective: 'non-saturating' }).critic, dParams);
  optD.step(d.grads);
  const z = latent(B);
  const g = variableGrads(() => {
    const t = critic(generate(z));
    return adversarialLosses(t, t, { objective: 'non-saturating' }).generator;
  }, gParams);
  optG.step(g.grads);
  steps++;
  if (steps % 25 === 0) trace.push({ step: steps, critic: d.value, generator: g.value, cpuSeconds: cpu() - g0 });
  if (steps % 250 === 0) snapshot();
}
snapshot();
const ganCpu = cpu() - g0;
const wall = (performance.now() - t0) / 1000;
const gen = noGrad(() => generate(latent(1000, createRng(SEED + 3)))).data;
const fakeJudge = judge(net, gen, 1000);
console.log(`GAN: ${steps} steps, CPU ${ganCpu.toFixed(0)} s, wall ${wall.toFixed(0)} s; samples: ${JSON.stringify(fakeJudge)}`);
const samples = Array.from({ length: 64 }, (_, i) => Array.from(gen.subarray(i * PIX, (i + 1) * PIX), (v) => Math.round(v * 1000) / 1000));
const realSamples = Array.from({ length: 16 }, (_, i) => Array.from(testX.subarray(i * PIX, (i + 1) * PIX), (v) => Math.round(v * 1000) / 1000));
const out = process.env.GAN_DIGITS_OUT ?? join(here, '../../../fixtures/gan/gan-digits.json');
writeFileSync(
  out,
  `${JSON.stringify({
    date: new Date().toISOString(),
    cpuBudgetSeconds: CPU_BUDGET,
    steps,
    ganCpuSeconds: ganCpu,
    ganWallSeconds: wall,
    classifierAccuracy,
    real: realJudge,
    generated: fakeJudge,
    progress,
    trace,
    size: S,
    samples,
    realSamples,
  })}\n`,
);
console.log(`wrote ${out}`);
